import { join } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { exists, isRecord, readText } from '../../src/detect/shared.js';
import type { PackageJson } from './package-manager.js';
import type { PrismaFacts } from './types.js';

/**
 * Prisma: its client is generated from schema.prisma after the sources are in the image, its
 * engines need OpenSSL at run time, and `prisma migrate deploy` is a release step, like Django's
 * migrate. Read from package.json and the schema; never run.
 */
const SCHEMAS = ['prisma/schema.prisma', 'schema.prisma', 'prisma/schema'];

export async function detectPrisma(dir: string, pkg: PackageJson, deps: Record<string, string>, at: (f: string) => string): Promise<Fact<PrismaFacts> | undefined> {
  if (!('@prisma/client' in deps) && !('prisma' in deps)) return undefined;
  const settings = pkg.prisma;
  const configured = isRecord(settings) && typeof settings.schema === 'string' ? [settings.schema] : [];
  let schema: string | undefined;
  for (const candidate of [...configured, ...SCHEMAS]) {
    if (await exists(join(dir, candidate))) {
      schema = candidate.replace(/^\.\//, '');
      break;
    }
  }
  if (!schema) return undefined;
  const file = schema.endsWith('.prisma') ? schema : `${schema}/schema.prisma`;
  const text = (await readText(join(dir, file))) ?? '';
  const datasource = /datasource\s+\w+\s*\{([^}]*)\}/.exec(text)?.[1] ?? '';
  const provider = /\bprovider\s*=\s*"([\w-]+)"/.exec(datasource)?.[1] ?? null;
  const migrationsDir = join(dir, schema.endsWith('.prisma') ? schema.replace(/[^/]*$/, '') : `${schema}/`, 'migrations');
  const migrations = await exists(migrationsDir);
  const prod = isProdDep(pkg, 'prisma');
  return {
    value: { schema, provider, migrations, cliInProd: prod },
    evidence: `${at(schema)}${provider ? ` (datasource provider "${provider}")` : ''}`,
  };
}

function isProdDep(pkg: PackageJson, name: string): boolean {
  const deps = pkg.dependencies;
  return typeof deps === 'object' && deps !== null && name in deps;
}
