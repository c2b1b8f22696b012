import { projectView } from '../src/plan/view.js';
import { hostProblems } from './hosts.js';
import type { Generator } from './types.js';

/** Netlify: netlify.toml (build, publish, security headers) and a CLI-driven workflow. */
export const netlify: Generator = {
  name: 'netlify',
  description: 'Netlify: netlify.toml and a workflow (previews on pull requests, production on the production branch)',
  when: (config) => config.targets.some((t) => t.type === 'netlify'),
  check: (config) => hostProblems(config, 'netlify'),
  actions: (config) => {
    const view = projectView(config).targets.netlify;
    if (!view) return [];
    return [
      { type: 'add', path: view.configFile, templateFile: 'netlify/netlify.toml.hbs' },
      { type: 'add', path: '.github/workflows/netlify.yml', templateFile: 'netlify/.github/workflows/netlify.yml.hbs' },
    ];
  },
};
