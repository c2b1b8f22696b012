import type { Generator } from './types.js';

/** compose.yaml: every service built from its Dockerfile, hardened, with healthchecks. */
export const compose: Generator = {
  name: 'compose',
  description: 'compose.yaml for local runs and single-host use',
  when: (config) => config.targets.some((t) => t.type === 'compose'),
  actions: () => [{ type: 'add', path: 'compose.yaml', templateFile: 'compose/compose.yaml.hbs' }],
};
