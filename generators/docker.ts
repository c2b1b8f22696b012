import { dockerfileTemplate, runtimeOf } from '../stacks/index.js';
import { inService, type AddAction, type Generator } from './types.js';

/**
 * Per service: a multi-stage, non-root, health-checked Dockerfile and its .dockerignore (beside
 * the Dockerfile as `Dockerfile.dockerignore` for a workspace package, whose build context is the
 * workspace root); for a site nginx serves, the nginx.conf the image runs with.
 */
export const docker: Generator = {
  name: 'docker',
  description: 'Dockerfile and .dockerignore for each service (and nginx.conf for static sites)',
  when: (config) => config.services.length > 0,
  actions: ({ config }) =>
    config.services.flatMap((service) => {
      const data = { serviceName: service.name };
      const ignore = service.stack === 'node' && service.workspaceRoot !== undefined ? 'Dockerfile.dockerignore' : '.dockerignore';
      const actions: AddAction[] = [
        { type: 'add', path: inService(service, 'Dockerfile'), templateFile: dockerfileTemplate(service), data },
        { type: 'add', path: inService(service, ignore), templateFile: 'docker/.dockerignore.hbs', data },
      ];
      if (runtimeOf(service) === 'nginx') actions.push({ type: 'add', path: inService(service, 'nginx.conf'), templateFile: 'docker/nginx.conf.hbs', data });
      return actions;
    }),
  runbook: ['files'],
};
