import type { Fact } from '../../src/detect/fact.js';
import { codeEvidence } from '../../src/detect/shared.js';
import type { SourceFile } from '../../src/detect/walk.js';
import { ownPortName } from '../go/port-var.js';

/**
 * The app's own port variable in Node, Bun and Deno code: the kit sets it beside PORT, as it does
 * for Go, Python and Elixir. Only a read that reaches the listener counts: read inside `.listen(`,
 * as the `port` of `serve({...})`, `Bun.serve({...})`, `Deno.serve({...})`, a framework's
 * `listen({ port })` or a Bun `export default { port, fetch }`, or assigned to a variable that is
 * passed there. A database's or a cache's port (`db.port || 5432`, REDIS_PORT) is none of these.
 */

/** An environment read: `process.env.X`, `process.env['X']`, `Bun.env.X`, `Deno.env.get('X')`. */
const READ = /(?:\b(?:process|Bun)\.env(?:\.([A-Za-z_]\w*)|\[\s*['"]([A-Za-z_]\w*)['"]\s*\])|\bDeno\.env\.get\(\s*['"]([A-Za-z_]\w*)['"]\s*\))/g;
/** What may wrap the read before it: `Number(`, `parseInt(`, `+`, `(`. */
const WRAP = String.raw`(?:(?:Number|parseInt|parseFloat|String)\(\s*|\+\s*|\(\s*)*`;
/** The read is the listen call's first argument. */
const IN_LISTEN = new RegExp(String.raw`\.listen\(\s*${WRAP}$`);
/** The read is the value of a `port:` key. */
const PORT_KEY = new RegExp(String.raw`\bport\s*:\s*${WRAP}$`);
/** The read is assigned to a variable: `const port = Number(`. */
const ASSIGNED = new RegExp(String.raw`\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*[\w|]+\s*)?=\s*${WRAP}$`);
/** What opens a listener's options: `.listen(`, `serve(`, `Bun.serve(`, `Deno.serve(`. */
const OPENER = /\.listen\(|\bserve\(/;
/** Bun's `export default { port, fetch }`: a server only with its fetch handler (a Vite or webpack config is no listener). */
const BUN_DEFAULT = /\bexport\s+default\s*\{/;
/** After the read: more reads and `||`/`??` up to a numeric default. */
const OTHER_READ = String.raw`(?:process\.env\.\w+|Bun\.env\.\w+|Deno\.env\.get\(\s*['"]\w+['"]\s*\))`;
const DEFAULT = new RegExp(String.raw`^\s*(?:,\s*10\s*)?\)?\s*(?:(?:\|\||\?\?)\s*${OTHER_READ}\s*\)?\s*)*(?:\|\||\?\?)\s*['"${'`'}]?(\d{2,5})\b`);
/** The code reads PORT itself: the kit's PORT is enough. */
const READS_PORT = new RegExp(
  [
    String.raw`\b(?:process|Bun)\.env(?:\.PORT\b|\[\s*['"]PORT['"]\s*\])`,
    String.raw`\bDeno\.env\.get\(\s*['"]PORT['"]\s*\)`,
    String.raw`\{[^}]*\bPORT\b[^}]*\}\s*=\s*(?:process|Bun)\.env\b`,
  ].join('|'),
);

export interface PortEnv {
  name: Fact<string>;
  /** The default the code listens on without the variable, when it has one. */
  port?: Fact<number>;
}

/** A name the app may read its own port from: named for a port and for no other service's, or the lower-case `port`. */
function ownName(name: string): boolean {
  return name !== 'PORT' && (name === 'port' || ownPortName(name));
}

/** Whether `line` (index `i` of `lines`) opens a listener, or one of the few lines above it does. */
function underOpener(lines: string[], i: number, prefix: string): boolean {
  const opens = (text: string, at: number): boolean =>
    OPENER.test(text) || (BUN_DEFAULT.test(text) && lines.slice(at, at + 12).some((l) => /\bfetch\s*[:(,}]|\bfetch\s*$/.test(l)));
  if (opens(prefix, i)) return true;
  for (let j = i - 1; j >= Math.max(0, i - 6); j--) {
    const line = lines[j] ?? '';
    if (opens(line, j)) return true;
    if (/;\s*$|^\s*\}\s*\)?\s*;?\s*$/.test(line)) return false;
  }
  return false;
}

/** Whether `name` (a variable) is passed to a listener in `lines`: `.listen(port`, `port: port`, `{ port }`. */
function reachesListen(lines: string[], name: string): boolean {
  const v = name.replace(/\$/g, '\\$');
  const direct = new RegExp(String.raw`\.listen\(\s*${WRAP}${v}\b(?!\s*\.)`);
  const key = new RegExp(String.raw`\bport\s*:\s*${WRAP}${v}\b(?!\s*\.)`);
  const shorthand = /(?:[{,]\s*|^\s*)port\s*(?:[,}]|$)/;
  return lines.some((line, i) => {
    if (/^\s*(?:\/\/|\/\*|\*)/.test(line)) return false;
    if (direct.test(line)) return true;
    if (key.test(line) && underOpener(lines, i, line)) return true;
    return name === 'port' && shorthand.test(line) && underOpener(lines, i, line);
  });
}

/**
 * The variable the server's listen port comes from when it is the app's own (SERVER_PORT, API_PORT,
 * lower-case `port`), with the default it listens on without it. None when the code reads PORT
 * (what the kit sets anyway), or when two different names reach listeners (a guess).
 *
 * @example
 *   // server.js: const port = process.env.SERVER_PORT || 4000; app.listen(port)
 *   listenPortEnv(sources, at) // { name: { value: 'SERVER_PORT', ... }, port: { value: 4000, ... } }
 */
export function listenPortEnv(sources: SourceFile[], at: (f: string) => string): PortEnv | undefined {
  if (sources.some((f) => READS_PORT.test(f.text))) return undefined;
  const found = new Map<string, PortEnv>();
  for (const file of sources) {
    const lines = file.text.split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(?:\/\/|\/\*|\*)/.test(line)) return;
      for (const m of line.matchAll(READ)) {
        const name = m[1] ?? m[2] ?? m[3] ?? '';
        if (!ownName(name) || found.has(name)) continue;
        const prefix = line.slice(0, m.index);
        const assigned = ASSIGNED.exec(prefix)?.[1];
        const keyed = PORT_KEY.test(prefix) && underOpener(lines, i, prefix);
        const reaches = IN_LISTEN.test(prefix) || keyed || (assigned !== undefined && reachesListen(lines, assigned));
        if (!reaches) continue;
        const evidence = codeEvidence(at(file.path), i + 1, line);
        const port = Number(DEFAULT.exec(line.slice((m.index ?? 0) + m[0].length))?.[1]);
        found.set(name, { name: { value: name, evidence }, ...(port > 0 && port < 65536 ? { port: { value: port, evidence } } : {}) });
      }
    });
  }
  return found.size === 1 ? [...found.values()][0] : undefined;
}
