/**
 * package-lock.json judged as `npm ci` judges it. Whether a version npm locked satisfies the range
 * package.json asks for (the lockfile's own copy of the range may differ, `4.3.0` locked for
 * `^4.0.0`, and `npm ci` still installs): exact versions, `^`, `~`, comparators, x-ranges, `*`,
 * hyphen ranges and `||`; prereleases, tags and non-registry specs are not judged. And a lock pruned
 * to one platform's optional packages.
 */

import type { Finding } from '../validate/types.js';

type Triple = [number, number, number];

/** "1.2" -> [1, 2, x], with x for a missing or wildcard part; undefined when it is no version. */
function parse(text: string): Array<number | undefined> | undefined {
  const m = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/.exec(text.trim());
  if (!m) return undefined;
  return [m[1], m[2], m[3]].map((p) => (p === undefined || /^[xX*]$/.test(p) ? undefined : Number(p)));
}

function compare(a: Triple, b: Triple): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The lowest version a partial one stands for, and the first one past it ("1.2" -> [1.2.0, 1.3.0)). */
function bounds(p: Array<number | undefined>): [Triple, Triple | undefined] {
  const [a, b, c] = p;
  if (a === undefined) return [[0, 0, 0], undefined];
  if (b === undefined) return [[a, 0, 0], [a + 1, 0, 0]];
  if (c === undefined) return [[a, b, 0], [a, b + 1, 0]];
  return [[a, b, c], [a, b, c + 1]];
}

/** One comparator set ("^1.2.3", ">=1 <2", "1.x"): true, false, or undefined when it cannot be read. */
function inSet(set: string, v: Triple): boolean | undefined {
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(set);
  if (hyphen) return inSet(`>=${hyphen[1]} <=${hyphen[2]}`, v);
  for (const part of set.split(/\s+/).filter(Boolean)) {
    const m = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(part);
    const p = m?.[2] === undefined ? undefined : parse(m[2]);
    if (!m || !p) return undefined;
    const [low, high] = bounds(p);
    const op = m[1] ?? '=';
    let ok: boolean;
    if (op === '^') {
      // ^1.2.3 < 2.0.0; ^0.2.3 < 0.3.0; ^0.0.3 < 0.0.4 (the first non-zero part is fixed).
      const [a = 0, b, c] = p;
      const top: Triple = a > 0 || b === undefined ? [a + 1, 0, 0] : b > 0 || c === undefined ? [0, b + 1, 0] : [0, 0, c + 1];
      ok = compare(v, low) >= 0 && compare(v, top) < 0;
    } else if (op === '~') {
      const [a = 0, b] = p;
      const top: Triple = b === undefined ? [a + 1, 0, 0] : [a, b + 1, 0];
      ok = compare(v, low) >= 0 && compare(v, top) < 0;
    } else if (op === '>=') ok = compare(v, low) >= 0;
    else if (op === '>') ok = high === undefined ? false : compare(v, high) >= 0;
    else if (op === '<') ok = compare(v, low) < 0;
    else if (op === '<=') ok = high === undefined ? true : compare(v, high) < 0;
    else ok = compare(v, low) >= 0 && (high === undefined || compare(v, high) < 0);
    if (!ok) return false;
  }
  return true;
}

/**
 * True when `version` satisfies `range`, false when it does not, undefined when either cannot be
 * judged here (a tag, `workspace:`, `file:`, a git URL, a prerelease).
 *
 * @example
 *   satisfies('^4.0.0', '4.3.0') // true
 *   satisfies('~1.2.0', '1.3.0') // false
 *   satisfies('latest', '1.0.0') // undefined
 */
export function satisfies(range: string, version: string): boolean | undefined {
  const v = parse(version);
  if (!v || v.includes(undefined) || /\d-[0-9A-Za-z]/.test(range)) return undefined;
  const triple = v as Triple;
  const spec = range.trim() === '' ? '*' : range.trim();
  let answer: boolean | undefined = false;
  for (const set of spec.split('||')) {
    const one = inSet(set.trim() || '*', triple);
    if (one === undefined) return undefined;
    answer = answer || one;
  }
  return answer;
}

/**
 * A lock written with only this platform's optional packages (esbuild's and rollup's per-OS
 * binaries missing): `npm ci` stops with "Missing: @esbuild/linux-arm64 from lock file". npm records
 * every platform's, so a missing one means the lock was pruned.
 */
export function prunedOptionals(packages: Record<string, Record<string, Record<string, string> | undefined>>): Finding[] {
  const present = new Set(Object.keys(packages).map((k) => k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length)));
  const missing = new Set<string>();
  for (const entry of Object.values(packages)) for (const name of Object.keys(entry.optionalDependencies ?? {})) if (!present.has(name)) missing.add(name);
  if (missing.size === 0) return [];
  const some = [...missing].sort().slice(0, 3).join(', ');
  return [{
    rule: 'node/lockfile-out-of-sync', severity: 'error', file: 'package-lock.json', line: 1,
    message: `package-lock.json lacks ${missing.size} optional package(s) other platforms need (${some}...): \`npm ci\` in the image build fails`,
    fix: 'delete package-lock.json and node_modules, run `npm install` (npm writes every platform\'s optional packages) and commit package-lock.json',
  }];
}
