/** The Deno stack: a deno.json project (Hono, Oak, Deno.serve), dependencies cached at build time, run under the image's tini. */
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { denoConfig, denoDeployable, denoLanguageVersion, denoQuestions } from './config.js';
import { detectDeno } from './detect.js';
import type { DenoFacts } from './types.js';
import { denoProbe, denoView } from './view.js';

export const deno: Stack<DenoFacts> = {
  id: 'deno',
  manifests: ['deno.json', 'deno.jsonc'],
  detect: (root, path) => detectDeno(root, path),
  deployable: denoDeployable,
  notDeployed: (facts) => facts.unbuilt,
  questions: denoQuestions,
  languageVersion: denoLanguageVersion,
  toConfig: (facts, base, answers) => denoConfig(facts, base, answers),
  runtime: () => 'deno',
  probe: denoProbe,
  view: denoView,
  dockerfile: () => stackTemplate('deno', 'Dockerfile.hbs'),
};
