import { CLI_TOOLS } from '../../src/versions.js';
import { hostRefusals, hostView, type HostView } from '../shared/host.js';
import type { Generator } from '../types.js';

/** Vercel: vercel.json (build, output, security headers; Git deploys off) and a CLI-driven workflow. */
export const vercel: Generator<HostView> = {
  name: 'vercel',
  description: 'Vercel: vercel.json and a workflow (previews on pull requests, production on the production branch)',
  viewKey: 'vercel',
  when: (config) => config.targets.some((t) => t.type === 'vercel'),
  view: (ctx) => hostView(ctx, 'vercel', `npx --yes vercel@${CLI_TOOLS.vercel}`, 'vercel.json'),
  refusals: ({ config, view }) => hostRefusals(config, view, 'vercel'),
  actions: ({ view }) => [
    { type: 'add', path: view.configFile, templateFile: 'vercel/vercel.json.hbs' },
    { type: 'add', path: '.github/workflows/vercel.yml', templateFile: 'vercel/.github/workflows/vercel.yml.hbs' },
  ],
  runbook: ['pipeline', 'files', 'secretRows', 'sections'],
};
