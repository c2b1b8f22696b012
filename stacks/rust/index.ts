/** The Rust stack: a release binary built after a dependency-only layer, on distroless cc. */
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { rustConfig, rustDeployable, rustLanguageVersion, rustQuestions } from './config.js';
import { detectRust } from './detect.js';
import type { RustFacts } from './types.js';
import { rustProbe, rustView } from './view.js';

export const rust: Stack<RustFacts> = {
  id: 'rust',
  manifests: ['Cargo.toml'],
  detect: (root, path) => detectRust(root, path),
  deployable: rustDeployable,
  questions: rustQuestions,
  languageVersion: rustLanguageVersion,
  toConfig: (facts, base, answers) => rustConfig(facts, base, answers),
  runtime: () => 'rust',
  probe: rustProbe,
  view: rustView,
  dockerfile: () => stackTemplate('rust', 'Dockerfile.hbs'),
};
