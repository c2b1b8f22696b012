import type { DeployKitConfig, EnvVarConfig, ServiceConfig, VpsTargetConfig } from '../config/types.js';
import { ACTIONS, ADDON_IMAGES, CI_IMAGES, TINI_PATH } from '../versions.js';
import { platformViews, type PlatformViews } from './platforms.js';
import { probe, stackFields, type StackFields } from '../../stacks/index.js';

/** Config keys that only some stacks have, always present in the view (null where they do not apply). */
type Optional = 'languageVersion' | 'kind' | 'webFramework' | 'outputDir' | 'spa' | 'workspaceRoot' | 'packageManager' | 'start' | 'server' | 'entrypoint' | 'collectstatic' | 'mainPackage';

export interface ServiceView extends Omit<ServiceConfig, Optional>, StackFields {
  kind: NonNullable<ServiceConfig['kind']> | null;
  webFramework: NonNullable<ServiceConfig['webFramework']> | null;
  outputDir: string;
  workspaceRoot: string | null;
  packageManager: NonNullable<ServiceConfig['packageManager']> | null;
  start: string | null;
  dir: string;
  /** Build context as compose and CI see it: "." or "./apps/api" (a workspace package builds from its workspace root). */
  context: string;
  /** The Dockerfile, relative to the context, when it is not the context's own (workspace packages); else null. */
  dockerfile: string | null;
  /** Repo path of the Dockerfile. */
  dockerfilePath: string;
  /** Prefix of the service's files inside the build context: "" or "apps/web/" for a workspace package. */
  inContext: string;
  /** The service's directory inside the workspace image (/app or /app/apps/web). */
  appDir: string;
  /** Node workspace root ("" for the repo root), or null when the service is not in a workspace. */
  workspaceDir: string | null;
  /** The service is a Node workspace package, built from the workspace root. */
  workspace: boolean;
  image: string;
  // Node package manager fields, kept at the top level for the Node templates (null elsewhere).
  lockfile: string | null;
  manifests: string | null;
  installAll: string | null;
  installProd: string | null;
  prune: string | null;
  cacheDir: string | null;
  setupNodeCache: string | null;
  /** A RUN line that installs a pinned pnpm or yarn when the image has none, else null. */
  pmInstall: string | null;
  /** CI needs pnpm/action-setup before setup-node. */
  usesPnpm: boolean;
  /** CMD in exec form (JSON); null where the image's ENTRYPOINT is the whole command (go, nginx). */
  startArgs: string | null;
  healthUrl: string;
  healthCheckArgs: string;
  /** The same probe as a compose healthcheck `test`. */
  composeHealthTest: string;
  /** Prefix of the variables that override this service in compose (API_PORT, API_IMAGE). */
  envPrefix: string;
  /** compose `image:`, overridable per deploy: ${API_IMAGE:-name:local}. */
  composeImage: string;
  /** compose port mapping on loopback, host port overridable: 127.0.0.1:${API_PORT:-3000}:3000. */
  composePort: string;
  /** compose `environment:` entries (name, value), in order. */
  composeEnv: { name: string; value: string }[];
  /** compose tmpfs mounts: /tmp, plus what the framework writes at run time. */
  tmpfs: string[];
  /** Add-on services this one waits for in compose (healthy first). */
  dependsOn: string[];
  jobId: string;
  tini: string;
  /** The image's health probe as a command line for `docker exec` in CI. */
  healthProbeShell: string;
  /** The image in a GitLab project's registry: $CI_REGISTRY_IMAGE, or $CI_REGISTRY_IMAGE/<service> when there are several. */
  gitlabImage: string;
  /** True for the service a vps target deploys. */
  vps: boolean;
  /** `docker compose run` line for the migrate command, or null. */
  migrateRun: string | null;
  /** .dockerignore lines for what the build stage makes again (dist, .next, ...). */
  ignoreBuilt: string[];
}

export interface ProjectView {
  name: string;
  services: ServiceView[];
  service: ServiceView | null;
  branches: { production: string; staging: string | null; all: string[] };
  env: { required: EnvVarConfig[]; optional: EnvVarConfig[]; secrets: EnvVarConfig[] };
  targets: { compose: boolean; vps: VpsView | null } & PlatformViews;
  action: Record<string, string>;
  /** The CI provider, as flags for templates: exactly one is true. */
  ci: { provider: DeployKitConfig['ci']['provider']; github: boolean; gitlab: boolean };
  /** Images the GitLab pipeline runs in (pinned in the versions table). */
  ciImages: typeof CI_IMAGES;
  /** Compose add-ons: which are on, and their pinned images. */
  addons: { postgres: boolean; redis: boolean; any: boolean; images: typeof ADDON_IMAGES };
  /** Which stacks the project has, for stack-specific runbook sections. */
  stacks: { node: boolean; python: boolean; go: boolean; nginx: boolean; django: boolean };
  /** Services with a migrate command. */
  migrations: ServiceView[];
}

/** Variables the add-ons need, added to `env:` (the config's own entry wins when it names one). */
const ADDON_ENV: Record<'postgres' | 'redis', EnvVarConfig[]> = {
  postgres: [
    { name: 'POSTGRES_PASSWORD', required: true, secret: true, description: 'Password of the PostgreSQL add-on (compose creates the database with it). Use a URL-safe one: openssl rand -hex 24.' },
    { name: 'POSTGRES_USER', required: false, secret: false, description: 'PostgreSQL user (compose default: app).', example: 'app' },
    { name: 'POSTGRES_DB', required: false, secret: false, description: 'PostgreSQL database (compose default: app).', example: 'app' },
    { name: 'DATABASE_URL', required: false, secret: true, description: 'PostgreSQL connection string. Compose sets it from the POSTGRES_* values; set it where the app runs without compose.' },
  ],
  redis: [{ name: 'REDIS_URL', required: false, secret: true, description: 'Redis connection string. Compose sets it (redis://redis:6379/0); set it where the app runs without compose.' }],
};

/** The config's env (in its order) plus what the add-ons need that it does not name. */
export function envWithAddons(config: Pick<DeployKitConfig, 'env' | 'addons'>): EnvVarConfig[] {
  const env = [...(config.env ?? [])];
  const names = new Set(env.map((e) => e.name));
  for (const addon of ['postgres', 'redis'] as const) {
    if (!config.addons?.[addon]) continue;
    for (const v of ADDON_ENV[addon]) if (!names.has(v.name)) env.push(v);
  }
  return env;
}

/** One environment a VPS target deploys to (production, and staging when branches.staging is set). */
export interface VpsEnvironmentView {
  key: 'production' | 'staging';
  /** Environment name in the CI provider (secrets, URL, deploy history). */
  name: string;
  branch: string;
  /** `github.ref == 'refs/heads/<branch>'`, with the branch quoted for a GitHub expression. */
  githubIf: string;
  /** The same test as a GitLab `rules: if:` expression. */
  gitlabIf: string;
  domain: string;
  url: string;
  appDir: string;
  /** Container names are `<app>-blue` / `<app>-green`. */
  app: string;
  bluePort: number;
  greenPort: number;
  /** nginx upstream name (letters, digits, underscores). */
  upstream: string;
  /** The file deploy.sh rewrites to switch colors (one `server` line per color). */
  upstreamFile: string;
  /** What the site config includes: the same path as a glob, so nginx loads before the first deploy wrote it. */
  upstreamInclude: string;
  /** Repo path of this environment's nginx site config. */
  siteFile: string;
  /** Environment variables for the host scripts, as `NAME=value` words for a remote command line. */
  scriptEnv: string;
  jobId: string;
  /** Prometheus file_sd file deploy.sh writes with the live color's address (monitoring only). */
  promTargetsFile: string;
  /** nginx limit_req zone (one per environment: zones are global to nginx). */
  rateZone: string;
}

export interface VpsView {
  service: ServiceView;
  /** Image repository name (under ghcr.io/<owner>/ or the GitLab project's registry). */
  image: string;
  environments: VpsEnvironmentView[];
  production: VpsEnvironmentView;
  staging: VpsEnvironmentView | null;
  sshUser: string;
  keepReleases: number;
  monitoring: boolean;
  rateLimit: { rate: number; burst: number } | null;
  /** verify.sh arguments after the URL: single-quoted `PATH=STATUS` words, the health path first. */
  verifyChecks: string;
  smokeTests: { path: string; status: number }[];
  /** The nginx site configs, production first. */
  siteFiles: string[];
}

function dirOf(path: string): string {
  return path.replace(/^\.\/?/, '').replace(/\/+$/, '');
}

/** Framework build directories, rebuilt inside the image (a stale local copy must not slip in). */
const BUILT_DIRS: Record<string, string[]> = {
  next: ['.next', 'out'],
  nuxt: ['.nuxt', '.output'],
  sveltekit: ['.svelte-kit'],
  astro: ['.astro'],
  docusaurus: ['.docusaurus'],
  gatsby: ['.cache'],
  remix: ['.cache'],
  'react-router': ['.react-router'],
};

function defaultOutputDir(s: ServiceConfig): string {
  if (s.stack === 'static') return '.';
  if (s.stack !== 'node') return '';
  return s.webFramework === 'astro' || s.kind === 'static' ? 'dist' : 'build';
}

function ignoreBuilt(s: ServiceConfig, workspace: boolean): string[] {
  if (s.stack !== 'node' || !s.build) return [];
  const dirs = ['dist', 'build', ...(s.webFramework ? (BUILT_DIRS[s.webFramework] ?? []) : [])];
  // public/ is source for most frameworks (Gatsby's output too, but its files may be hand-written).
  if (s.outputDir && s.outputDir !== 'public' && !s.outputDir.startsWith('.') && !dirs.includes(s.outputDir)) dirs.push(s.outputDir);
  // A workspace package's ignore file applies to the whole workspace (its build context).
  return workspace ? dirs.map((d) => `**/${d}`) : dirs;
}

function serviceView(config: DeployKitConfig, s: ServiceConfig): ServiceView {
  const dir = dirOf(s.path);
  const workspaceDir = s.stack === 'node' && s.workspaceRoot !== undefined ? dirOf(s.workspaceRoot) : null;
  const stack = stackFields(s, dir, workspaceDir);
  const node = stack.node;
  const prefix = s.name.toUpperCase().replace(/-/g, '_');
  const image = config.services.length === 1 ? config.name : `${config.name}-${s.name}`;
  const contextDir = workspaceDir ?? dir;
  // Path of the service inside its workspace ("apps/web"), when the context is the workspace root.
  const inWorkspace = workspaceDir === null ? '' : workspaceDir === '' ? dir : dir.slice(workspaceDir.length + 1);
  const inContext = inWorkspace ? `${inWorkspace}/` : '';
  const health = probe(s);
  const app = stack.runtime !== 'nginx';
  const composeEnv: { name: string; value: string }[] = [];
  if (stack.runtimeNode) composeEnv.push({ name: 'NODE_ENV', value: 'production' });
  if (app) composeEnv.push({ name: 'PORT', value: JSON.stringify(String(s.port)) });
  const addons = config.addons ?? {};
  if (app && addons.postgres) {
    // Built from .env's parts, so the password is set once (and never written here).
    composeEnv.push({ name: 'DATABASE_URL', value: JSON.stringify('postgresql://${POSTGRES_USER:-app}:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@postgres:5432/${POSTGRES_DB:-app}') });
  }
  if (app && addons.redis) composeEnv.push({ name: 'REDIS_URL', value: JSON.stringify('redis://redis:6379/0') });
  const { languageVersion: _lv, spa: _spa, server: _server, entrypoint: _entry, collectstatic: _cs, mainPackage: _main, ...rest } = s;
  return {
    ...rest,
    ...stack,
    kind: s.stack === 'node' ? (s.kind ?? 'server') : null,
    webFramework: s.webFramework ?? null,
    workspaceRoot: s.workspaceRoot ?? null,
    packageManager: s.packageManager ?? null,
    start: s.start ?? null,
    build: s.build ?? null,
    test: s.test ?? (s.stack === 'go' ? 'go test ./...' : null),
    framework: s.framework ?? 'none',
    packageManagerVersion: s.packageManagerVersion ?? null,
    migrate: s.migrate ?? null,
    outputDir: s.outputDir ?? defaultOutputDir(s),
    dir,
    context: contextDir ? `./${contextDir}` : '.',
    dockerfile: workspaceDir === null ? null : `${inContext}Dockerfile`,
    dockerfilePath: dir ? `${dir}/Dockerfile` : 'Dockerfile',
    inContext,
    appDir: inWorkspace ? `/app/${inWorkspace}` : '/app',
    workspaceDir,
    workspace: workspaceDir !== null,
    image,
    lockfile: node?.lockfile ?? null,
    manifests: node?.manifests ?? null,
    installAll: node?.installAll ?? null,
    installProd: node?.installProd ?? null,
    prune: node?.prune ?? null,
    cacheDir: node?.cacheDir ?? null,
    setupNodeCache: node?.setupNodeCache ?? null,
    pmInstall: node?.pmInstall ?? null,
    usesPnpm: node?.usesPnpm ?? false,
    startArgs: (stack.runtimeNode || stack.runtimePython) && s.start ? JSON.stringify(s.start.split(/ +/)) : null,
    healthUrl: `http://127.0.0.1:${s.port}${s.healthPath}`,
    ...health,
    envPrefix: prefix,
    composeImage: `\${${prefix}_IMAGE:-${image}:local}`,
    composePort: `127.0.0.1:\${${prefix}_PORT:-${s.port}}:${s.port}`,
    composeEnv,
    // Next.js writes its image and fetch caches under .next/cache; the root filesystem is read-only.
    tmpfs: node?.next ? ['/tmp', `${inWorkspace ? `/app/${inWorkspace}` : '/app'}/.next/cache`] : ['/tmp'],
    dependsOn: app ? (['postgres', 'redis'] as const).filter((a) => addons[a]) : [],
    jobId: s.name,
    tini: TINI_PATH,
    gitlabImage: config.services.length === 1 ? '$CI_REGISTRY_IMAGE' : `$CI_REGISTRY_IMAGE/${s.name}`,
    vps: false,
    migrateRun: s.migrate ? `docker compose run --rm ${s.name} ${s.migrate}` : null,
    ignoreBuilt: ignoreBuilt(s, workspaceDir !== null),
  };
}

/** Everything the templates may read, derived from the config alone (no disk, no clock). */
export function projectView(config: DeployKitConfig): ProjectView {
  const env = envWithAddons(config);
  const staging = config.branches.staging ?? null;
  const action: Record<string, string> = {};
  for (const [name, pin] of Object.entries(ACTIONS)) action[name] = `${name}@${pin.sha} # ${pin.version}`;
  const services = config.services.map((s) => serviceView(config, s));
  const vps = vpsView(config, services);
  if (vps) vps.service.vps = true;
  return {
    name: config.name,
    services,
    service: null,
    branches: {
      production: config.branches.production,
      staging,
      all: staging ? [config.branches.production, staging] : [config.branches.production],
    },
    env: {
      required: env.filter((e) => e.required),
      optional: env.filter((e) => !e.required),
      secrets: env.filter((e) => e.secret),
    },
    targets: { compose: config.targets.some((t) => t.type === 'compose'), vps, ...platformViews(config, services, (c) => projectView(c).services) },
    action,
    ci: { provider: config.ci.provider, github: config.ci.provider === 'github', gitlab: config.ci.provider === 'gitlab' },
    ciImages: CI_IMAGES,
    addons: {
      postgres: config.addons?.postgres ?? false,
      redis: config.addons?.redis ?? false,
      any: Boolean(config.addons?.postgres || config.addons?.redis),
      images: ADDON_IMAGES,
    },
    stacks: {
      node: services.some((s) => s.runtimeNode),
      python: services.some((s) => s.runtimePython),
      go: services.some((s) => s.runtimeGo),
      nginx: services.some((s) => s.runtimeNginx),
      django: services.some((s) => s.python?.django ?? false),
    },
    migrations: services.filter((s) => s.migrate !== null),
  };
}

/** Quotes a string for a GitHub expression literal ('' escapes a quote). */
function ghString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * The VPS target with every default applied (the schema cannot apply defaults inside `oneOf`).
 * Staging exists when branches.staging is set; it gets its own domain, directory and ports
 * (+100) so both environments can share one host.
 */
function vpsView(config: DeployKitConfig, services: ServiceView[]): VpsView | null {
  const target = config.targets.find((t): t is VpsTargetConfig => t.type === 'vps');
  if (!target) return null;
  const service = target.service ? services.find((s) => s.name === target.service) : services[0];
  if (!service) {
    throw new Error(`targets: vps.service "${target.service ?? ''}" names no service; services: ${services.map((s) => s.name).join(', ')}`);
  }
  const appDir = target.appDir ?? `/srv/${config.name}`;
  const bluePort = target.bluePort ?? 8001;
  const greenPort = target.greenPort ?? 8002;
  const monitoring = target.monitoring ?? false;
  const environment = (key: 'production' | 'staging', branch: string): VpsEnvironmentView => {
    const staging = key === 'staging';
    const app = staging ? `${config.name}-staging` : config.name;
    const dir = staging ? `${appDir}-staging` : appDir;
    const domain = staging ? (target.stagingDomain ?? `staging.${target.domain}`) : target.domain;
    const ports = staging ? { blue: bluePort + 100, green: greenPort + 100 } : { blue: bluePort, green: greenPort };
    const upstreamFile = `${dir}/nginx/upstream.conf`;
    const promTargetsFile = `${dir}/prometheus-targets.json`;
    const scriptEnv = [
      `APP_NAME=${app}`,
      `APP_DIR=${dir}`,
      `BLUE_PORT=${ports.blue}`,
      `GREEN_PORT=${ports.green}`,
      `NGINX_UPSTREAM_FILE=${upstreamFile}`,
      // Registry credentials per environment: two environments on one host never log each other out.
      `DOCKER_CONFIG=${dir}/.docker`,
      ...(monitoring ? [`PROMETHEUS_TARGETS_FILE=${promTargetsFile}`] : []),
    ].join(' ');
    return {
      key,
      name: staging ? (target.stagingEnvironment ?? 'staging') : (target.environment ?? 'production'),
      branch,
      githubIf: `github.ref == ${ghString(`refs/heads/${branch}`)}`,
      gitlabIf: `$CI_COMMIT_BRANCH == ${JSON.stringify(branch)}`,
      domain,
      url: `https://${domain}`,
      appDir: dir,
      app,
      bluePort: ports.blue,
      greenPort: ports.green,
      upstream: app.replace(/-/g, '_'),
      upstreamFile,
      upstreamInclude: `${dir}/nginx/upstream*.conf`,
      siteFile: `deploy/nginx/${app}.conf`,
      scriptEnv,
      jobId: `deploy-${key}`,
      promTargetsFile,
      rateZone: `${app.replace(/-/g, '_')}_per_ip`,
    };
  };
  const production = environment('production', config.branches.production);
  const staging = config.branches.staging ? environment('staging', config.branches.staging) : null;
  const smokeTests = (target.smokeTests ?? []).map((t) => ({ path: t.path, status: t.status ?? 200 }));
  const rate = target.rateLimit ?? null;
  return {
    service,
    image: service.image,
    environments: staging ? [production, staging] : [production],
    production,
    staging,
    sshUser: target.sshUser ?? 'deploy',
    keepReleases: target.keepReleases ?? 5,
    monitoring,
    rateLimit: rate === null ? null : { rate, burst: rate * 2 },
    verifyChecks: [`${service.healthPath}=200`, ...smokeTests.map((t) => `${t.path}=${t.status}`)].map((w) => `'${w}'`).join(' '),
    smokeTests,
    siteFiles: (staging ? [production, staging] : [production]).map((e) => e.siteFile),
  };
}
