/** The PHP stack: Laravel, Symfony and plain PHP apps, installed by Composer and served by Apache with mod_php. */
import { stackTemplate } from '../templates.js';
import type { NodeFacts } from '../node/types.js';
import type { Stack } from '../types.js';
import { phpConfig, phpDeployable, phpLanguageVersion, phpQuestions } from './config.js';
import { detectPhp } from './detect.js';
import type { PhpFacts } from './types.js';
import { phpProbe, phpView } from './view.js';

export const php: Stack<PhpFacts> = {
  id: 'php',
  manifests: ['composer.json'],
  detect: (root, path) => detectPhp(root, path),
  deployable: phpDeployable,
  // A PHP app's package.json is its front-end tooling (its Vite build runs in the PHP image's Node
  // stage); a Node server beside it stays a service of its own.
  absorbs: (facts, other) =>
    other.stack === 'node' && (facts.framework ?? facts.documentRoot) !== undefined && (other.facts as NodeFacts).kind?.value !== 'server',
  questions: phpQuestions,
  languageVersion: phpLanguageVersion,
  toConfig: (facts, base, answers) => phpConfig(facts, base, answers),
  runtime: () => 'php',
  probe: phpProbe,
  view: phpView,
  dockerfile: () => stackTemplate('php', 'Dockerfile.hbs'),
};
