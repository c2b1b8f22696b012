import type { Generator } from './types.js';

/** GitHub Actions CI (test, build and smoke-test each image) and Dependabot for the pins. */
export const githubCi: Generator = {
  name: 'github-ci',
  description: 'GitHub Actions CI workflow and Dependabot config',
  when: (config) => config.ci.provider === 'github',
  actions: () => [
    { type: 'add', path: '.github/workflows/ci.yml', templateFile: 'github-ci/.github/workflows/ci.yml.hbs' },
    { type: 'add', path: '.github/dependabot.yml', templateFile: 'github-ci/.github/dependabot.yml.hbs' },
  ],
  runbook: ['files'],
};
