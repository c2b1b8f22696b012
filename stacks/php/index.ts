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
  // The Vite build of a Laravel or Symfony app's assets runs in the PHP image's Node stage; a Node server stays a service.
  absorbs: (facts, other) => other.stack === 'node' && facts.assets !== undefined && (other.facts as NodeFacts).kind?.value !== 'server',
  questions: phpQuestions,
  languageVersion: phpLanguageVersion,
  toConfig: (facts, base, answers) => phpConfig(facts, base, answers),
  runtime: () => 'php',
  probe: phpProbe,
  view: phpView,
  dockerfile: () => stackTemplate('php', 'Dockerfile.hbs'),
};
