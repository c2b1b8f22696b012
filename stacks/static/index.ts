/** The static stack: a site with no build, its files served as they are by nginx. */
import { nginxProbe, nginxQuestions } from '../nginx.js';
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { staticConfig } from './config.js';
import { detectStatic } from './detect.js';
import type { StaticFacts } from './types.js';
import { staticView } from './view.js';

export const staticSite: Stack<StaticFacts> = {
  id: 'static',
  // index.html alone does not make a subdirectory a candidate: too many hold docs or fixtures.
  manifests: [],
  // A manifest beside index.html means a build or a server: the stack it belongs to decides.
  fallback: true,
  detect: (root, path, context) => detectStatic(root, path, context.manifests),
  deployable: (facts) => facts.root.evidence,
  questions: nginxQuestions,
  languageVersion: () => undefined,
  toConfig: (facts, base, answers) => staticConfig(facts, base, answers),
  runtime: () => 'nginx',
  probe: nginxProbe,
  view: staticView,
  dockerfile: () => stackTemplate('static', 'Dockerfile.hbs'),
};
