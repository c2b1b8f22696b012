import { inService, type Generator } from './types.js';

/** Per service: a multi-stage, non-root, health-checked Dockerfile and its .dockerignore. */
export const docker: Generator = {
  name: 'docker',
  description: 'Dockerfile and .dockerignore for each service',
  when: (config) => config.services.length > 0,
  actions: (config) =>
    config.services.flatMap((service) => [
      { type: 'add', path: inService(service, 'Dockerfile'), templateFile: `docker/${service.stack}.Dockerfile.hbs`, data: { serviceName: service.name } },
      { type: 'add', path: inService(service, '.dockerignore'), templateFile: 'docker/.dockerignore.hbs', data: { serviceName: service.name } },
    ]),
};
