/**
 * One service as the templates see it: its config with every default applied, plus what the
 * templates derive from it (build context, image, probe, compose wiring). Pure: config in, data out.
 */
import type { DeployKitConfig, ServiceConfig } from '../config/types.js';
import { probe, runtimeOf, stackFields, type StackFields } from '../../stacks/index.js';
import { appPortEnv } from '../../stacks/shared.js';
import { healthRouteToAdd } from '../../stacks/health-route.js';
import { NGINX_HEALTH_PATH } from '../../stacks/nginx.js';
import { TINI_PATH } from '../versions.js';
import { targetOf, targetService } from './targets.js';
import { buildTimeVars } from '../config/build-env.js';

/** Config keys that only some stacks have, always present in the view (null where they do not apply). */
type Optional =
  | 'languageVersion'
  | 'kind'
  | 'webFramework'
  | 'outputDir'
  | 'spa'
  | 'workspaceRoot'
  | 'packageManager'
  | 'start'
  | 'server'
  | 'entrypoint'
  | 'collectstatic'
  | 'mainPackage'
  | 'healthPath'
  | 'lockfile'
  | 'portEnv'
  | 'listenAddrEnv'
  | 'databaseUrlEnv'
  | 'migrateOnStart';

export interface ServiceView extends Omit<ServiceConfig, Optional>, StackFields {
  kind: NonNullable<ServiceConfig['kind']> | null;
  webFramework: NonNullable<ServiceConfig['webFramework']> | null;
  outputDir: string;
  workspaceRoot: string | null;
  packageManager: NonNullable<ServiceConfig['packageManager']> | null;
  start: string | null;
  /** The app's own port variable, set to the port beside PORT (image, compose, VPS), or null when PORT is what it reads. */
  portEnv: string | null;
  /** The app's own listen-address variable, set to `0.0.0.0:<port>` beside PORT (image, compose, VPS), or null. */
  listenAddrEnv: string | null;
  /** Both of those with the values the images set beside PORT (empty for a site nginx serves). */
  appEnv: { name: string; value: string }[];
  /** The variable the app reads its PostgreSQL URL from: DATABASE_URL unless the config names another. */
  databaseUrlEnv: string;
  /**
   * The variables the site's build inlines (VITE_*, NEXT_PUBLIC_*...): declared as ARGs in the
   * build stage and passed by compose and CI as build arguments, never as run-time env.
   */
  buildArgs: string[];
  /** The route the probes call, or null when they only connect to the port (healthTcp). */
  healthPath: string | null;
  /** No health route: every probe is a TCP connection to the port. */
  healthTcp: boolean;
  /** With healthTcp: the line of code that gives the app a health route (the runbook shows it), else null. */
  healthRouteToAdd: string | null;
  /** What the probes check, for messages and the runbook: "/health answers 200" or "port 3000 accepts a TCP connection". */
  healthCheck: string;
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
  /** Node or uv workspace root ("" for the repo root), or null when the service is not in a workspace. */
  workspaceDir: string | null;
  /** The service is a Node workspace package or a uv workspace member, built from the workspace root. */
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
  /** The health route's URL on the host, or null (healthTcp). */
  healthUrl: string | null;
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
  /** Paths of the tmpfs mounts (Kubernetes: emptyDirs): /tmp, plus what the framework writes at run time. */
  tmpfs: string[];
  /**
   * The same mounts as Docker's `--tmpfs` and compose's `tmpfs:` take them: /tmp as the engine
   * makes it (1777), each app directory owned by the image's uid:gid with mode 0700 (`path:uid=,gid=,mode=`).
   */
  tmpfsMounts: string[];
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
  /** java: the migration tool the framework runs as the app starts ("Flyway") and the setting that makes it, or null. */
  startMigration: { tool: string; setting: string } | null;
  /** .dockerignore lines for what the build stage makes again (dist, .next, ...). */
  ignoreBuilt: string[];
}

/**
 * Options of a tmpfs mount only the app's user can use. A tmpfs starts root-owned: `uid=`/`gid=`
 * give it to the image's user (Docker passes them to the kernel; podman refuses them, and
 * deploy.sh writes its `U` instead). runc before 1.2 gives the mount the mode of the image's
 * directory whatever `mode=` says, so the Dockerfiles make those directories 0700 too.
 */
function appOwned(user: string): string {
  const [uid = '1000', gid = uid] = user.split(':');
  return `uid=${uid},gid=${gid},mode=0700`;
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
  'tanstack-start': ['.tanstack', '.nitro', '.output'],
  // Under the site's root, wherever the build names it (docs/.vitepress/dist).
  vitepress: ['**/.vitepress/cache', '**/.vitepress/dist'],
};

function defaultOutputDir(s: ServiceConfig): string {
  if (s.stack === 'static') return '.';
  if (s.stack === 'bun') return s.kind === 'static' ? 'dist' : '';
  if (s.stack !== 'node') return '';
  return s.webFramework === 'astro' || s.kind === 'static' ? 'dist' : 'build';
}

function ignoreBuilt(s: ServiceConfig, workspace: boolean): string[] {
  if (!(s.stack === 'node' || (s.stack === 'bun' && s.kind === 'static')) || !s.build) return [];
  const dirs = ['dist', 'build', ...(s.webFramework ? (BUILT_DIRS[s.webFramework] ?? []) : [])];
  // public/ is source for most frameworks (Gatsby's output too, but its files may be hand-written).
  const out = s.outputDir;
  const covered = out !== undefined && dirs.some((d) => d.startsWith('**/') && (out === d.slice(3) || out.endsWith(`/${d.slice(3)}`)));
  if (out && out !== 'public' && !out.startsWith('.') && !dirs.includes(out) && !covered) dirs.push(out);
  // A workspace package's ignore file applies to the whole workspace (its build context).
  return workspace ? dirs.map((d) => (d.startsWith('**/') ? d : `**/${d}`)) : dirs;
}

/** Flyway or Liquibase that the framework runs when the app starts, and the setting that turns it on (or off). */
function startMigrationOf(s: ServiceConfig): ServiceView['startMigration'] {
  const tool = s.migrateOnStart;
  if (s.stack !== 'java' || !tool) return null;
  const name = tool === 'flyway' ? 'Flyway' : 'Liquibase';
  if (s.framework === 'quarkus') return { tool: name, setting: `\`quarkus.${tool}.migrate-at-start=true\`` };
  if (s.framework === 'micronaut') return { tool: name, setting: `\`${tool}.datasources.default.enabled: true\`` };
  return { tool: name, setting: `${name} on the classpath (Spring Boot runs it unless \`spring.${tool}.enabled=false\`)` };
}

/**
 * The view of one service of `config` (also of a variant: hf-spaces renders its Space image from
 * the same service moved to another port).
 */
export function serviceView(config: Pick<DeployKitConfig, 'name' | 'services' | 'targets' | 'addons' | 'env'>, given: ServiceConfig): ServiceView {
  // nginx is the kit's own server: it always answers its health route.
  const s = given.healthPath === undefined && runtimeOf(given) === 'nginx' ? { ...given, healthPath: NGINX_HEALTH_PATH } : given;
  const dir = dirOf(s.path);
  // A Node or bun workspace package, a uv workspace member, a Gradle subproject and a Maven module build from their workspace root.
  const fromRoot = s.stack === 'node' || s.stack === 'python' || s.stack === 'bun' || s.stack === 'java';
  const workspaceDir = fromRoot && s.workspaceRoot !== undefined ? dirOf(s.workspaceRoot) : null;
  const stack = stackFields(s, dir, workspaceDir);
  const node = stack.node;
  const prefix = s.name.toUpperCase().replace(/-/g, '_');
  const image = config.services.length === 1 ? config.name : `${config.name}-${s.name}`;
  const contextDir = workspaceDir ?? dir;
  // Path of the service inside its workspace ("apps/web"), when the context is the workspace root.
  const inWorkspace = workspaceDir === null ? '' : workspaceDir === '' ? dir : dir.slice(workspaceDir.length + 1);
  const inContext = inWorkspace ? `${inWorkspace}/` : '';
  const health = probe(s);
  const vpsTarget = targetOf(config, 'vps');
  const app = stack.runtime !== 'nginx';
  const writable = stack.writable.map((d) => `${inWorkspace ? `/app/${inWorkspace}` : '/app'}/${d}`);
  const composeEnv: { name: string; value: string }[] = [];
  if (stack.runtimeNode) composeEnv.push({ name: 'NODE_ENV', value: 'production' });
  if (app) composeEnv.push({ name: 'PORT', value: JSON.stringify(String(s.port)) });
  // The app's own port and address variables: set like PORT, so a value in .env cannot move them off the probed port.
  const appEnv = app ? appPortEnv(s) : [];
  composeEnv.push(...appEnv.map((e) => ({ name: e.name, value: JSON.stringify(e.value) })));
  const addons = config.addons ?? {};
  if (app && addons.postgres) {
    // Built from .env's parts, so the password is set once (and never written here).
    const url = stack.postgresUrl ?? 'postgresql://${POSTGRES_USER:-app}:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@postgres:5432/${POSTGRES_DB:-app}';
    composeEnv.push({ name: s.databaseUrlEnv ?? 'DATABASE_URL', value: JSON.stringify(url) });
    // Laravel 11+ reads DB_URL (and DB_CONNECTION picks the driver), not DATABASE_URL.
    if (s.stack === 'php' && s.framework === 'laravel') {
      composeEnv.push({ name: 'DB_CONNECTION', value: 'pgsql' }, { name: 'DB_URL', value: JSON.stringify(url) });
    }
  }
  if (app && addons.redis) composeEnv.push({ name: 'REDIS_URL', value: JSON.stringify('redis://redis:6379/0') });
  const { languageVersion: _lv, spa: _spa, server: _server, entrypoint: _entry, collectstatic: _cs, mainPackage: _main, ...rest } = s;
  return {
    ...rest,
    ...stack,
    kind: s.stack === 'node' || s.stack === 'bun' ? (s.kind ?? 'server') : null,
    webFramework: s.webFramework ?? null,
    workspaceRoot: s.workspaceRoot ?? null,
    packageManager: s.packageManager ?? null,
    start: s.start ?? null,
    portEnv: app ? (s.portEnv ?? null) : null,
    appEnv,
    listenAddrEnv: app ? (s.listenAddrEnv ?? null) : null,
    databaseUrlEnv: s.databaseUrlEnv ?? 'DATABASE_URL',
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
    buildArgs: buildTimeVars(s, config.env ?? []),
    healthPath: s.healthPath ?? null,
    healthTcp: s.healthPath === undefined,
    healthRouteToAdd: s.healthPath === undefined ? healthRouteToAdd(s) : null,
    healthCheck: s.healthPath === undefined ? `port ${s.port} accepts a TCP connection` : `${s.healthPath} answers 200`,
    healthUrl: s.healthPath === undefined ? null : `http://127.0.0.1:${s.port}${s.healthPath}`,
    ...health,
    envPrefix: prefix,
    composeImage: `\${${prefix}_IMAGE:-${image}:local}`,
    composePort: `127.0.0.1:\${${prefix}_PORT:-${s.port}}:${s.port}`,
    composeEnv,
    // Next.js writes its image and fetch caches under .next/cache; the root filesystem is read-only.
    tmpfs: ['/tmp', ...writable],
    tmpfsMounts: ['/tmp', ...writable.map((path) => `${path}:${appOwned(stack.user)}`)],
    dependsOn: app ? (['postgres', 'redis'] as const).filter((a) => addons[a]) : [],
    jobId: s.name,
    tini: TINI_PATH,
    gitlabImage: config.services.length === 1 ? '$CI_REGISTRY_IMAGE' : `$CI_REGISTRY_IMAGE/${s.name}`,
    vps: vpsTarget !== undefined && targetService(config, vpsTarget)?.name === s.name,
    migrateRun: s.migrate ? `docker compose run --rm ${s.name} ${s.migrate}` : null,
    startMigration: startMigrationOf(s),
    ignoreBuilt: ignoreBuilt(s, workspaceDir !== null),
    smokeEnv: smokeEnvFor(stack.smokeEnv, config.env ?? []),
  };
}

/**
 * The smoke test's throwaway values under the names the app reads: a framework's SECRET_KEY_BASE
 * that the app takes as HEXPM_SECRET_KEY_BASE (read in its own config) goes under that name.
 */
function smokeEnvFor(smoke: string[], env: readonly { name: string }[]): string[] {
  return smoke.flatMap((pair) => {
    const name = pair.slice(0, pair.indexOf('='));
    if (env.length === 0 || env.some((e) => e.name === name)) return [pair];
    const own = env.filter((e) => e.name.endsWith(`_${name}`)).map((e) => `${e.name}${pair.slice(name.length)}`);
    return own.length > 0 ? own : [pair];
  });
}

