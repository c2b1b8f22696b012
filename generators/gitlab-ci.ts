import type { Generator } from './types.js';

export interface GitlabCiView {
  /** Some service has a test job (a static site without a build has none). */
  hasTests: boolean;
}

/**
 * GitLab CI (`ci.provider: gitlab`): the same test and image jobs as the GitHub workflows, and,
 * with a vps target, the registry push and the per-environment deploy jobs.
 */
export const gitlabCi: Generator<GitlabCiView> = {
  name: 'gitlab-ci',
  description: 'GitLab CI pipeline: test, build (and, with a vps target, push and deploy)',
  viewKey: 'gitlabCi',
  when: (config) => config.ci.provider === 'gitlab',
  view: ({ project }) => ({ hasTests: project.services.some((s) => s.testJob) }),
  actions: () => [{ type: 'add', path: '.gitlab-ci.yml', templateFile: 'gitlab-ci/.gitlab-ci.yml.hbs' }],
  runbook: ['pipeline', 'files'],
};
