/**
 * Template data of the platform targets (hf-spaces, github-pages, vercel, netlify, fly,
 * kubernetes): every option with its default applied, plus what the templates derive from it.
 * Pure functions of the config, like the rest of the view; view.ts exposes them as `targets.<x>`.
 */
import type {
  DeployKitConfig,
  FlyTargetConfig,
  GithubPagesTargetConfig,
  HfSpacesTargetConfig,
  KubernetesTargetConfig,
  NetlifyTargetConfig,
  ServiceConfig,
  TargetConfig,
  VercelTargetConfig,
} from '../config/types.js';
import { ACTIONS, CLI_TOOLS, DISTROLESS_NONROOT, NGINX_USER } from '../versions.js';
import { runtimeOf } from '../../stacks/index.js';
import type { ServiceView } from './view.js';

/** Views of a config's services (projectView's), passed in so this module does not import view.ts. */
export type ServicesOf = (config: DeployKitConfig) => ServiceView[];

function targetOf<T extends TargetConfig['type']>(config: DeployKitConfig, type: T): Extract<TargetConfig, { type: T }> | undefined {
  return config.targets.find((t): t is Extract<TargetConfig, { type: T }> => t.type === type);
}

/** Quotes a string for a GitHub expression literal ('' escapes a quote). */
function ghString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** `github.ref == 'refs/heads/<branch>'`. */
function onBranch(branch: string): string {
  return `github.ref == ${ghString(`refs/heads/${branch}`)}`;
}

/**
 * The service a target deploys: the one it names, else the first that `fits` (the first
 * service when nothing fits, so check() can say why it does not).
 */
export function targetService(config: DeployKitConfig, target: { service?: string }, fits: (s: ServiceConfig) => boolean = () => true): ServiceConfig | undefined {
  if (target.service) return config.services.find((s) => s.name === target.service);
  return config.services.find(fits) ?? config.services[0];
}

// ---------------------------------------------------------------------------------------------
// Hugging Face Spaces

/** The port a Space serves on unless the app's own port cannot be moved there. */
export const SPACE_PORT = 7860;

/** SSR frameworks whose servers read PORT. */
const PORT_READING_FRAMEWORKS = new Set(['next', 'nuxt', 'sveltekit', 'astro', 'remix', 'react-router']);

/**
 * How a service is moved to port 7860 inside a Space: the start command with its port argument
 * rewritten, or PORT (and the framework variables the Dockerfile sets from it). Null when
 * deploy-kit cannot know that the app would follow (a server whose code picks its own port, a
 * port written where no known flag holds it): the Space then keeps the app's port as `app_port`.
 */
export function spaceStart(s: ServiceConfig, readsPort: boolean): { start: string | undefined } | null {
  if (s.port === SPACE_PORT) return { start: s.start };
  const runtime = runtimeOf(s);
  if (runtime === 'nginx') return { start: s.start };
  const words = (s.start ?? '').split(/ +/).filter(Boolean);
  const port = String(s.port);
  const out: string[] = [];
  let rewrote = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if ((w === '--port' || w === '--server.port') && next === port) {
      out.push(w, String(SPACE_PORT));
      i++;
      rewrote = true;
    } else if ((w === '--bind' || w === '-b') && next !== undefined && next.endsWith(`:${port}`)) {
      out.push(w, `${next.slice(0, -port.length)}${SPACE_PORT}`);
      i++;
      rewrote = true;
    } else if (w === `--port=${port}` || w === `--server.port=${port}`) {
      out.push(`${w.slice(0, -port.length)}${SPACE_PORT}`);
      rewrote = true;
    } else if (w.startsWith('--bind=') && w.endsWith(`:${port}`)) {
      out.push(`${w.slice(0, -port.length)}${SPACE_PORT}`);
      rewrote = true;
    } else {
      // The port somewhere no known flag holds it: the app would not follow.
      if (w.includes(port)) return null;
      out.push(w);
    }
  }
  const start = out.length ? out.join(' ') : s.start;
  if (rewrote) return { start };
  if (s.stack === 'python') {
    // gunicorn binds to $PORT without --bind; Streamlit and Gradio read the variables the Dockerfile sets from it.
    if (s.server === 'gunicorn' || s.server === 'streamlit' || s.framework === 'gradio' || s.framework === 'streamlit') return { start };
    // uvicorn's default port is 8000: an explicit one moves it.
    if (s.server === 'uvicorn') return { start: `${start ?? ''} --port ${SPACE_PORT}`.trim() };
  }
  if (s.stack === 'node' && s.kind === 'ssr' && s.webFramework && PORT_READING_FRAMEWORKS.has(s.webFramework)) return { start };
  // The code reads PORT (detection recorded it under env:): PORT=7860 moves it.
  return readsPort ? { start } : null;
}

export interface HfSpacesView {
  service: ServiceView;
  /** The service as the Space image runs it: port 7860 where possible, uid 1000. */
  spaceService: ServiceView;
  space: string;
  /** https://huggingface.co/spaces/<space> */
  spaceUrl: string;
  /** https://<owner>-<name>.hf.space: where the app answers. */
  appUrl: string;
  title: string;
  emoji: string;
  colorFrom: string;
  colorTo: string;
  /** The README's app_port: 7860, or the app's own port when it cannot move. */
  appPort: number;
  /** True when the app keeps its own port (the runbook says why). */
  ownPort: boolean;
  branch: string;
  githubIf: string;
  /** `git archive` tree-ish of the build context: HEAD or HEAD:<dir>. */
  archiveTree: string;
  /** Repo path of the build context ("" for the root). */
  contextDir: string;
  /** Repo path of the ignore file the Space gets as .dockerignore. */
  dockerignore: string;
  /** Path of nginx.conf inside the Space tree (nginx-served sites), else null. */
  nginxConf: string | null;
  /** Path of the Dockerfile the build context holds (workspace packages), removed in favor of the Space's. */
  contextDockerfile: string;
}

function hfSpacesView(config: DeployKitConfig, services: ServiceView[], servicesOf: ServicesOf): HfSpacesView | null {
  const target = targetOf(config, 'hf-spaces') as HfSpacesTargetConfig | undefined;
  if (!target) return null;
  const s = targetService(config, target);
  const service = services.find((v) => v.name === s?.name);
  if (!s || !service) return null;
  const readsPort = (config.env ?? []).some((e) => e.name === 'PORT');
  const moved = spaceStart(s, readsPort);
  const spaceConfig: ServiceConfig = moved ? { ...s, port: SPACE_PORT, ...(moved.start !== undefined ? { start: moved.start } : {}) } : s;
  const variant = servicesOf({ ...config, services: config.services.map((x) => (x === s ? spaceConfig : x)), targets: [] }).find((v) => v.name === s.name)!;
  // Spaces run the container as uid 1000: the image's user is that uid, whatever the stack's default.
  const spaceService: ServiceView = {
    ...variant,
    go: variant.go ? { ...variant.go, user: '1000:1000' } : null,
    nginx: variant.nginx ? { ...variant.nginx, user: '1000:1000' } : null,
    runsAs: 'uid 1000, as Spaces require',
  };
  const [owner = '', name = ''] = target.space.split('/');
  const sub = `${owner}-${name}`.toLowerCase().replace(/[._]/g, '-');
  const contextDir = service.context === '.' ? '' : service.context.replace(/^\.\//, '');
  return {
    service,
    spaceService,
    space: target.space,
    spaceUrl: `https://huggingface.co/spaces/${target.space}`,
    appUrl: `https://${sub}.hf.space`,
    title: target.title ?? config.name,
    emoji: target.emoji ?? '🚀',
    colorFrom: target.colorFrom ?? 'blue',
    colorTo: target.colorTo ?? 'indigo',
    appPort: spaceService.port,
    ownPort: spaceService.port !== SPACE_PORT,
    branch: config.branches.production,
    githubIf: onBranch(config.branches.production),
    archiveTree: contextDir ? `HEAD:${contextDir}` : 'HEAD',
    contextDir,
    dockerignore: service.workspace ? `${service.dockerfilePath}.dockerignore` : service.dir ? `${service.dir}/.dockerignore` : '.dockerignore',
    nginxConf: service.runtimeNginx ? `${service.inContext}nginx.conf` : null,
    contextDockerfile: `${service.inContext}Dockerfile`,
  };
}

// ---------------------------------------------------------------------------------------------
// GitHub Pages

/** How each site builder is told its base path: a CLI flag appended to the build, or a variable it reads. */
interface BaseHow {
  /** Appended to the build command; `$BASE_PATH` expands at run time. */
  flag: string | null;
  /** Extra variables for the build step (`name: value` with `$BASE_PATH` expanded by the shell). */
  env: { name: string; value: string }[];
  /** True when the framework reads it only if its config says so (the runbook shows the line). */
  configLine: string | null;
  /** The framework's config file, for the runbook. */
  configFile: string | null;
}

const BASE_HOW: Record<string, BaseHow> = {
  vite: { flag: '--base="$BASE_PATH/"', env: [], configLine: null, configFile: null },
  astro: { flag: '--base "$BASE_PATH/"', env: [], configLine: null, configFile: null },
  remix: { flag: '--base="$BASE_PATH/"', env: [], configLine: null, configFile: null },
  'react-router': { flag: '--base="$BASE_PATH/"', env: [], configLine: null, configFile: null },
  cra: { flag: null, env: [{ name: 'PUBLIC_URL', value: '$BASE_PATH' }], configLine: null, configFile: null },
  nuxt: { flag: null, env: [{ name: 'NUXT_APP_BASE_URL', value: '$BASE_PATH/' }], configLine: null, configFile: null },
  docusaurus: { flag: null, env: [{ name: 'BASE_URL', value: '$BASE_PATH/' }], configLine: "baseUrl: process.env.BASE_URL ?? '/',", configFile: 'docusaurus.config.js' },
  next: { flag: null, env: [], configLine: "output: 'export', basePath: process.env.BASE_PATH ?? '',", configFile: 'next.config.js' },
  sveltekit: { flag: null, env: [], configLine: "kit: { paths: { base: process.env.BASE_PATH ?? '' } },", configFile: 'svelte.config.js' },
  gatsby: { flag: '--prefix-paths', env: [], configLine: "pathPrefix: process.env.BASE_PATH ?? '',", configFile: 'gatsby-config.js' },
};

export interface GithubPagesView {
  service: ServiceView;
  /** True when the site has a build (node kind static); false for files served as they are. */
  build: boolean;
  /** The build command with the base path flag, when the framework takes one. */
  buildCommand: string | null;
  buildEnv: { name: string; value: string }[];
  /** Fixed base path from the config, or null to take configure-pages' own. */
  basePath: string | null;
  configLine: string | null;
  configFile: string | null;
  /** Repo path of what gets published. */
  publishDir: string;
  /** Copy index.html to 404.html, so a single-page app's routes load on refresh. */
  spa: boolean;
  branch: string;
}

/** Services GitHub Pages (and the static hosts) can serve: a build that emits files, or files as they are. */
export function isStaticSite(s: Pick<ServiceConfig, 'stack' | 'kind'>): boolean {
  return runtimeOf(s) === 'nginx';
}

function githubPagesView(config: DeployKitConfig, services: ServiceView[]): GithubPagesView | null {
  const target = targetOf(config, 'github-pages') as GithubPagesTargetConfig | undefined;
  if (!target) return null;
  const s = targetService(config, target, isStaticSite);
  const service = services.find((v) => v.name === s?.name);
  if (!s || !service) return null;
  const build = s.stack === 'node' && Boolean(s.build);
  const how = (s.webFramework && BASE_HOW[s.webFramework]) || { flag: null, env: [], configLine: null, configFile: null };
  const npmRun = /^npm run [^\s]+$/.test(s.build ?? '');
  // npm needs `--` before arguments meant for the script; pnpm and yarn pass them on.
  const buildCommand = build ? (how.flag ? `${s.build ?? ''}${npmRun ? ' --' : ''} ${how.flag}` : (s.build ?? null)) : null;
  const outputDir = service.outputDir === '.' ? '' : service.outputDir;
  const publishDir = [service.dir, outputDir].filter(Boolean).join('/') || '.';
  return {
    service,
    build,
    buildCommand,
    buildEnv: how.env,
    basePath: target.basePath ?? null,
    configLine: how.configLine,
    configFile: how.configFile,
    publishDir,
    spa: service.nginx?.spa ?? false,
    branch: config.branches.production,
  };
}

// ---------------------------------------------------------------------------------------------
// Vercel and Netlify

/** Frameworks the static hosts build natively (with the platform's adapter for the SSR ones). */
export const HOSTED_SSR_FRAMEWORKS = new Set(['next', 'nuxt', 'sveltekit', 'astro', 'remix', 'react-router']);

export function isHostable(s: Pick<ServiceConfig, 'stack' | 'kind' | 'webFramework'>): boolean {
  return isStaticSite(s) || (s.stack === 'node' && s.kind === 'ssr' && s.webFramework !== undefined && HOSTED_SSR_FRAMEWORKS.has(s.webFramework));
}

/** One environment a host deploys a branch to. */
export interface HostEnvironmentView {
  key: 'production' | 'staging';
  name: string;
  branch: string;
  githubIf: string;
  jobId: string;
}

export interface HostView {
  service: ServiceView;
  /** The directory the platform builds from ("." for the root). */
  root: string;
  /** Repo path of the platform's config file. */
  configFile: string;
  /** The service is a static site (the config says where its files are). */
  staticSite: boolean;
  /** What the platform publishes, relative to `root` (static sites). */
  outputDir: string;
  spa: boolean;
  /** `npx --yes <cli>@<pinned version>`. */
  cli: string;
  production: HostEnvironmentView;
  staging: HostEnvironmentView | null;
  environments: HostEnvironmentView[];
  prComments: boolean;
  /** vercel: where production is verified. */
  domain: string | null;
  /** The build command, or null for a site without one. */
  build: string | null;
  /** The platform's framework preset (vercel.json `framework`), or null to let it detect. */
  framework: string | null;
  /** The install command from the service's package manager. */
  install: string | null;
  /** Security headers both platforms set on every response. */
  headers: { key: string; value: string }[];
  /** Path production is verified on: the health route of an app, `/` for a site (no health route off nginx). */
  verifyPath: string;
}

/** Headers every hosted site gets (the same set the VPS nginx and the image's nginx send). */
const SECURITY_HEADERS = [
  { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

/** Vercel's framework presets for the builders deploy-kit knows. */
const VERCEL_FRAMEWORK: Record<string, string> = {
  next: 'nextjs',
  nuxt: 'nuxtjs',
  sveltekit: 'sveltekit',
  astro: 'astro',
  remix: 'remix',
  'react-router': 'react-router',
  vite: 'vite',
  docusaurus: 'docusaurus-2',
  gatsby: 'gatsby',
  cra: 'create-react-app',
};

function hostView(config: DeployKitConfig, services: ServiceView[], target: VercelTargetConfig | NetlifyTargetConfig, cli: string): HostView | null {
  const s = targetService(config, target, isHostable);
  const service = services.find((v) => v.name === s?.name);
  if (!s || !service) return null;
  const env = (key: 'production' | 'staging', branch: string): HostEnvironmentView => ({
    key,
    name: key,
    branch,
    githubIf: onBranch(branch),
    jobId: key,
  });
  const production = env('production', config.branches.production);
  const staging = config.branches.staging ? env('staging', config.branches.staging) : null;
  const staticSite = isStaticSite(s);
  const root = service.dir || '.';
  return {
    service,
    root,
    configFile: '',
    staticSite,
    outputDir: service.outputDir || '.',
    spa: service.nginx?.spa ?? false,
    cli,
    production,
    staging,
    environments: staging ? [production, staging] : [production],
    prComments: target.prComments ?? true,
    domain: target.type === 'vercel' ? target.domain : null,
    build: s.stack === 'node' ? (s.build ?? null) : null,
    framework: s.webFramework ? (VERCEL_FRAMEWORK[s.webFramework] ?? null) : null,
    install: service.installAll,
    headers: SECURITY_HEADERS,
    verifyPath: staticSite ? '/' : service.healthPath,
  };
}

function vercelView(config: DeployKitConfig, services: ServiceView[]): HostView | null {
  const target = targetOf(config, 'vercel') as VercelTargetConfig | undefined;
  if (!target) return null;
  const view = hostView(config, services, target, `npx --yes vercel@${CLI_TOOLS.vercel}`);
  if (view) view.configFile = view.root === '.' ? 'vercel.json' : `${view.root}/vercel.json`;
  return view;
}

function netlifyView(config: DeployKitConfig, services: ServiceView[]): HostView | null {
  const target = targetOf(config, 'netlify') as NetlifyTargetConfig | undefined;
  if (!target) return null;
  const view = hostView(config, services, target, `npx --yes netlify-cli@${CLI_TOOLS.netlify}`);
  if (view) view.configFile = view.root === '.' ? 'netlify.toml' : `${view.root}/netlify.toml`;
  return view;
}

// ---------------------------------------------------------------------------------------------
// Fly.io

export interface FlyEnvironmentView extends HostEnvironmentView {
  app: string;
  url: string;
}

export interface FlyView {
  service: ServiceView;
  /** Repo path of fly.toml: the root of the image's build context. */
  configFile: string;
  /** Directory flyctl deploys from (the build context). */
  context: string;
  /** The Dockerfile, relative to the context. */
  dockerfile: string;
  /** Ignore file relative to the context, when it is not the context's .dockerignore. */
  ignorefile: string | null;
  app: string;
  primaryRegion: string;
  strategy: 'rolling' | 'bluegreen';
  minMachinesRunning: number;
  autoStop: boolean;
  memoryMb: number;
  production: FlyEnvironmentView;
  staging: FlyEnvironmentView | null;
  environments: FlyEnvironmentView[];
  /** The pinned setup-flyctl action (a sub-action of superfly/flyctl-actions). */
  setupFlyctl: string;
}

function flyView(config: DeployKitConfig, services: ServiceView[]): FlyView | null {
  const target = targetOf(config, 'fly') as FlyTargetConfig | undefined;
  if (!target) return null;
  const s = targetService(config, target);
  const service = services.find((v) => v.name === s?.name);
  if (!service) return null;
  const contextDir = service.context === '.' ? '' : service.context.replace(/^\.\//, '');
  const env = (key: 'production' | 'staging', branch: string, app: string): FlyEnvironmentView => ({
    key,
    name: key,
    branch,
    githubIf: onBranch(branch),
    jobId: `deploy-${key}`,
    app,
    url: `https://${app}.fly.dev`,
  });
  const production = env('production', config.branches.production, target.app);
  const staging = config.branches.staging ? env('staging', config.branches.staging, target.stagingApp ?? `${target.app}-staging`) : null;
  return {
    service,
    configFile: contextDir ? `${contextDir}/fly.toml` : 'fly.toml',
    context: contextDir || '.',
    dockerfile: `${service.inContext}Dockerfile`,
    ignorefile: service.workspace ? `${service.inContext}Dockerfile.dockerignore` : null,
    app: target.app,
    primaryRegion: target.primaryRegion ?? 'iad',
    strategy: target.strategy ?? 'rolling',
    minMachinesRunning: target.minMachinesRunning ?? 1,
    autoStop: target.autoStop ?? true,
    memoryMb: target.memoryMb ?? 512,
    production,
    staging,
    environments: staging ? [production, staging] : [production],
    setupFlyctl: `superfly/flyctl-actions/setup-flyctl@${ACTIONS['superfly/flyctl-actions'].sha} # ${ACTIONS['superfly/flyctl-actions'].version}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

export interface KubernetesEnvironmentView extends HostEnvironmentView {
  namespace: string;
  domain: string;
  url: string;
  /** HPA bounds. */
  minReplicas: number;
  maxReplicas: number;
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
  /** Repo path of the overlay. */
  overlay: string;
  /** Tag the overlay names until CI pins a commit (the branch tag CI pushes). */
  tag: string;
}

export interface KubernetesView {
  service: ServiceView;
  /** Resource name (Deployment, Service, Ingress, HPA, PDB). */
  app: string;
  /** The image name in the base, which the overlays (and CI) point at the registry. */
  image: string;
  imageRepository: string | null;
  ingressClassName: string;
  clusterIssuer: string | null;
  tlsSecret: string;
  /** runAsUser / runAsGroup of the image's user (numeric, so runAsNonRoot can be verified). */
  uid: number;
  gid: number;
  /** emptyDir mounts for what the app writes on a read-only root filesystem. */
  writable: { name: string; path: string }[];
  /** gitops: argocd — Applications sync the overlays; CI only commits the image tag. */
  argocd: boolean;
  repoUrl: string | null;
  production: KubernetesEnvironmentView;
  staging: KubernetesEnvironmentView | null;
  environments: KubernetesEnvironmentView[];
  kubectlVersion: string;
}

/** uid:gid each runtime's image runs as (node: the official images' `node`; python: the kit's `app`). */
function imageUser(service: ServiceView): [number, number] {
  if (service.runtimeGo) return DISTROLESS_NONROOT.split(':').map(Number) as [number, number];
  if (service.runtimeNginx) return NGINX_USER.split(':').map(Number) as [number, number];
  return [1000, 1000];
}

function kubernetesView(config: DeployKitConfig, services: ServiceView[]): KubernetesView | null {
  const target = targetOf(config, 'kubernetes') as KubernetesTargetConfig | undefined;
  if (!target) return null;
  const s = targetService(config, target);
  const service = services.find((v) => v.name === s?.name);
  if (!service) return null;
  const replicas = target.replicas ?? 2;
  const maxReplicas = Math.max(target.maxReplicas ?? 6, replicas);
  const stagingReplicas = target.stagingReplicas ?? 1;
  const env = (key: 'production' | 'staging', branch: string): KubernetesEnvironmentView => {
    const staging = key === 'staging';
    const domain = staging ? (target.stagingDomain ?? `staging.${target.domain}`) : target.domain;
    return {
      key,
      name: key,
      branch,
      githubIf: onBranch(branch),
      jobId: `deploy-${key}`,
      namespace: staging ? (target.stagingNamespace ?? `${config.name}-staging`) : (target.namespace ?? config.name),
      domain,
      url: `https://${domain}`,
      minReplicas: staging ? stagingReplicas : replicas,
      maxReplicas: staging ? Math.max(stagingReplicas, Math.ceil(maxReplicas / 2)) : maxReplicas,
      requests: staging ? { cpu: '50m', memory: '128Mi' } : { cpu: '250m', memory: '256Mi' },
      limits: staging ? { cpu: '500m', memory: '256Mi' } : { cpu: '1', memory: '512Mi' },
      overlay: `deploy/kubernetes/overlays/${key}`,
      tag: branch.replace(/[^A-Za-z0-9_.-]/g, '-'),
    };
  };
  const production = env('production', config.branches.production);
  const staging = config.branches.staging ? env('staging', config.branches.staging) : null;
  const [uid, gid] = imageUser(service);
  const writable = service.tmpfs.map((path, i) => ({ name: i === 0 ? 'tmp' : `writable-${i}`, path }));
  return {
    service,
    app: service.image,
    image: service.image,
    imageRepository: target.imageRepository ?? null,
    ingressClassName: target.ingressClassName ?? 'nginx',
    clusterIssuer: target.clusterIssuer ?? null,
    tlsSecret: `${service.image}-tls`,
    uid,
    gid,
    writable,
    argocd: target.gitops === 'argocd',
    repoUrl: target.repoUrl ?? null,
    production,
    staging,
    environments: staging ? [production, staging] : [production],
    kubectlVersion: CLI_TOOLS.kubectl,
  };
}

// ---------------------------------------------------------------------------------------------

export interface PlatformViews {
  hfSpaces: HfSpacesView | null;
  githubPages: GithubPagesView | null;
  vercel: HostView | null;
  netlify: HostView | null;
  fly: FlyView | null;
  kubernetes: KubernetesView | null;
  /** At least one platform target: the runbook's secrets section lists their secrets. */
  anyPlatform: boolean;
}

/** Every platform target's view (null for the targets the config does not have). */
export function platformViews(config: DeployKitConfig, services: ServiceView[], servicesOf: ServicesOf): PlatformViews {
  const views = {
    hfSpaces: hfSpacesView(config, services, servicesOf),
    githubPages: githubPagesView(config, services),
    vercel: vercelView(config, services),
    netlify: netlifyView(config, services),
    fly: flyView(config, services),
    kubernetes: kubernetesView(config, services),
  };
  return { ...views, anyPlatform: Object.values(views).some((v) => v !== null) };
}
