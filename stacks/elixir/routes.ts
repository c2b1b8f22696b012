/**
 * Health routes an Elixir app serves, read from its code: a Phoenix router's `get "/health"`
 * under the prefixes of the scopes around it, a Plug.Router's `get "/health" do`, and a
 * hand-written server matching the request line (`"GET /health "`). Routes inside
 * `if Mix.env() in [:dev, :test]` blocks are not in a release, so they do not count.
 */
import { HEALTH_SEGMENT, best, codeEvidence, healthRank, type Candidate } from '../../src/detect/shared.js';
import type { Fact } from '../../src/detect/fact.js';
import type { SourceFile } from '../../src/detect/walk.js';

const ROUTE = new RegExp(`^\\s*get\\s+"((?:/[\\w.:-]*)*/${HEALTH_SEGMENT}/?)"`);
const REQUEST_LINE = new RegExp(`"GET ((?:/[\\w.-]+)*/${HEALTH_SEGMENT}/?)[ "]`);
/** A line that opens a block: `... do` at its end (a `do:` keyword or a one-line `fn ... end` does not). */
const OPENS = /\bdo\s*(?:#.*)?$/;
const CLOSES = /^\s*end\b/;
const DEV_ONLY = /^\s*if\b.*Mix\.env\(\)/;

const join = (prefix: string, path: string): string => `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`.replace(/\/{2,}/g, '/');

/** The routes a router file serves under its scopes. */
function routerRoutes(file: SourceFile, at: (f: string) => string): Array<Candidate<string>> {
  const found: Array<Candidate<string>> = [];
  // Each open block: the path prefix it adds, and whether it only exists in dev or test.
  const stack: Array<{ prefix: string; devOnly: boolean }> = [];
  file.text.split('\n').forEach((line, i) => {
    if (/^\s*#/.test(line)) return;
    const prefix = stack.reduce((p, b) => (b.prefix ? join(p, b.prefix) : p), '');
    const devOnly = stack.some((b) => b.devOnly);
    const route = ROUTE.exec(line);
    if (route && !devOnly) {
      const path = join(prefix || '/', route[1]!);
      found.push({ value: path, rank: healthRank(path), evidence: codeEvidence(at(file.path), i + 1, line) });
    }
    if (CLOSES.test(line)) {
      stack.pop();
      return;
    }
    if (OPENS.test(line)) {
      const scope = /^\s*scope\s+(?:path:\s*)?"([^"]*)"/.exec(line);
      const inDev = DEV_ONLY.test(line) && /:dev|:test/.test(line) && !/:prod/.test(line);
      stack.push({ prefix: scope?.[1] ?? '', devOnly: inDev });
    }
  });
  return found;
}

export function detectElixirHealth(files: SourceFile[], at: (f: string) => string): Fact<string> | undefined {
  const found: Array<Candidate<string>> = [];
  for (const file of files) {
    const router = /\buse\s+(?:Phoenix\.Router|Plug\.Router)\b|\buse\s+[\w.]+,\s*:router\b/.test(file.text);
    if (router) found.push(...routerRoutes(file, at));
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*#/.test(line)) return;
      const m = REQUEST_LINE.exec(line);
      if (m?.[1]) found.push({ value: m[1], rank: healthRank(m[1]), evidence: codeEvidence(at(file.path), i + 1, line) });
    });
  }
  const top = best(found);
  return top && { value: top.value, evidence: top.evidence };
}
