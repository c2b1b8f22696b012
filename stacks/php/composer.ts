/** Composer's files as deploy-kit reads them: the content-hash, version constraints, locked packages. */
import { createHash } from 'node:crypto';
import { PHP_DEFAULT, PHP_MINORS } from '../../src/versions.js';

/** PHP's json_encode with no flags: `/` escaped, non-ASCII as \uXXXX, an empty object as `[]` (it was decoded as an array). */
function phpJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(phpJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '[]';
    return `{${entries.map(([k, v]) => `${phpJson(k)}:${phpJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const RELEVANT = ['name', 'version', 'require', 'require-dev', 'conflict', 'replace', 'provide', 'minimum-stability', 'prefer-stable', 'repositories', 'extra'];

/**
 * The `content-hash` Composer writes into composer.lock for a composer.json (Locker::getContentHash):
 * the md5 of the keys that decide the resolution, sorted, as PHP encodes them. A lock whose hash
 * differs was written for another composer.json: `composer install` warns and installs the old set.
 *
 * @example
 *   composerContentHash({ require: {} }) // md5('{"require":[]}')
 */
export function composerContentHash(composer: Record<string, unknown>): string {
  const relevant: Record<string, unknown> = {};
  for (const key of RELEVANT) if (key in composer) relevant[key] = composer[key];
  const platform = (composer.config as Record<string, unknown> | undefined)?.platform;
  if (platform !== undefined) relevant.config = { platform };
  const sorted = Object.fromEntries(Object.entries(relevant).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('md5').update(phpJson(sorted)).digest('hex');
}

type Version = [number, number, number];

function parse(v: string): { version: Version; parts: number } | undefined {
  const m = /^v?(\d+)(?:\.(\d+|\*|x))?(?:\.(\d+|\*|x))?/i.exec(v.trim());
  if (!m) return undefined;
  const nums = [m[1], m[2], m[3]].filter((x) => x !== undefined && /^\d+$/.test(x)).map(Number);
  return { version: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0], parts: nums.length };
}

const cmp = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether some release of the minor line `minor` ("8.3", patches 0-999) satisfies one AND-group of a constraint. */
function lineSatisfies(minor: Version, group: string[]): boolean {
  const low: Version = [minor[0], minor[1], 0];
  const high: Version = [minor[0], minor[1], 999];
  // Every comparison must hold for one patch: keep the range of patches still possible.
  let from = low;
  let to = high;
  const atLeast = (v: Version) => (cmp(v, from) > 0 ? (from = v) : from);
  const below = (v: Version, inclusive: boolean) => {
    const last: Version = inclusive ? v : v[2] > 0 ? [v[0], v[1], v[2] - 1] : [v[0], v[1], -1];
    if (cmp(last, to) < 0) to = last;
  };
  for (const raw of group) {
    const m = /^(\^|~|>=|<=|>|<|!=|==|=)?\s*(.+)$/.exec(raw);
    if (!m) return false;
    const op = m[1] ?? '';
    if (m[2] === '*') continue;
    const p = parse(m[2]!);
    if (!p) return false;
    const v = p.version;
    const wildcard = /[*x]/i.test(m[2]!);
    if (op === '^') {
      atLeast(v);
      below(v[0] === 0 ? [0, v[1] + 1, 0] : [v[0] + 1, 0, 0], false);
    } else if (op === '~') {
      atLeast(v);
      below(p.parts >= 3 ? [v[0], v[1] + 1, 0] : [v[0] + 1, 0, 0], false);
    } else if (op === '>=') atLeast(v);
    else if (op === '>') atLeast([v[0], v[1], v[2] + 1]);
    else if (op === '<') below(v, false);
    else if (op === '<=') below(p.parts >= 3 ? v : [v[0], p.parts === 1 ? 999 : v[1], 999], true);
    else if (op === '!=') continue;
    else if (wildcard || p.parts < 3) {
      // "8.3.*", "8.*", or "8.3" (Composer reads it as 8.3.0; its line holds it).
      atLeast(v);
      below(p.parts === 1 ? [v[0], 999, 999] : [v[0], v[1], wildcard ? 999 : 0], true);
    } else {
      atLeast(v);
      below(v, true);
    }
  }
  return cmp(from, to) <= 0;
}

/** A Composer constraint as OR-groups of AND-ed comparisons (`^8.1 || ^8.2`, `>=8.1 <8.4`, `8.1 - 8.3`). */
function groups(constraint: string): string[][] {
  return constraint
    .split(/\s*\|\|?\s*/)
    .map((alt) => {
      const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(alt.trim());
      if (hyphen) return [`>=${hyphen[1]}`, `<=${hyphen[2]}`];
      return alt
        .trim()
        .replace(/(>=|<=|>|<|!=|==|=|\^|~)\s+/g, '$1')
        .split(/\s*,\s*|\s+/)
        .filter(Boolean);
    })
    .filter((g) => g.length > 0);
}

/**
 * The PHP minor a `require.php` constraint gets: the newest line the kit knows that satisfies it
 * (the default when that does), never merely its minimum. Undefined when no known line does.
 *
 * @example
 *   phpForConstraint('^8.2') // { version: '8.5', why: 'PHP 8.5 is the newest release it allows' }
 *   phpForConstraint('~8.3.0') // { version: '8.3', ... }
 */
export function phpForConstraint(constraint: string): { version: string; why: string } | undefined {
  const alternatives = groups(constraint);
  const ok = (minor: string) => alternatives.some((g) => lineSatisfies(parse(minor)!.version, g));
  const lines = PHP_MINORS.filter((m) => cmp(parse(m)!.version, parse(PHP_DEFAULT)!.version) <= 0);
  const newest = [...lines].reverse().find(ok);
  if (!newest) return undefined;
  return { version: newest, why: `PHP ${newest} is the newest release it allows` };
}

/** composer.lock's packages (not the dev ones) by name: version (no leading "v") and the extensions each requires. */
export function lockedPackages(lock: Record<string, unknown>): Map<string, { version: string; require: string[] }> {
  const out = new Map<string, { version: string; require: string[] }>();
  const packages = Array.isArray(lock.packages) ? (lock.packages as Array<Record<string, unknown>>) : [];
  for (const p of packages) {
    if (typeof p.name !== 'string') continue;
    const require = p.require && typeof p.require === 'object' ? Object.keys(p.require) : [];
    out.set(p.name, { version: (typeof p.version === 'string' ? p.version : '').replace(/^v/, ''), require });
  }
  return out;
}
