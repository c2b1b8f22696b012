import { posix } from 'node:path';
import type { SourceFile } from '../../src/detect/walk.js';

/**
 * Where Express-style routers are mounted: `app.use('/api', router)` in the same file, or
 * `app.use('/api', healthRoutes)` where `healthRoutes` is `require('./routes/health')` (or an
 * import of it), possibly through several levels (`router.use('/v1', v1)` inside a router that is
 * itself mounted). The prefix of a route is what its router object's mounts add up to.
 */

interface Mount {
  file: string;
  /** The object `use` is called on (`app`, `router`). */
  parent: string;
  prefix: string;
  /** The mounted object, when it is a local name. */
  child: string | null;
  /** The file it comes from, when it is imported (or required inline). */
  childFile: string | null;
}

const EXTENSIONS = ['', '.js', '.ts', '.mjs', '.cjs', '.mts', '.cts', '/index.js', '/index.ts', '/index.mjs'];

/** `.use('/api', a, b, router)` with the prefix a literal: the last argument is the mounted router. */
const USE = /\b(\w+)\.use\(\s*(['"`])(\/[\w./-]*)\2\s*,([^;]*?)\)\s*;?\s*$/;
const REQUIRE = /\b(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*['"`](\.[^'"`]+)['"`]\s*\)/;
const IMPORT = /^\s*import\s+(\w+)(?:\s*,\s*\{[^}]*\})?\s+from\s+['"`](\.[^'"`]+)['"`]/;
const NAMED_IMPORT = /^\s*import\s+\{([^}]+)\}\s+from\s+['"`](\.[^'"`]+)['"`]/;

function resolve(from: string, spec: string, files: ReadonlySet<string>): string | null {
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  for (const ext of EXTENSIONS) {
    const candidate = ext && /\.[cm]?js$/.test(base) && !ext.startsWith('/') ? base.replace(/\.[cm]?js$/, ext) : base + ext;
    if (files.has(candidate)) return candidate;
  }
  return null;
}

/** Every mount with a literal prefix in the sources, with its child resolved to a file where it is imported. */
function mountsOf(sources: SourceFile[]): Mount[] {
  const files = new Set(sources.map((s) => s.path));
  const mounts: Mount[] = [];
  for (const file of sources) {
    const imports = new Map<string, string>();
    for (const line of file.text.split('\n')) {
      const req = REQUIRE.exec(line) ?? IMPORT.exec(line);
      if (req?.[1] && req[2]) {
        const target = resolve(file.path, req[2], files);
        if (target) imports.set(req[1], target);
      }
      const named = NAMED_IMPORT.exec(line);
      if (named?.[1] && named[2]) {
        const target = resolve(file.path, named[2], files);
        for (const name of named[1].split(',').map((n) => n.trim().split(/\s+as\s+/).pop() ?? '')) if (target && name) imports.set(name, target);
      }
    }
    for (const line of file.text.split('\n')) {
      if (/^\s*(?:\/\/|\/\*|\*)/.test(line)) continue;
      const m = USE.exec(line);
      if (!m?.[1] || m[3] === undefined) continue;
      const last = (m[4] ?? '').split(',').pop()?.trim() ?? '';
      const inline = /^require\(\s*['"`](\.[^'"`]+)['"`]\s*\)$/.exec(last);
      const name = /^(\w+)(?:\(\))?$/.exec(last)?.[1] ?? null;
      const childFile = inline?.[1] ? resolve(file.path, inline[1], files) : name ? (imports.get(name) ?? null) : null;
      if (!name && !childFile) continue;
      mounts.push({ file: file.path, parent: m[1], prefix: m[3] === '/' ? '' : m[3].replace(/\/$/, ''), child: childFile ? null : name, childFile });
    }
  }
  return mounts;
}

/**
 * A function giving the prefix the mounts add to a route defined on `object` in `file`: ''
 * when it is not mounted under a prefix. Cycles and depth are bounded.
 */
export function mountPrefixes(sources: SourceFile[]): (file: string, object: string) => string {
  const mounts = mountsOf(sources);
  const prefixOf = (file: string, object: string, depth: number): string => {
    if (depth > 8) return '';
    const local = mounts.find((m) => m.file === file && m.child === object);
    if (local) return prefixOf(local.file, local.parent, depth + 1) + local.prefix;
    // A router is mounted from another file that imports this one (one router per module).
    const imported = mounts.find((m) => m.childFile === file && m.file !== file);
    if (imported) return prefixOf(imported.file, imported.parent, depth + 1) + imported.prefix;
    return '';
  };
  return (file, object) => prefixOf(file, object, 0);
}
