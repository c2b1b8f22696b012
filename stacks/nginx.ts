/**
 * nginx, the runtime of every site the kit serves as files: a site a Node or Bun build emits, and
 * a plain HTML site. Not a stack of its own; those stacks share its probe, view and questions.
 */
import type { ServiceConfig, WebFramework } from '../src/config/types.js';
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

export function nginxView(
  s: Pick<ServiceConfig, 'spa' | 'basePath'>,
  dir: string,
  spaDefault: boolean,
  immutablePaths: string[],
  site = siteName(undefined),
): NginxStackView {
  // A site built for /docs links its pages and assets under /docs: its files go there, and so do the cached paths.
  const base = s.basePath ?? '';
  return {
    confFile: inDir(dir, 'nginx.conf'),
    immutablePaths: immutablePaths.map((p) => `${base}${p}`),
    spa: s.spa ?? spaDefault,
    user: NGINX_USER,
    siteName: site,
    basePath: base,
    docroot: `/usr/share/nginx/html${base}`,
  };
}

/** Directories whose files carry a content hash in their names, per site builder: safe to cache for a year. */
const IMMUTABLE_PATHS: Record<WebFramework, string[]> = {
  vite: ['/assets/'],
  docusaurus: ['/assets/'],
  cra: ['/static/'],
  // Angular hashes file names at the output's root (main-<hash>.js): no directory is all hashed.
  angular: [],
  'vue-cli': ['/js/', '/css/'],
  gatsby: ['/static/'],
  astro: ['/_astro/'],
  next: ['/_next/static/'],
  nuxt: ['/_nuxt/'],
  sveltekit: ['/_app/immutable/'],
  remix: ['/assets/'],
  'react-router': ['/assets/'],
  'tanstack-start': ['/assets/'],
  // Eleventy keeps the file names it is given: nothing is hashed unless a plugin does it.
  eleventy: [],
  vitepress: ['/assets/'],
};

/** Each site builder's own name, with its article, for headers and the runbook. */
const SITE_NAMES: Record<WebFramework, string> = {
  next: 'a Next.js',
  nuxt: 'a Nuxt',
  remix: 'a Remix',
  'react-router': 'a React Router',
  sveltekit: 'a SvelteKit',
  astro: 'an Astro',
  'tanstack-start': 'a TanStack Start',
  vite: 'a Vite',
  docusaurus: 'a Docusaurus',
  gatsby: 'a Gatsby',
  cra: 'a Create React App',
  angular: 'an Angular',
  'vue-cli': 'a Vue CLI',
  eleventy: 'an Eleventy',
  vitepress: 'a VitePress',
};

/** "an Astro site", "a static site": what a built site is called in the image's summary. */
export function siteName(web: WebFramework | undefined): string {
  return `${web ? SITE_NAMES[web] : 'a static'} site`;
}

/** Site builders whose output is a single-page app: unknown paths are the app's routes. */
const SPA_FRAMEWORKS = new Set<WebFramework>(['vite', 'cra', 'remix', 'react-router', 'angular', 'vue-cli']);

/** The nginx view of a site a build emits (Node or Bun): SPA fallback and hashed-asset caching by its site builder. */
export function builtSiteNginxView(s: Pick<ServiceConfig, 'spa' | 'webFramework' | 'basePath'>, dir: string): NginxStackView {
  const web = s.webFramework;
  return nginxView(s, dir, web !== undefined && SPA_FRAMEWORKS.has(web), web ? IMMUTABLE_PATHS[web] : [], siteName(web));
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
