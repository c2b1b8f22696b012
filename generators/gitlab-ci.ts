import { checkCommand } from './github-ci.js';
import type { Generator } from './types.js';
import { NODE_LTS_MAJOR, nodeImage } from '../src/versions.js';

export interface GitlabCiView {
  /** Some service has a test job (a static site without a build has none). */
  hasTests: boolean;
  /** The drift check, at the version that wrote the kit. */
  checkCommand: string;
  /** The pinned Node.js image it runs in. */
  checkImage: string;
  /** The test jobs that run PostgreSQL as a service (a service's `testPostgres`), for the runbook. */
  postgresJobs: string[];
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
  view: ({ project }) => ({
    hasTests: project.services.some((s) => s.testJob),
    checkCommand: checkCommand(project.cli),
    checkImage: nodeImage(NODE_LTS_MAJOR),
    postgresJobs: project.services.filter((s) => s.testJob && s.testPostgres).map((s) => `test-${s.jobId}`),
  }),
  refusals: ({ config }) => [
    ...(config.security?.verifyImages
      ? ['security.verifyImages: the deploys check GitHub artifact attestations, which only GitHub Actions makes; with ci.provider: gitlab set it to false']
      : []),
    // go vet and go test compile the package whose //go:embed reads the UI's build output, and the Go test job has no Node to build it.
    ...config.services.flatMap((s, i) =>
      s.stack === 'go' && s.frontend
        ? [
            `services[${i}] (${s.name}).frontend: the GitLab test job runs in the golang image, which has no Node to build the web UI that ` +
              '`go vet` and `go test` compile in (//go:embed); use ci.provider: github (its job builds the UI first), or remove frontend ' +
              'and build the UI in a job of your own',
          ]
        : [],
    ),
  ],
  actions: () => [{ type: 'add', path: '.gitlab-ci.yml', templateFile: 'gitlab-ci/.gitlab-ci.yml.hbs' }],
  runbook: ['pipeline', 'files', 'troubleshooting'],
};
