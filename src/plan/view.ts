import type { DeployKitConfig, EnvVarConfig, ServiceConfig, VpsTargetConfig } from '../config/types.js';
import { ACTIONS, CI_IMAGES, nodeImage, PACKAGE_MANAGER_DEFAULTS, TINI_PATH } from '../versions.js';

/** How each package manager installs, prunes and caches inside an image and in CI. */
const PM = {
  npm: {
    lockfile: 'package-lock.json',
    installAll: 'npm ci',
    installProd: 'npm ci --omit=dev',
    prune: 'npm prune --omit=dev',
    cacheDir: '/root/.npm',
    setupNodeCache: 'npm',
  },
  pnpm: {
    lockfile: 'pnpm-lock.yaml',
    installAll: 'pnpm install --frozen-lockfile',
    installProd: 'pnpm install --frozen-lockfile --prod',
    prune: 'pnpm prune --prod',
    cacheDir: '/root/.local/share/pnpm/store',
    setupNodeCache: 'pnpm',
  },
  yarn: {
    lockfile: 'yarn.lock',
    installAll: 'yarn install --frozen-lockfile',
    installProd: 'yarn install --frozen-lockfile --production',
    // yarn classic has no prune: a production-only reinstall over the same tree does it.
    prune: 'yarn install --frozen-lockfile --production --ignore-scripts --prefer-offline',
    cacheDir: '/usr/local/share/.cache/yarn',
    setupNodeCache: 'yarn',
  },
} as const;

export interface ServiceView extends ServiceConfig {
  dir: string;
  /** Build context as compose and CI see it: "." or "./apps/api". */
  context: string;
  image: string;
  baseImage: string;
  lockfile: string;
  manifests: string;
  installAll: string;
  installProd: string;
  prune: string;
  cacheDir: string;
  setupNodeCache: string;
  /** A RUN line that installs a pinned pnpm or yarn when the image has none, else null. */
  pmInstall: string | null;
  /** CI needs pnpm/action-setup before setup-node. */
  usesPnpm: boolean;
  startArgs: string;
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
  jobId: string;
  tini: string;
  /** The image's health probe as a shell command (`node -e "..."`), for `docker exec` in CI. */
  healthProbeShell: string;
  /** The image in a GitLab project's registry: $CI_REGISTRY_IMAGE, or $CI_REGISTRY_IMAGE/<service> when there are several. */
  gitlabImage: string;
  /** True for the service a vps target deploys. */
  vps: boolean;
}

export interface ProjectView {
  name: string;
  services: ServiceView[];
  service: ServiceView | null;
  branches: { production: string; staging: string | null; all: string[] };
  env: { required: EnvVarConfig[]; optional: EnvVarConfig[]; secrets: EnvVarConfig[] };
  targets: { compose: boolean; vps: VpsView | null };
  action: Record<string, string>;
  /** The CI provider, as flags for templates: exactly one is true. */
  ci: { provider: DeployKitConfig['ci']['provider']; github: boolean; gitlab: boolean };
  /** Images the GitLab pipeline runs in (pinned in the versions table). */
  ciImages: typeof CI_IMAGES;
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

/**
 * A probe in plain Node (every Node image has it; curl and wget may not exist there).
 * It reads PORT at run time so the check follows a port override.
 */
function healthProbe(service: ServiceConfig): string {
  return (
    `fetch('http://127.0.0.1:'+(process.env.PORT||${service.port})+'${service.healthPath}')` +
    '.then(r=>process.exit(r.ok?0:1),()=>process.exit(1))'
  );
}

function serviceView(config: DeployKitConfig, s: ServiceConfig): ServiceView {
  const pm = PM[s.packageManager];
  const dir = dirOf(s.path);
  const version = s.packageManagerVersion ?? (s.packageManager === 'npm' ? null : PACKAGE_MANAGER_DEFAULTS[s.packageManager]);
  // --force: some images already carry a yarn binary, and a plain global install would refuse to replace it.
  const pmInstall =
    s.packageManager === 'npm'
      ? null
      : `npm install --global --no-fund --no-audit${s.packageManager === 'yarn' ? ' --force' : ''} ${s.packageManager}@${version}`;
  const prefix = s.name.toUpperCase().replace(/-/g, '_');
  const image = config.services.length === 1 ? config.name : `${config.name}-${s.name}`;
  return {
    ...s,
    build: s.build ?? null,
    test: s.test ?? null,
    framework: s.framework ?? 'none',
    packageManagerVersion: s.packageManagerVersion ?? null,
    dir,
    context: dir ? `./${dir}` : '.',
    image,
    baseImage: nodeImage(s.languageVersion),
    lockfile: pm.lockfile,
    manifests: `package.json ${pm.lockfile}`,
    installAll: pm.installAll,
    installProd: pm.installProd,
    prune: pm.prune,
    cacheDir: pm.cacheDir,
    setupNodeCache: pm.setupNodeCache,
    pmInstall,
    usesPnpm: s.packageManager === 'pnpm',
    startArgs: JSON.stringify(s.start.split(/ +/)),
    healthUrl: `http://127.0.0.1:${s.port}${s.healthPath}`,
    healthCheckArgs: JSON.stringify(['node', '-e', healthProbe(s)]),
    composeHealthTest: JSON.stringify(['CMD', 'node', '-e', healthProbe(s)]),
    envPrefix: prefix,
    composeImage: `\${${prefix}_IMAGE:-${image}:local}`,
    composePort: `127.0.0.1:\${${prefix}_PORT:-${s.port}}:${s.port}`,
    jobId: s.name,
    tini: TINI_PATH,
    healthProbeShell: `node -e "${healthProbe(s)}"`,
    gitlabImage: config.services.length === 1 ? '$CI_REGISTRY_IMAGE' : `$CI_REGISTRY_IMAGE/${s.name}`,
    vps: false,
  };
}

/** Everything the templates may read, derived from the config alone (no disk, no clock). */
export function projectView(config: DeployKitConfig): ProjectView {
  const env = config.env ?? [];
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
    targets: { compose: config.targets.some((t) => t.type === 'compose'), vps },
    action,
    ci: { provider: config.ci.provider, github: config.ci.provider === 'github', gitlab: config.ci.provider === 'gitlab' },
    ciImages: CI_IMAGES,
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
