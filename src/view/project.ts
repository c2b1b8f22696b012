/**
 * The project view: the config with every default applied, as the generators and templates read
 * it. Targets add their own views on top (generators/<target>/view.ts).
 */
import type { DeployKitConfig, EnvVarConfig } from '../config/types.js';
import { CLI } from '../version.js';
import { ACTIONS, ADDON_IMAGES, CI_IMAGES } from '../versions.js';
import { serviceView, type ServiceView } from './service.js';

export interface ProjectView {
  name: string;
  /** The command that runs this deploy-kit at this version: `npx create-deploy-kit@<version>`. */
  cli: string;
  services: ServiceView[];
  branches: { production: string; staging: string | null; all: string[] };
  /**
   * Run-time variables (required, optional; secrets among both), and apart from them the build-time
   * public ones a site's build inlines (some service's `buildArgs`): set before building, never secret.
   */
  env: { required: EnvVarConfig[]; optional: EnvVarConfig[]; secrets: EnvVarConfig[]; buildTime: EnvVarConfig[] };
  action: Record<string, string>;
  /** The CI provider, as flags for templates: exactly one is true. */
  ci: { provider: DeployKitConfig['ci']['provider']; github: boolean; gitlab: boolean; imageScan: boolean };
  /**
   * Supply chain (`security:`): verify each image's build attestation before it deploys, against
   * the repository (`owner/name`) whose workflow built it; `owner` is its owner in lowercase, as in GHCR.
   */
  security: { verifyImages: boolean; repository: string | null; owner: string | null };
  /** Images the GitLab pipeline runs in (pinned in the versions table). */
  ciImages: typeof CI_IMAGES;
  /** Compose add-ons: which are on, and their pinned images. */
  addons: { postgres: boolean; redis: boolean; any: boolean; images: typeof ADDON_IMAGES };
  /** Which stacks the project has, for stack-specific runbook sections. */
  stacks: { node: boolean; python: boolean; go: boolean; nginx: boolean; django: boolean; php: boolean };
  /** Services with a migrate command. */
  migrations: ServiceView[];
  /** Services whose framework runs their migrations as they start (Flyway, Liquibase). */
  startMigrations: ServiceView[];
  /** Some service has tmpfs mounts of its own beyond /tmp (a stack's `writable`), owned by its user. */
  appTmpfs: boolean;
}

/** Variables the add-ons need, added to `env:` (the config's own entry wins when it names one). */
const ADDON_ENV: Record<'postgres' | 'redis', EnvVarConfig[]> = {
  postgres: [
    {
      name: 'POSTGRES_PASSWORD',
      required: true,
      secret: true,
      description: 'Password of the PostgreSQL add-on (compose creates the database with it). Use a URL-safe one: openssl rand -hex 24.',
    },
    { name: 'POSTGRES_USER', required: false, secret: false, description: 'PostgreSQL user (compose default: app).', example: 'app' },
    { name: 'POSTGRES_DB', required: false, secret: false, description: 'PostgreSQL database (compose default: app).', example: 'app' },
    {
      name: 'DATABASE_URL',
      required: false,
      secret: true,
      description: 'PostgreSQL connection string. Compose sets it from the POSTGRES_* values; set it where the app runs without compose.',
    },
  ],
  redis: [
    {
      name: 'REDIS_URL',
      required: false,
      secret: true,
      description: 'Redis connection string. Compose sets it (redis://redis:6379/0); set it where the app runs without compose.',
    },
  ],
};

/**
 * The config's env (in its order) plus what the add-ons need that it does not name. The
 * PostgreSQL URL is listed under each name the apps read it from (`databaseUrlEnv`).
 */
function envWithAddons(config: Pick<DeployKitConfig, 'env' | 'addons'>, urlNames: readonly string[]): EnvVarConfig[] {
  const env = [...(config.env ?? [])];
  const names = new Set(env.map((e) => e.name));
  for (const addon of ['postgres', 'redis'] as const) {
    if (!config.addons?.[addon]) continue;
    for (const v of ADDON_ENV[addon]) {
      const renamed = v.name === 'DATABASE_URL' ? urlNames.map((name) => ({ ...v, name })) : [v];
      for (const r of renamed) if (!names.has(r.name)) env.push(r);
    }
  }
  return env;
}

/**
 * What every generator reads, derived from the config alone (no disk, no clock). The planner
 * computes it once per plan and hands it to every generator; target views build on it.
 */
export function projectView(config: DeployKitConfig): ProjectView {
  const services = config.services.map((s) => serviceView(config, s));
  // With one app, PORT's example is the port it listens on, whatever deploy-kit.yaml's env entry
  // says: init wrote it from the port then, and a later port change must not leave .env.example
  // publishing a port nothing listens on (`docker run --env-file .env -p <port>:<port>`). With
  // several, compose sets PORT per service and the entry stays as written.
  const apps = services.filter((s) => s.runtime !== 'nginx');
  const urlNames = apps.length ? [...new Set(apps.map((s) => s.databaseUrlEnv))] : ['DATABASE_URL'];
  // The app's own port and address variables (portEnv, listenAddrEnv) are set like PORT, so their examples follow the port too.
  const examples = new Map(apps.length === 1 ? [['PORT', String(apps[0]!.port)], ...apps[0]!.appEnv.map((e) => [e.name, e.value] as const)] : []);
  const exampleOf = (name: string): string | undefined => examples.get(name);
  const env = envWithAddons(config, urlNames).map((e) => {
    const example = exampleOf(e.name);
    return example === undefined ? e : { ...e, example };
  });
  const buildNames = new Set(services.flatMap((s) => s.buildArgs));
  const runtimeEnv = env.filter((e) => !buildNames.has(e.name));
  const staging = config.branches.staging ?? null;
  const action: Record<string, string> = {};
  for (const [name, pin] of Object.entries(ACTIONS)) action[name] = `${name}@${pin.sha} # ${pin.version}`;
  return {
    name: config.name,
    cli: CLI,
    services,
    branches: {
      production: config.branches.production,
      staging,
      all: staging ? [config.branches.production, staging] : [config.branches.production],
    },
    env: {
      required: runtimeEnv.filter((e) => e.required),
      optional: runtimeEnv.filter((e) => !e.required),
      secrets: runtimeEnv.filter((e) => e.secret),
      buildTime: env.filter((e) => buildNames.has(e.name)),
    },
    action,
    ci: {
      provider: config.ci.provider,
      github: config.ci.provider === 'github',
      gitlab: config.ci.provider === 'gitlab',
      imageScan: config.ci.imageScan ?? true,
    },
    security: {
      verifyImages: config.security?.verifyImages ?? false,
      repository: config.security?.repository ?? null,
      owner: config.security?.repository?.split('/')[0]?.toLowerCase() ?? null,
    },
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
      php: services.some((s) => s.php !== null),
    },
    migrations: services.filter((s) => s.migrate !== null),
    startMigrations: services.filter((s) => s.startMigration !== null),
    appTmpfs: services.some((s) => s.writable.length > 0),
  };
}

