/**
 * Detected services -> service configs, the part of `init` that decides (pure: no disk, no
 * prompts). Detection says what it found and why; each stack (stacks/<stack>/config.ts) turns its
 * facts into config values, with the defaults a senior engineer would pick when detection found
 * nothing. What is not one stack's (names, add-ons) is here.
 */
import { stackOf } from '../../stacks/index.js';
import type { ConfigExtras, Detected, ServiceAnswers, ServiceQuestions } from '../../stacks/types.js';
import { slugify } from '../detect/shared.js';
import type { DetectedService, EnvVarFact } from '../detect/types.js';
import type { AddonsConfig, ServiceConfig } from './types.js';

export type { Detected, ServiceAnswers, ServiceQuestions } from '../../stacks/types.js';

/** What `init` asks for a detected service, and what detection already answers. */
export function questionsFor(s: DetectedService): ServiceQuestions {
  return stackOf(s.stack).questions(s.facts);
}

/** The language version detection implies for a service, before any flag. */
export function detectedLanguageVersion(s: DetectedService): Detected | undefined {
  return stackOf(s.stack).languageVersion(s.facts);
}

/**
 * One service's config. `name` is its config name; `answers` hold the asked values (flags,
 * prompts or --yes defaults); `extras` what init read beside detection (pytest, for Python).
 */
export function serviceFromDetection(s: DetectedService, name: string, answers: ServiceAnswers, extras: ConfigExtras = {}): ServiceConfig {
  return stackOf(s.stack).toConfig(s.facts, { name, path: s.path }, answers, extras);
}

/**
 * Add-ons the code asks for: it reads DATABASE_URL (or PG*) or REDIS_URL. A PHP service's
 * configuration decides for it instead (`phpAddons`): Laravel's config/database.php reads every
 * driver's variables, so a read there says nothing about which one the app uses.
 */
export function addonsFromEnv(all: EnvVarFact[], services: readonly DetectedService[] = []): { addons: AddonsConfig; evidence: string[] } {
  const addons: AddonsConfig = {};
  const evidence: string[] = [];
  const env = all
    .map((e) => ({ ...e, locations: e.locations.filter((l) => !/(?:^|\/)config\/database\.php:/.test(l)) }))
    .filter((e) => e.locations.length > 0);
  for (const s of services) {
    if (s.stack !== 'php') continue;
    if (s.facts.addons.postgres && !addons.postgres) {
      addons.postgres = true;
      evidence.push(`postgres: ${s.facts.addons.postgres}`);
    }
    if (s.facts.addons.redis && !addons.redis) {
      addons.redis = true;
      evidence.push(`redis: ${s.facts.addons.redis}`);
    }
  }
  // An Elixir app whose Ecto repo (postgrex) reads its URL under a name of its own (`HEXPM_DATABASE_URL`).
  for (const s of services) {
    if (s.stack !== 'elixir' || !s.facts.databaseUrlEnv || addons.postgres) continue;
    addons.postgres = true;
    evidence.push(`postgres: the Ecto repo (postgrex) reads ${s.facts.databaseUrlEnv.value} (${s.facts.databaseUrlEnv.evidence})`);
  }
  // A PHP app's configuration names its database (sqlite, mysql, pgsql): DATABASE_URL read in its config says nothing more.
  const decided = services.some((s) => s.stack === 'php' && s.facts.database !== undefined);
  // A Prisma datasource on another database (mysql, sqlite) names its URL DATABASE_URL too.
  const pgName = /^(DATABASE_URL|POSTGRES_[A-Z_]+|PG(HOST|DATABASE|USER|PASSWORD))$/;
  const pg =
    addons.postgres || decided ? undefined : env.find((e) => pgName.test(e.name) && ['postgresql', 'postgres'].includes(e.provider ?? 'postgresql'));
  if (pg) {
    addons.postgres = true;
    const prisma = pg.provider ? `, a Prisma datasource with provider "${pg.provider}"` : '';
    evidence.push(`postgres: the code reads ${pg.name} (${pg.locations[0] ?? ''}${prisma})`);
  }
  const redis = addons.redis ? undefined : env.find((e) => /^REDIS_(URL|HOST)$/.test(e.name));
  if (redis) {
    addons.redis = true;
    evidence.push(`redis: the code reads ${redis.name} (${redis.locations[0] ?? ''})`);
  }
  return { addons, evidence };
}

/** Config names for the services: "app" alone; several are named after their directories. */
export function serviceNames(services: Array<Pick<DetectedService, 'path' | 'stack'>>): string[] {
  if (services.length === 1) return ['app'];
  const base = services.map((s) => (s.path === '.' ? 'app' : slugify(s.path.split('/').pop() ?? s.path) || 'app'));
  return base.map((b, i) => {
    const clash = base.filter((x) => x === b).length > 1;
    if (!clash) return b;
    const s = services[i]!;
    const samePath = services.filter((o) => o.path === s.path).length > 1;
    return samePath ? `${b}-${s.stack}` : slugify(s.path.replace(/\//g, '-'));
  });
}
