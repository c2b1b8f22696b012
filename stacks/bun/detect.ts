import { join } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { HEALTH_SEGMENT, atPath, codeEvidence, exists, healthRank, isRecord, readText, servicePath } from '../../src/detect/shared.js';
import { GENERATED_DIRS, TEST_DIRS, readSourceFiles } from '../../src/detect/walk.js';
import { LIBRARY_FIELDS, detectNode } from '../node/detect.js';
import type { BunFacts } from './types.js';

/** Files Bun runs directly (it transpiles TypeScript and JSX itself). */
const RUNNABLE = /\.(?:ts|tsx|mts|js|mjs|cjs|jsx)$/;
/** Where a Bun server's entry conventionally is, when package.json names none (bun init writes index.ts). */
const ENTRY_GUESSES = ['src/index.ts', 'index.ts', 'src/server.ts', 'server.ts', 'src/index.js', 'index.js'];

/**
 * Bun routes: `routes: { "/health": ... }` in Bun.serve, `url.pathname === "/health"` in a fetch
 * handler. (Hono and Elysia's `.get("/health", ...)` are found by the Node detector.)
 */
const BUN_HEALTH = [
  new RegExp(`(['"\`])((?:/[\\w.-]+)*/${HEALTH_SEGMENT})\\1\\s*:`),
  new RegExp(`pathname\\s*===?\\s*(['"\`])((?:/[\\w.-]+)*/${HEALTH_SEGMENT})\\1`),
];

/**
 * Detects a Bun service in `root/path`: a package whose package manager is bun (its lockfile, or
 * package.json `packageManager: "bun@..."`). The Node stack steps aside for exactly these, so a
 * package is never both. Port, health route, build and test come from the same reading of the
 * code the Node stack does; the start command, version and framework are Bun's own. A site
 * builder's static output (Vite, Astro static...) is `kind: static`: bun builds it, nginx serves it.
 *
 * @example
 *   const bun = await detectBun('/repo')
 *   bun?.lockfile // { value: 'bun.lock', evidence: 'bun.lock present' }
 *   bun?.start    // { value: 'bun run src/index.ts', evidence: 'package.json module: "src/index.ts"' }
 */
export async function detectBun(root: string, path = '.'): Promise<BunFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);
  const text = await readText(join(dir, 'package.json'));
  if (text === undefined) return undefined;
  // A package.json the Node detector cannot read is reported once, by the Node stack.
  const node = await detectNode(root, path).catch(() => undefined);
  if (!node || node.packageManager.value !== 'bun') return undefined;
  const pkg = JSON.parse(text) as Record<string, unknown>;

  // The Node detector's advice on start commands is about `node <file>`: Bun's start is decided here.
  const warnings = (node.warnings ?? []).filter((w) => !/start command|scripts\.start/.test(w));
  const facts: BunFacts = { path: rel, warnings };
  // A site builder's output is files: bun installs and builds, nginx serves (as for a Node-built site).
  const site = node.kind?.value === 'static';
  const builtInto = node.builtInto;
  if (builtInto) facts.builtInto = builtInto;
  if (node.lockfile) facts.lockfile = node.lockfile;
  else warnings.push(`no bun.lock in ${rel === '.' ? 'the repository root' : rel}: run \`bun install\` and commit bun.lock, so the image installs what you tested`);
  if (site && node.kind) {
    facts.kind = { value: 'static', evidence: node.kind.evidence };
    if (node.webFramework) facts.webFramework = node.webFramework;
    if (node.outputDir) facts.outputDir = node.outputDir;
    if (node.basePath) facts.basePath = node.basePath;
    // The site builds from the workspace root, where the lockfile is.
    if (node.workspaceRoot) facts.workspaceRoot = node.workspaceRoot;
  } else if (node.workspaceRoot && !builtInto) {
    warnings.push(`${at('package.json')} is a package of the bun workspace at ${node.workspaceRoot.value}: the image builds from ${rel} alone, without the workspace's lockfile`);
  }
  if (await exists(join(dir, 'bunfig.toml'))) facts.bunfig = { value: true, evidence: `${at('bunfig.toml')} present` };
  if (node.name) facts.name = node.name;
  const version = await bunVersion(dir, node.packageManagerVersion, at);
  if (version) facts.bunVersion = version;
  const framework = bunFramework(pkg, at);
  if (framework) facts.framework = framework;
  else if (node.framework?.value === 'hono') facts.framework = { value: 'hono', evidence: node.framework.evidence };
  if (node.build) facts.build = node.build;
  if (node.test) facts.test = node.test;
  // nginx serves it, or the app it is built into does (the Node detector's warning says so): no entry file, port or route of its own.
  if (site || builtInto) return facts;
  // A site builder and nothing that builds the site: no service (the Node detector's message says why).
  if (node.unbuilt) {
    facts.unbuilt = node.unbuilt;
    return facts;
  }
  const start = await bunStart(dir, pkg, at);
  // An entry file alone (package.json main, a conventional index.ts) is also what a workspace's
  // libraries have: a server shows it serves (a framework, a start script, a port or Bun.serve).
  const scripts = isRecord(pkg.scripts) ? pkg.scripts : {};
  const startScript = typeof scripts.start === 'string' || typeof scripts['start:prod'] === 'string';
  if (start && !framework && !node.framework && !node.port && !startScript && !(await callsBunServe(dir))) return facts;
  // A package to import (exports, types, peerDependencies...) with no start script: its examples' servers are not it.
  if (!startScript && LIBRARY_FIELDS.some((f) => f in pkg)) return facts;
  if (start) facts.start = start;
  else warnings.push(`no entry file for bun: set package.json "module" (or scripts.start to "bun run <file>")`);
  if (node.port) facts.port = node.port;
  if (node.portEnv) facts.portEnv = node.portEnv;
  const health = node.healthPath ?? (await fetchHandlerHealth(dir, at));
  if (health) facts.healthPath = health;
  return facts;
}

async function bunVersion(dir: string, pinned: Fact<string> | undefined, at: (f: string) => string): Promise<Fact<string> | undefined> {
  const minor = (v: string) => /^(\d+\.\d+)/.exec(v.trim().replace(/^v/, ''))?.[1];
  const fromField = pinned && minor(pinned.value);
  if (fromField && pinned) return { value: fromField, evidence: pinned.evidence };
  const file = await readText(join(dir, '.bun-version'));
  const fromFile = file === undefined ? undefined : minor(file);
  return fromFile ? { value: fromFile, evidence: `${at('.bun-version')}: ${file?.trim()}` } : undefined;
}

function bunFramework(pkg: Record<string, unknown>, at: (f: string) => string): Fact<'elysia'> | undefined {
  const deps = isRecord(pkg.dependencies) ? pkg.dependencies : {};
  const elysia = deps.elysia;
  return typeof elysia === 'string' ? { value: 'elysia', evidence: `${at('package.json')} dependencies.elysia: ${JSON.stringify(elysia)}` } : undefined;
}

/** The file bun runs: a start script that is `bun [run] <file>`, package.json module/main, or a conventional entry. */
async function bunStart(dir: string, pkg: Record<string, unknown>, at: (f: string) => string): Promise<Fact<string> | undefined> {
  const scripts = isRecord(pkg.scripts) ? pkg.scripts : {};
  for (const key of ['start', 'start:prod']) {
    const script = scripts[key];
    const m = typeof script === 'string' ? /^bun(?:\s+run)?\s+(?:\.\/)?(\S+)$/.exec(script.trim()) : null;
    if (m?.[1] && RUNNABLE.test(m[1])) return { value: `bun run ${m[1]}`, evidence: `${at('package.json')} scripts.${key}: ${JSON.stringify(script)}` };
  }
  for (const key of ['module', 'main']) {
    const entry = pkg[key];
    if (typeof entry === 'string' && RUNNABLE.test(entry)) {
      return { value: `bun run ${entry.replace(/^\.\//, '')}`, evidence: `${at('package.json')} ${key}: ${JSON.stringify(entry)}` };
    }
  }
  for (const file of ENTRY_GUESSES) if (await exists(join(dir, file))) return { value: `bun run ${file}`, evidence: `${at(file)} present` };
  return undefined;
}

/** Whether the package's code starts a server the Bun way: `Bun.serve(...)`, or a default export with a `fetch` handler. */
async function callsBunServe(dir: string): Promise<boolean> {
  const sources = await readSourceFiles(dir, { extensions: ['.ts', '.tsx', '.js', '.mjs'], skipDirs: [...GENERATED_DIRS, ...TEST_DIRS], skipTestFiles: true, maxFiles: 200 });
  return sources.some((f) => /\bBun\.serve\s*\(|\bexport\s+default\s*\{[^}]*\bfetch\b/.test(f.text));
}

/** A health route served by a plain fetch handler (Bun.serve routes, a pathname check); Deno's detector uses it too. */
export async function fetchHandlerHealth(dir: string, at: (f: string) => string): Promise<Fact<string> | undefined> {
  const sources = await readSourceFiles(dir, { extensions: ['.ts', '.tsx', '.js', '.mjs'], skipDirs: [...GENERATED_DIRS, ...TEST_DIRS], skipTestFiles: true, maxFiles: 200 });
  let found: { path: string; evidence: string } | undefined;
  for (const file of sources) {
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*(?:\/\/|\/\*|\*)/.test(line)) return;
      for (const pattern of BUN_HEALTH) {
        const path = pattern.exec(line)?.[2];
        if (path && (!found || healthRank(path) < healthRank(found.path))) found = { path, evidence: codeEvidence(at(file.path), i + 1, line) };
      }
    });
  }
  return found && { value: found.path, evidence: found.evidence };
}
