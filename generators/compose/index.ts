import type { Generator } from '../types.js';

/**
 * compose.yaml: every service built from its Dockerfile, hardened, with healthchecks. Its view is
 * only "on" (`targets.compose` is true): compose reads the services and add-ons of the project view.
 */
export const compose: Generator<true> = {
  name: 'compose',
  description: 'compose.yaml for local runs and single-host use',
  viewKey: 'compose',
  when: (config) => config.targets.some((t) => t.type === 'compose'),
  view: () => true,
  actions: () => [{ type: 'add', path: 'compose.yaml', templateFile: 'compose/compose.yaml.hbs' }],
  runbook: ['pipeline', 'files', 'firstDeploy', 'localRollback'],
};
