import type { Generator } from './types.js';

/**
 * GitLab CI (`ci.provider: gitlab`): the same test and image jobs as the GitHub workflows, and,
 * with a vps target, the registry push and the per-environment deploy jobs.
 */
export const gitlabCi: Generator = {
  name: 'gitlab-ci',
  description: 'GitLab CI pipeline: test, build (and, with a vps target, push and deploy)',
  when: (config) => config.ci.provider === 'gitlab',
  actions: () => [{ type: 'add', path: '.gitlab-ci.yml', templateFile: 'gitlab-ci/.gitlab-ci.yml.hbs' }],
  runbook: ['files'],
};
