import { access, readFile, stat } from 'node:fs/promises';
import { posix } from 'node:path';

/** Helpers every stack detector uses: paths relative to the repo, capped reads, health-route ranking. */

/** Normalises a service path to posix without a trailing slash: "./apps/web/" gives "apps/web", "" gives ".". */
export function servicePath(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/\/+$/, '') || '.';
}

/** Evidence names files relative to the repo root, so `apps/api/main.py` for a nested service. */
export function atPath(rel: string): (file: string) => string {
  return (file) => (rel === '.' ? file : `${rel}/${file}`);
}

/**
 * Reads a small text file; undefined when it is missing, unreadable or larger than `maxBytes`
 * (default 256 KiB): a config or manifest that big is generated, and scanning it costs more than it finds.
 */
export async function readText(path: string, maxBytes = 256 * 1024): Promise<string | undefined> {
  try {
    if ((await stat(path)).size > maxBytes) return undefined;
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The first of `names` present in `dir`, in the order given. */
export async function firstExisting(dir: string, names: readonly string[]): Promise<string | undefined> {
  const found = await Promise.all(names.map((n) => exists(`${dir}/${n}`)));
  return names[found.indexOf(true)];
}

/**
 * A name as deploy-kit.yaml takes it (lowercase letters, digits and dashes, at most 63): the npm
 * scope stays as a prefix, so `@acme/api` and `@other/api` in one repo do not collide as "api".
 *
 * @example
 *   slugify('@acme/Orders API') // 'acme-orders-api'
 */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/^@/, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "file:line text", the shape of every code-derived evidence string. */
export function codeEvidence(file: string, line: number, text: string): string {
  return `${file}:${line} ${truncate(text.trim(), 120)}`;
}

/** Ports that are a database's, a broker's or a mail server's (SMTP), not an HTTP server's, when seen in a bare `port = N`. */
export const SERVICE_PORTS: ReadonlySet<number> = new Set([25, 465, 587, 1433, 2525, 3306, 5432, 5672, 6379, 9092, 9200, 11211, 27017]);

/** The last path segment of a health route, in any stack. */
export const HEALTH_SEGMENT = '(?:health|healthz|healthcheck|health[-_]check|heartbeat|livez|live|liveness|readyz|ready|readiness|ping)';

/** Lower is better: `/health` over `/healthz` over `/api/health` over liveness over readiness. */
export function healthRank(path: string): number {
  const p = path.replace(/\/$/, '');
  if (p === '/health') return 0;
  if (p === '/healthz') return 1;
  if (/\/health[z]?$/.test(p)) return 2;
  if (/\/health[-_]?check$/.test(p)) return 3;
  if (/\/live(?:z|ness)?$/.test(p)) return 4;
  if (/\/ready(?:z|iness)?$/.test(p)) return 5;
  return 6;
}

export interface Candidate<T> {
  value: T;
  rank: number;
  evidence: string;
}

/** The lowest-ranked candidate; the first found wins a tie (callers feed them in walk order). */
export function best<T>(candidates: ReadonlyArray<Candidate<T>>): Candidate<T> | undefined {
  let top: Candidate<T> | undefined;
  for (const c of candidates) if (!top || c.rank < top.rank) top = c;
  return top;
}

/** A port found in the code, where it was found, ranked (pattern rank * 2, +1 outside the entry file). */
export type PortMatch = Candidate<number> & { file: string; line: number };

/**
 * The best port among the matches; ports of the same pattern rank that disagree become a
 * warning naming each place, so the user sees what was passed over.
 */
export function choosePort(matches: PortMatch[], warnings: string[], at: (file: string) => string): { value: number; evidence: string } | undefined {
  const top = best(matches);
  if (!top) return undefined;
  const rivals = [
    ...new Set(
      matches.filter((m) => Math.floor(m.rank / 2) === Math.floor(top.rank / 2) && m.value !== top.value).map((m) => `${m.value} (${at(m.file)}:${m.line})`),
    ),
  ];
  if (rivals.length > 0) warnings.push(`several ports in the code; using ${top.value} (${top.evidence.split(' ')[0]}), also saw ${rivals.join(', ')}`);
  return { value: top.value, evidence: top.evidence };
}

