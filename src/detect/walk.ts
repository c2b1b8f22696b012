import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** Directories that never hold the app's own source: dependencies, build output, caches. */
export const GENERATED_DIRS: readonly string[] = [
  'node_modules',
  'bower_components',
  'dist',
  'build',
  'out',
  'coverage',
  'vendor',
  '__pycache__',
  'venv',
  'site-packages',
];

/**
 * Test code reads and writes env vars and listens on ports the deployed app never uses, so
 * detection skips it: these directories and `*.test.*` / `*.spec.*` files.
 */
export const TEST_DIRS: readonly string[] = ['test', 'tests', '__tests__', 'spec', 'e2e', 'fixtures', '__fixtures__', '__mocks__'];

export interface WalkOptions {
  /** Extensions to include, with the dot: `['.js', '.ts']`. */
  extensions: readonly string[];
  /** Directory names skipped at any depth. Hidden directories (`.git`, `.deploy-kit`, ...) are always skipped. */
  skipDirs?: readonly string[];
  /** Skip `*.test.*`, `*.spec.*` and `*.d.ts` files. */
  skipTestFiles?: boolean;
  /** Stop after this many files (default 1000). Shallow files come first, so the entry points survive the cap. */
  maxFiles?: number;
  /**
   * A subdirectory (never the walked root) holding any of these files is another project, e.g.
   * `['go.mod']` for a Go module: skipped with everything under it.
   */
  skipDirsContaining?: readonly string[];
}

export interface SourceFile {
  /** Posix path relative to the walked root, e.g. `src/server.js`. */
  path: string;
  text: string;
}

const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$|\.min\.js$/;

/**
 * Lists matching files under `root`, breadth-first with names sorted at every level, so the result
 * (and anything derived from it) is the same on every machine. Symlinks are not followed.
 *
 * @example
 *   await walkFiles('/repo', { extensions: ['.js'], skipDirs: GENERATED_DIRS })
 *   // ['server.js', 'src/app.js', 'src/routes/health.js']
 */
export async function walkFiles(root: string, options: WalkOptions): Promise<string[]> {
  const extensions = new Set(options.extensions);
  const skipDirs = new Set(options.skipDirs ?? []);
  const maxFiles = options.maxFiles ?? 1000;
  const stopFiles = new Set(options.skipDirsContaining ?? []);
  const files: string[] = [];
  let level: string[] = [''];

  while (level.length > 0 && files.length < maxFiles) {
    // One level at a time: the reads run in parallel, the order stays deterministic.
    const listings = await Promise.all(level.map((dir) => readdir(join(root, dir), { withFileTypes: true }).catch(() => [])));
    const next: string[] = [];
    for (const [i, entries] of listings.entries()) {
      const dir = level[i] ?? '';
      const sorted = entries.map((e) => ({ name: e.name, dir: e.isDirectory(), file: e.isFile() })).sort((a, b) => compare(a.name, b.name));
      if (dir !== '' && stopFiles.size > 0 && sorted.some((e) => e.file && stopFiles.has(e.name))) continue;
      for (const entry of sorted) {
        const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
        if (entry.dir) {
          if (!entry.name.startsWith('.') && !skipDirs.has(entry.name)) next.push(rel);
        } else if (entry.file && extensions.has(extname(entry.name))) {
          if (options.skipTestFiles && TEST_FILE.test(entry.name)) continue;
          files.push(rel);
          if (files.length >= maxFiles) return files;
        }
      }
    }
    level = next;
  }
  return files;
}

/**
 * Reads the files {@link walkFiles} finds, skipping any larger than `maxBytes` (default 256 KiB):
 * those are bundles or generated code, and scanning them costs more than it finds.
 */
export async function readSourceFiles(root: string, options: WalkOptions & { maxBytes?: number }): Promise<SourceFile[]> {
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const paths = await walkFiles(root, options);
  const read = await Promise.all(
    paths.map(async (path): Promise<SourceFile | undefined> => {
      try {
        const abs = join(root, path);
        if ((await stat(abs)).size > maxBytes) return undefined;
        return { path, text: await readFile(abs, 'utf8') };
      } catch {
        return undefined; // vanished or unreadable: not worth failing detection over
      }
    }),
  );
  return read.filter((f): f is SourceFile => f !== undefined);
}

/** Code-unit order, independent of the machine's locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Maps string offsets to 1-based line numbers.
 *
 * @example
 *   lineIndex('a\nb')(2) // 2
 */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
