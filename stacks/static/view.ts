/** A plain site's template data: nginx serves the files as they are. */
import type { ServiceConfig } from '../../src/config/types.js';
import { NGINX_IMAGE, NGINX_USER } from '../../src/versions.js';
import { NGINX_RUNS_AS, nginxView } from '../nginx.js';
import type { ServiceDirs, StackView } from '../types.js';

export function staticView(s: ServiceConfig, { dir }: ServiceDirs): StackView {
  return {
    // Nothing to install, build or test.
    testJob: false,
    languageVersion: '',
    baseImage: NGINX_IMAGE,
    runtimeImage: NGINX_IMAGE,
    lockfilePath: null,
    ciCacheFiles: [],
    imageSummary: 'static files served by nginx',
    runsAs: NGINX_RUNS_AS,
    user: NGINX_USER,
    tiniNeeded: false,
    // A plain site has no build to set a base path: served at the root.
    nginx: nginxView(s.spa !== undefined ? { spa: s.spa } : {}, dir, false, []),
  };
}
