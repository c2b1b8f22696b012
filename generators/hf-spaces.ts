import type { ServiceConfig } from '../src/config/types.js';
import { projectView } from '../src/plan/view.js';
import { dockerfileTemplate } from '../stacks/index.js';
import { commonProblems, describe, targetOf, where } from './platform.js';
import type { AddAction, Generator } from './types.js';

/** Stacks whose Dockerfile the Space variant is rendered from (the image must serve HTTP as uid 1000). */
const SPACE_STACKS: ReadonlySet<string> = new Set(['node', 'python', 'go', 'static']);

/**
 * Hugging Face Spaces (Docker SDK). The Space's README (its card and `sdk: docker` / `app_port`
 * front matter) is written to deploy/hf-spaces/README.md, never to the repository's own README:
 * the workflow assembles the Space from the service's build context and puts the card, the
 * Space Dockerfile (uid 1000, port 7860 where the app can be moved there) and, for nginx-served
 * sites, the matching nginx.conf at the Space's root.
 */
export const hfSpaces: Generator = {
  name: 'hf-spaces',
  description: 'Hugging Face Docker Space: Space card, Space Dockerfile (uid 1000, port 7860) and a push workflow',
  when: (config) => config.targets.some((t) => t.type === 'hf-spaces'),
  check: (config) => {
    const problems = commonProblems(config, 'hf-spaces');
    const target = targetOf(config, 'hf-spaces');
    const service: ServiceConfig | undefined = target?.service ? config.services.find((s) => s.name === target.service) : config.services[0];
    if (service && !SPACE_STACKS.has(service.stack)) {
      problems.push(
        `${where(config, 'hf-spaces')}: service ${describe(service)} has no Dockerfile deploy-kit can turn into a Space image ` +
          `(Docker Spaces build one; stacks with a Dockerfile: ${[...SPACE_STACKS].join(', ')}). Pick another service with service: <name>.`,
      );
    }
    return problems;
  },
  actions: (config) => {
    const view = projectView(config).targets.hfSpaces;
    if (!view) return [];
    const data = { service: view.spaceService };
    const actions: AddAction[] = [
      { type: 'add', path: '.github/workflows/hf-spaces.yml', templateFile: 'hf-spaces/.github/workflows/hf-spaces.yml.hbs' },
      { type: 'add', path: 'deploy/hf-spaces/README.md', templateFile: 'hf-spaces/deploy/hf-spaces/README.md.hbs' },
      { type: 'add', path: 'deploy/hf-spaces/Dockerfile', templateFile: dockerfileTemplate({ stack: view.service.stack, ...(view.service.kind ? { kind: view.service.kind } : {}) }), data },
    ];
    if (view.nginxConf) actions.push({ type: 'add', path: 'deploy/hf-spaces/nginx.conf', templateFile: 'docker/nginx.conf.hbs', data });
    return actions;
  },
};
