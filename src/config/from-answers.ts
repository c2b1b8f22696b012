import type { EnvVarFact, RepoFacts } from '../detect/types.js';
import { NODE_LTS_MAJOR } from '../versions.js';
import type { ConfigPackageManager, DeployKitConfig, EnvVarConfig, Framework } from './types.js';

/** The answers init needs, whichever way they arrive (flag, detection, prompt, default). */
export interface InitAnswers {
  name: string;
  port: number;
  healthPath: string;
  branch: string;
  stagingBranch: string | null;
  start: string;
  build: string | null;
  test: string | null;
  packageManager: ConfigPackageManager;
  packageManagerVersion: string | null;
  nodeVersion: string;
  framework: Framework;
}

/** package.json names may carry a scope or characters a container name cannot. */
export function slugify(name: string): string {
  return name
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|API_KEY|ACCESS_KEY|CREDENTIAL|_KEY$|DATABASE_URL|REDIS_URL|DSN$)/;

/** Variables the runtime provides or the kit sets itself; not worth a line in .env.example. */
export const PLATFORM_VARS = new Set(['NODE_ENV', 'HOME', 'PATH', 'PWD', 'HOSTNAME', 'CI', 'TZ']);

/** One env entry per variable the code reads, plus PORT, which the kit always sets. */
export function envFromFacts(vars: EnvVarFact[], port: number): EnvVarConfig[] {
  const out: EnvVarConfig[] = [];
  const names = new Set(vars.map((v) => v.name));
  if (!names.has('PORT')) out.push({ name: 'PORT', required: false, secret: false, description: 'Port the app listens on inside the container.', example: String(port) });
  for (const v of vars) {
    if (PLATFORM_VARS.has(v.name)) continue;
    const where = v.locations.slice(0, 3).join(', ') + (v.locations.length > 3 ? ', ...' : '');
    const entry: EnvVarConfig = { name: v.name, required: false, secret: SECRET_NAME.test(v.name), description: `Read at ${where}.` };
    if (v.name === 'PORT') {
      entry.description = `Port the app listens on (read at ${where}).`;
      entry.example = String(port);
    }
    out.push(entry);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Builds a complete config from answers and facts. Pure. */
export function configFromAnswers(a: InitAnswers, facts: Pick<RepoFacts, 'env'>): DeployKitConfig {
  return {
    version: 1,
    name: a.name,
    services: [
      {
        name: 'app',
        path: '.',
        stack: 'node',
        framework: a.framework,
        packageManager: a.packageManager,
        packageManagerVersion: a.packageManagerVersion,
        languageVersion: a.nodeVersion,
        build: a.build,
        test: a.test,
        start: a.start,
        port: a.port,
        healthPath: a.healthPath,
      },
    ],
    branches: { production: a.branch, staging: a.stagingBranch },
    ci: { provider: 'github' },
    targets: [{ type: 'compose' }],
    env: envFromFacts(facts.env, a.port),
  };
}

export const DEFAULTS = { port: 3000, healthPath: '/health', nodeVersion: NODE_LTS_MAJOR } as const;
