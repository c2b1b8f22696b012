import { dockerfileTemplate, runtimeOf } from '../stacks/index.js';
import { ELIXIR_OTP, elixirImage } from '../src/versions.js';
import { inService, type AddAction, type Generator } from './types.js';

/**
 * Per service: a multi-stage, non-root, health-checked Dockerfile and its .dockerignore (beside
 * the Dockerfile as `Dockerfile.dockerignore` for a workspace package (Node), member (uv), Gradle subproject or Maven module, whose build context is the
 * workspace root); for a site nginx serves, the nginx.conf the image runs with.
 */
export const docker: Generator = {
  name: 'docker',
  description: 'Dockerfile and .dockerignore for each service (and nginx.conf for static sites)',
  when: (config) => config.services.length > 0,
  // An Elixir image tag names both versions: a pair Elixir does not support has no image to build from.
  refusals: ({ config }) =>
    config.services.flatMap((s, i) => {
      const range = s.stack === 'elixir' && s.otpVersion !== undefined ? ELIXIR_OTP[s.languageVersion ?? ''] : undefined;
      if (!range || (Number(s.otpVersion) >= range.min && Number(s.otpVersion) <= range.max)) return [];
      return [
        `services[${i}].otpVersion: Elixir ${s.languageVersion} runs on Erlang/OTP ${range.min} to ${range.max}, not ${s.otpVersion} ` +
          `(there is no ${elixirImage(s.languageVersion!, s.otpVersion!)} image); set otpVersion to one of those, or remove it for OTP ${range.max}`,
      ];
    }),
  actions: ({ config }) =>
    config.services.flatMap((service) => {
      const data = { serviceName: service.name };
      const fromRoot = service.stack === 'node' || service.stack === 'python' || service.stack === 'bun' || service.stack === 'java';
      const workspace = fromRoot && service.workspaceRoot !== undefined;
      const ignore = workspace ? 'Dockerfile.dockerignore' : '.dockerignore';
      const actions: AddAction[] = [
        { type: 'add', path: inService(service, 'Dockerfile'), templateFile: dockerfileTemplate(service), data },
        { type: 'add', path: inService(service, ignore), templateFile: 'docker/.dockerignore.hbs', data },
      ];
      if (runtimeOf(service) === 'nginx') actions.push({ type: 'add', path: inService(service, 'nginx.conf'), templateFile: 'docker/nginx.conf.hbs', data });
      return actions;
    }),
  runbook: ['files'],
};
