import { projectView } from '../src/plan/view.js';
import { hostProblems } from './hosts.js';
import type { Generator } from './types.js';

/** Vercel: vercel.json (build, output, security headers; Git deploys off) and a CLI-driven workflow. */
export const vercel: Generator = {
  name: 'vercel',
  description: 'Vercel: vercel.json and a workflow (previews on pull requests, production on the production branch)',
  when: (config) => config.targets.some((t) => t.type === 'vercel'),
  check: (config) => hostProblems(config, 'vercel'),
  actions: (config) => {
    const view = projectView(config).targets.vercel;
    if (!view) return [];
    return [
      { type: 'add', path: view.configFile, templateFile: 'vercel/vercel.json.hbs' },
      { type: 'add', path: '.github/workflows/vercel.yml', templateFile: 'vercel/.github/workflows/vercel.yml.hbs' },
    ];
  },
};
