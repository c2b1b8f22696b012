/**
 * Elixir and OTP versions from what a repo says: .tool-versions (asdf, mise) as written, and a
 * mix.exs `elixir:` requirement resolved to the newest supported release it allows, as Mix
 * itself would accept it (`~>`, `>=`, `==`, `and`, `or`).
 */
import { ELIXIR_OTP, ELIXIR_SUPPORTED } from '../../src/versions.js';

type Triple = [number, number, number];

function parse(v: string): Triple | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function cmp(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Whether `v` satisfies one comparison such as `~> 1.15`, `>= 1.14.0` or `== 1.16.2`. */
function satisfies(v: Triple, clause: string): boolean {
  const m = /^\s*(~>|>=|<=|==|!=|>|<)?\s*(\d+\.\d+(?:\.\d+)?)/.exec(clause);
  if (!m) return false;
  const op = m[1] ?? '==';
  const want = parse(m[2]!)!;
  const c = cmp(v, want);
  switch (op) {
    case '~>': {
      // ~> 1.15 allows < 2.0; ~> 1.15.2 allows < 1.16.0.
      const patchGiven = m[2]!.split('.').length === 3;
      const upper: Triple = patchGiven ? [want[0], want[1] + 1, 0] : [want[0] + 1, 0, 0];
      return c >= 0 && cmp(v, upper) < 0;
    }
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '<':
      return c < 0;
    case '!=':
      return c !== 0;
    default:
      return c === 0;
  }
}

/** Whether any release of the minor `X.Y` satisfies the whole requirement. */
function minorAllowed(minor: string, requirement: string): boolean {
  const [major, min] = minor.split('.').map(Number) as [number, number];
  // Patches worth trying: .0, a late one, and every patch the requirement names for this minor.
  const named = [...requirement.matchAll(/(\d+)\.(\d+)\.(\d+)/g)].filter((m) => Number(m[1]) === major && Number(m[2]) === min).map((m) => Number(m[3]));
  const patches = [0, 99, ...named];
  return patches.some((p) => requirement.split(/\bor\b/).some((alt) => alt.split(/\band\b/).every((clause) => satisfies([major, min, p], clause))));
}

/**
 * The Elixir minor a mix.exs requirement gets: the newest supported one it allows, else (a
 * requirement pinned to an unsupported line) the newest known line it allows, else undefined.
 *
 * @example
 *   elixirForRequirement('~> 1.15') // { version: '1.20', why: 'the newest supported release it allows' }
 */
export function elixirForRequirement(requirement: string): { version: string; why: string } | undefined {
  const supported = ELIXIR_SUPPORTED.find((m) => minorAllowed(m, requirement));
  if (supported) return { version: supported, why: `Elixir ${supported} is the newest supported release it allows` };
  const older = Object.keys(ELIXIR_OTP).find((m) => minorAllowed(m, requirement));
  return older ? { version: older, why: `Elixir ${older}, past its security support, is the newest release it allows` } : undefined;
}

/** A .tool-versions line's version, e.g. `elixir 1.17.3-otp-27` gives { minor: '1.17', otp: '27' }. */
export function toolVersion(text: string, tool: 'elixir' | 'erlang'): { line: number; text: string; minor: string; otp?: string } | undefined {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^\\s*${tool}\\s+\\S`).test(l));
  if (i < 0) return undefined;
  const value = lines[i]!.trim().split(/\s+/)[1]!;
  if (tool === 'erlang') {
    const major = /^(\d+)/.exec(value)?.[1];
    return major ? { line: i + 1, text: lines[i]!.trim(), minor: major } : undefined;
  }
  const m = /^v?(\d+\.\d+)(?:\.\d+)?(?:-otp-(\d+))?/.exec(value);
  if (!m) return undefined;
  return { line: i + 1, text: lines[i]!.trim(), minor: m[1]!, ...(m[2] ? { otp: m[2] } : {}) };
}
