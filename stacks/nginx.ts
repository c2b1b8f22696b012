/**
 * nginx, the runtime of every site the kit serves as files: a Node site built to static files and
 * a plain HTML site. Not a stack of its own; the two stacks share its probe, view and questions.
 */
import type { ServiceConfig } from '../src/config/types.js';
import { NGINX_USER } from '../src/versions.js';
import { inDir, probeForms } from './shared.js';
import type { NginxStackView, Probe, ServiceQuestions } from './types.js';

/** The route the nginx config the kit writes answers. */
export const NGINX_HEALTH_PATH = '/healthz';

/** bash's /dev/tcp: nginx images have no curl or wget, but bash, head and grep are Essential in every Debian image. */
export function nginxProbe(s: Pick<ServiceConfig, 'port' | 'healthPath'>): Probe {
  const sh = `exec 3<>/dev/tcp/127.0.0.1/${s.port} && printf "GET ${s.healthPath ?? NGINX_HEALTH_PATH} HTTP/1.0\\r\\n\\r\\n" >&3 && head -n 1 <&3 | grep -q " 200 "`;
  return probeForms(['bash', '-c', sh], `bash -c '${sh}'`);
}

export function nginxView(s: Pick<ServiceConfig, 'spa'>, dir: string, spaDefault: boolean, immutablePaths: string[]): NginxStackView {
  return { confFile: inDir(dir, 'nginx.conf'), immutablePaths, spa: s.spa ?? spaDefault, user: NGINX_USER };
}

export const NGINX_RUNS_AS = `the unprivileged nginx user (uid ${NGINX_USER.split(':')[0]})`;

/** A site nginx serves: the kit writes the server, so port and health route are the kit's own. */
export function nginxQuestions(): ServiceQuestions {
  const fixed = { value: '8080', evidence: 'nginx in the image listens where the kit configures it' };
  return {
    port: fixed,
    healthPath: { value: NGINX_HEALTH_PATH, evidence: 'the nginx config the kit writes answers it' },
    start: undefined,
    needsStart: false,
    fallback: { port: '8080', healthPath: NGINX_HEALTH_PATH },
  };
}
