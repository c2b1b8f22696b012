/**
 * A Dockerfile read as the build-ability check needs it: its COPY/ADD sources (ARG/ENV values
 * expanded) and RUN lines, in order. Not a full parser: continuation lines joined, one
 * instruction per line.
 */
import { posix } from 'node:path';

/** COPY/ADD instructions of a Dockerfile with their sources, in order, each with the RUN lines after it. */
export interface Instruction {
  kind: 'copy' | 'run' | 'other';
  args: string[];
  text: string;
}

/**
 * `$NAME`, `${NAME}` and `${NAME:-default}` in a COPY source, from the stage's ARG defaults and ENV
 * values (Phoenix's `COPY config/${MIX_ENV}.exs`); undefined when a variable has no known value,
 * so the source is not judged rather than judged wrong.
 */
function expand(text: string, vars: ReadonlyMap<string, string>): string | undefined {
  let unknown = false;
  const variable = /\$(?:\{(\w+)(?::?-([^}]*))?\}|(\w+))/g;
  const out = text.replace(variable, (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const value = vars.get((braced ?? bare)!) ?? fallback;
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown ? undefined : out;
}

/** The variables an `ARG NAME=default` or `ENV NAME=value` / `ENV NAME value` line sets (quotes removed). */
function assignments(op: string, rest: string, vars: Map<string, string>): void {
  const unquote = (v: string) => v.replace(/^(["'])(.*)\1$/, '$2');
  if (op === 'ENV' && /^\w+\s+[^=]*$/.test(rest)) {
    const [name, ...value] = rest.split(/\s+/);
    vars.set(name!, unquote(value.join(' ')));
    return;
  }
  for (const m of rest.matchAll(/(\w+)=("[^"]*"|'[^']*'|\S*)/g)) vars.set(m[1]!, expand(unquote(m[2]!), vars) ?? unquote(m[2]!));
}

export function instructions(dockerfile: string): Instruction[] {
  const joined = dockerfile.replace(/\\\r?\n/g, ' ');
  const out: Instruction[] = [];
  let vars = new Map<string, string>();
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    const rest = m[2]!;
    if (op === 'FROM') vars = new Map();
    if (op === 'ARG' || op === 'ENV') assignments(op, rest, vars);
    if (op === 'COPY' || op === 'ADD') {
      let args: string[];
      const flagless = rest.replace(/^(--\S+\s+)+/, '');
      if (/--from=/.test(rest.slice(0, rest.length - flagless.length))) {
        out.push({ kind: 'other', args: [], text: line });
        continue;
      }
      if (flagless.startsWith('[')) args = JSON.parse(flagless) as string[];
      else args = flagless.split(/\s+/);
      // A source whose variable has no known value is left out: it cannot be judged here.
      args = args.flatMap((a, i) => (i === args.length - 1 || !a.includes('$') ? [a] : (expand(a, vars) ?? [])));
      out.push({ kind: 'copy', args, text: line });
    } else if (op === 'RUN') out.push({ kind: 'run', args: [], text: rest });
    else out.push({ kind: 'other', args: [], text: line });
  }
  return out;
}

/** The files a Dockerfile's COPY and ADD instructions take from the build context (not `--from`), context-relative. */
export function copySources(dockerfile: string): string[] {
  return instructions(dockerfile)
    .filter((i) => i.kind === 'copy')
    .flatMap((i) => i.args.slice(0, -1))
    .map((src) => posix.normalize(src).replace(/^\.\//, ''))
    .filter((src) => src !== '' && src !== '.');
}

