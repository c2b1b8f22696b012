import { dockerfileTemplate } from '../../stacks/index.js';
import { commonProblems } from '../shared/target.js';
import type { AddAction, Generator } from '../types.js';
import { hfSpacesView, type HfSpacesView } from './view.js';

/**
 * Hugging Face Spaces (Docker SDK). The Space's README (its card and `sdk: docker` / `app_port`
 * front matter) is written to deploy/hf-spaces/README.md, never to the repository's own README:
 * the workflow assembles the Space from the service's build context and puts the card, the
 * Space Dockerfile (uid 1000, port 7860 where the app can be moved there) and, for nginx-served
 * sites, the matching nginx.conf at the Space's root.
 */
export const hfSpaces: Generator<HfSpacesView> = {
  name: 'hf-spaces',
  description: 'Hugging Face Docker Space: Space card, Space Dockerfile (uid 1000, port 7860) and a push workflow',
  viewKey: 'hfSpaces',
  when: (config) => config.targets.some((t) => t.type === 'hf-spaces'),
  view: hfSpacesView,
  refusals: ({ config }) => commonProblems(config, 'hf-spaces'),
  actions: ({ view }) => {
    const data = { service: view.spaceService };
    const actions: AddAction[] = [
      { type: 'add', path: '.github/workflows/hf-spaces.yml', templateFile: 'hf-spaces/.github/workflows/hf-spaces.yml.hbs' },
      { type: 'add', path: 'deploy/hf-spaces/README.md', templateFile: 'hf-spaces/deploy/hf-spaces/README.md.hbs' },
      { type: 'add', path: 'deploy/hf-spaces/Dockerfile', templateFile: dockerfileTemplate(view.source), data },
    ];
    if (view.nginxConf) actions.push({ type: 'add', path: 'deploy/hf-spaces/nginx.conf', templateFile: 'docker/nginx.conf.hbs', data });
    return actions;
  },
  runbook: ['pipeline', 'files', 'secretRows', 'sections'],
};
