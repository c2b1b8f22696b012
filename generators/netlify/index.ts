import { CLI_TOOLS } from '../../src/versions.js';
import { hostRefusals, hostView, type HostView } from '../shared/host.js';
import type { Generator } from '../types.js';

/** Netlify: netlify.toml (build, publish, security headers) and a CLI-driven workflow. */
export const netlify: Generator<HostView> = {
  name: 'netlify',
  description: 'Netlify: netlify.toml and a workflow (previews on pull requests, production on the production branch)',
  viewKey: 'netlify',
  when: (config) => config.targets.some((t) => t.type === 'netlify'),
  view: (ctx) => hostView(ctx, 'netlify', `npx --yes netlify-cli@${CLI_TOOLS.netlify}`, 'netlify.toml'),
  refusals: ({ config, view }) => hostRefusals(config, view, 'netlify'),
  actions: ({ view }) => [
    { type: 'add', path: view.configFile, templateFile: 'netlify/netlify.toml.hbs' },
    { type: 'add', path: '.github/workflows/netlify.yml', templateFile: 'netlify/.github/workflows/netlify.yml.hbs' },
  ],
  runbook: ['pipeline', 'files', 'secretRows', 'sections'],
};
