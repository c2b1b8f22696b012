/** The Elixir stack: Phoenix and Plug apps (and any OTP application) shipped as a `mix release` on Debian slim. */
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { elixirConfig, elixirDeployable, elixirLanguageVersion, elixirQuestions } from './config.js';
import { detectElixir } from './detect.js';
import type { ElixirFacts } from './types.js';
import { elixirProbe, elixirView } from './view.js';

export const elixir: Stack<ElixirFacts> = {
  id: 'elixir',
  manifests: ['mix.exs'],
  detect: (root, path) => detectElixir(root, path),
  deployable: elixirDeployable,
  questions: elixirQuestions,
  languageVersion: elixirLanguageVersion,
  toConfig: (facts, base, answers) => elixirConfig(facts, base, answers),
  runtime: () => 'elixir',
  probe: elixirProbe,
  view: elixirView,
  dockerfile: () => stackTemplate('elixir', 'Dockerfile.hbs'),
};
