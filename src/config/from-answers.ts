import type { EnvVarFact } from '../detect/types.js';
import type { EnvVarConfig } from './types.js';
import { byCodeUnit } from '../util/order.js';

/** A name that holds a credential; .NET's connection strings (ConnectionStrings__Name) carry the database password. */
const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|API_KEY|ACCESS_KEY|CREDENTIAL|_KEY$|DATABASE_URL|REDIS_URL|DSN$|^ConnectionStrings__)/;
/**
 * A key its name says is public: the half of a key pair anyone may hold, or a key its vendor issues for
 * browsers (Stripe's and Clerk's publishable keys, Supabase's anon key). A site's build needs it, and
 * hiding it as a secret would leave the feature out of the built site.
 */
const PUBLIC_KEY_NAME = /(?:^|_)(?:PUBLIC|PUBLISHABLE|ANON)_KEY$/;

/** Variables the runtime provides or the kit sets itself (or a site builder, Eleventy's ELEVENTY_*); not worth a line in .env.example. */
export const PLATFORM_VARS = new Set([
  'NODE_ENV',
  'HOME',
  'PATH',
  'PWD',
  'HOSTNAME',
  'CI',
  'TZ',
  'PHX_SERVER',
  'RELEASE_NAME',
  'ELEVENTY_RUN_MODE',
  'ELEVENTY_ROOT',
  'ELEVENTY_SOURCE',
  'ELEVENTY_VERSION',
]);

/** What a well-known variable is for, where its name alone does not say (the kit's Elixir image sets PHX_SERVER itself). */
const KNOWN: Readonly<Record<string, string>> = {
  SECRET_KEY_BASE: 'Signs and encrypts cookies and tokens: 64 random bytes or more (`mix phx.gen.secret`, `openssl rand -base64 64`), one per environment.',
  PHX_HOST: "The public host name Phoenix builds URLs with and checks WebSocket origins against (the target's domain).",
};

/**
 * Variables .env.example lists for the kit itself rather than for the code: PORT (compose,
 * deploy.sh and the health probes set and read it) and the PostgreSQL add-on's settings, which
 * its container reads. doctor does not call them unused.
 */
export const KIT_VARS = new Set(['PORT', 'POSTGRES_PASSWORD', 'POSTGRES_USER', 'POSTGRES_DB']);

/** One env entry per variable the code reads, plus PORT, which the kit sets for every app (not for a site nginx serves: pass no port). */
export function envFromFacts(vars: EnvVarFact[], port: number | undefined): EnvVarConfig[] {
  const out: EnvVarConfig[] = [];
  const names = new Set(vars.map((v) => v.name));
  if (!names.has('PORT') && port !== undefined) {
    out.push({ name: 'PORT', required: false, secret: false, description: 'Port the app listens on inside the container.', example: String(port) });
  }
  for (const v of vars) {
    if (PLATFORM_VARS.has(v.name)) continue;
    const where = v.locations.slice(0, 3).join(', ') + (v.locations.length > 3 ? ', ...' : '');
    const known = KNOWN[v.name];
    const description = known ? `${known} Read at ${where}.` : `Read at ${where}.`;
    const entry: EnvVarConfig = { name: v.name, required: v.required === true, secret: SECRET_NAME.test(v.name) && !PUBLIC_KEY_NAME.test(v.name), description };
    if (v.name === 'PORT') {
      entry.description = `Port the app listens on (read at ${where}).`;
      if (port !== undefined) entry.example = String(port);
    }
    out.push(entry);
  }
  return out.sort((a, b) => byCodeUnit(a.name, b.name));
}
