import type { DeployKitConfig, EnvVarConfig, ServiceConfig } from '../config/types.js';
import { ACTIONS, nodeImage, PACKAGE_MANAGER_DEFAULTS, TINI_PATH } from '../versions.js';

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
}

export interface ProjectView {
  name: string;
  services: ServiceView[];
  service: ServiceView | null;
  branches: { production: string; staging: string | null; all: string[] };
  env: { required: EnvVarConfig[]; optional: EnvVarConfig[]; secrets: EnvVarConfig[] };
  targets: { compose: boolean };
  action: Record<string, string>;
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
  };
}

/** Everything the templates may read, derived from the config alone (no disk, no clock). */
export function projectView(config: DeployKitConfig): ProjectView {
  const env = config.env ?? [];
  const staging = config.branches.staging ?? null;
  const action: Record<string, string> = {};
  for (const [name, pin] of Object.entries(ACTIONS)) action[name] = `${name}@${pin.sha} # ${pin.version}`;
  return {
    name: config.name,
    services: config.services.map((s) => serviceView(config, s)),
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
    targets: { compose: config.targets.some((t) => t.type === 'compose') },
    action,
  };
}
