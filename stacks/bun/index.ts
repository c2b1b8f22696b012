/** The Bun stack: a package whose package manager is bun, run by bun itself (Hono, Elysia, Bun.serve). */
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { bunConfig, bunDeployable, bunLanguageVersion, bunQuestions } from './config.js';
import { detectBun } from './detect.js';
import type { BunFacts } from './types.js';
import { bunProbe, bunView } from './view.js';

export const bun: Stack<BunFacts> = {
  id: 'bun',
  manifests: ['bun.lock', 'bun.lockb', 'bunfig.toml'],
  detect: (root, path) => detectBun(root, path),
  deployable: bunDeployable,
  questions: bunQuestions,
  languageVersion: bunLanguageVersion,
  toConfig: (facts, base, answers) => bunConfig(facts, base, answers),
  runtime: () => 'bun',
  probe: bunProbe,
  view: bunView,
  dockerfile: () => stackTemplate('bun', 'Dockerfile.hbs'),
};
