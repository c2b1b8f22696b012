import type { Generator } from './types.js';

/** DEPLOY.md: what was generated and why, secrets, first deploy, verify, rollback. */
export const runbook: Generator = {
  name: 'runbook',
  description: 'DEPLOY.md runbook',
  when: () => true,
  actions: () => [{ type: 'add', path: 'DEPLOY.md', templateFile: 'runbook/DEPLOY.md.hbs' }],
};
