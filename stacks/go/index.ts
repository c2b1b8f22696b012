/** The Go stack: a static CGO_ENABLED=0 binary on distroless/static, or a cgo binary on distroless/cc. */
import { posix } from 'node:path';
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { goConfig, goDeployable, goLanguageVersion, goQuestions } from './config.js';
import { detectGo } from './detect.js';
import type { GoFacts } from './types.js';
import { goProbe, goView } from './view.js';

export const go: Stack<GoFacts> = {
  id: 'go',
  manifests: ['go.mod'],
  detect: (root, path) => detectGo(root, path),
  deployable: goDeployable,
  // The web UI the binary embeds is built in its image, never served on its own.
  embeds: (facts) => (facts.frontend ? posix.join(facts.path, facts.frontend.value.path) : undefined),
  questions: goQuestions,
  languageVersion: goLanguageVersion,
  toConfig: (facts, base, answers) => goConfig(facts, base, answers),
  runtime: () => 'go',
  probe: goProbe,
  view: goView,
  dockerfile: () => stackTemplate('go', 'Dockerfile.hbs'),
};
