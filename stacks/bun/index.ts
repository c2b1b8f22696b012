/**
 * The Bun stack: a package whose package manager is bun, run by bun itself (Hono, Elysia, Bun.serve),
 * or a site a site builder emits (kind static), built by bun and served by nginx.
 */
import { nginxProbe } from '../nginx.js';
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { bunConfig, bunDeployable, bunLanguageVersion, bunQuestions } from './config.js';
import { detectBun } from './detect.js';
import { builtIntoWarning } from '../node/detect.js';
import type { BunFacts } from './types.js';
import { bunProbe, bunView } from './view.js';

export const bun: Stack<BunFacts> = {
  id: 'bun',
  manifests: ['bun.lock', 'bun.lockb', 'bunfig.toml'],
  detect: (root, path) => detectBun(root, path),
  notDeployed: (facts) => (facts.builtInto ? builtIntoWarning(facts.path, facts.builtInto) : facts.unbuilt?.value),
  deployable: bunDeployable,
  kindOf: (facts) => facts.kind?.value,
  questions: bunQuestions,
  languageVersion: bunLanguageVersion,
  toConfig: (facts, base, answers) => bunConfig(facts, base, answers),
  runtime: (s) => (s.kind === 'static' ? 'nginx' : 'bun'),
  probe: (s) => (s.kind === 'static' ? nginxProbe(s) : bunProbe(s)),
  view: bunView,
  dockerfile: (s) => stackTemplate('bun', s.kind === 'static' ? 'static.Dockerfile.hbs' : 'Dockerfile.hbs'),
};
