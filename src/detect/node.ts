import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { detectWeb, type WebFacts } from './node-web.js';
import { HEALTH_SEGMENT, SERVICE_PORTS, atPath, exists, healthRank, isRecord, servicePath, slugify, truncate } from './shared.js';
import type { Fact, NodeAppKind, NodeFacts, NodeFramework, PackageManager } from './types.js';
import { GENERATED_DIRS, TEST_DIRS, readSourceFiles, type SourceFile } from './walk.js';
import { expandWorkspaces, findWorkspaceRoot, readWorkspacePatterns } from './workspaces.js';

interface PackageJson {
  name?: unknown;
  main?: unknown;
  packageManager?: unknown;
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  engines?: { node?: unknown };
  volta?: { node?: unknown };
  workspaces?: unknown;
}

/** Where a nested package's workspace root is, for the lockfile and Node version it shares. */
interface WorkspaceContext {
  dir: string;
  pkg: PackageJson;
  at: (file: string) => string;
}

/** Lockfiles by package manager; within one manager the first present wins (npm itself prefers the shrinkwrap). */
const LOCKFILES: ReadonlyArray<readonly [PackageManager, string]> = [
  ['pnpm', 'pnpm-lock.yaml'],
  ['yarn', 'yarn.lock'],
  ['bun', 'bun.lock'],
  ['bun', 'bun.lockb'],
  ['npm', 'npm-shrinkwrap.json'],
  ['npm', 'package-lock.json'],
];
// With several lockfiles and no packageManager field, npm's loses: a stray package-lock.json from
// someone running `npm install` in a pnpm/yarn repo is the common accident, not the reverse.

/** Checked in this order; NestJS first because its apps also pull in express or fastify. */
const FRAMEWORKS: ReadonlyArray<readonly [string, NodeFramework]> = [
  ['@nestjs/core', 'nestjs'],
  ['fastify', 'fastify'],
  ['hono', 'hono'],
  ['koa', 'koa'],
  ['express', 'express'],
];

/** `lts/<codename>` in .nvmrc names a major; `lts/*` and `node` move with time, so they decide nothing. */
const LTS_CODENAMES: Record<string, string> = {
  argon: '4', boron: '6', carbon: '8', dubnium: '10', erbium: '12', fermium: '14',
  gallium: '16', hydrogen: '18', iron: '20', jod: '22', krypton: '24',
};

const SOURCE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/**
 * Detects a Node service in `root/path`: package manager, Node major, framework, build/test/start
 * commands, port and health route, each with its evidence. Undefined when there is no package.json.
 * Things it cannot decide land in `warnings` (no lockfile, several lockfiles, `lts/*`, ...).
 *
 * @example
 *   const node = await detectNode('/repo')
 *   node?.packageManager // { value: 'npm', evidence: 'package-lock.json present' }
 *   node?.port           // { value: 3000, evidence: 'src/server.js:3 const port = Number(process.env.PORT) || 3000;' }
 */
export async function detectNode(root: string, path = '.'): Promise<NodeFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  // Evidence names files relative to the repo root, so `apps/api/package.json` for a nested service.
  const at = atPath(rel);

  let raw: string;
  try {
    raw = await readFile(join(dir, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  let pkg: PackageJson;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isRecord(parsed)) throw new Error('not an object');
    pkg = parsed as PackageJson;
  } catch (err) {
    throw new Error(`${at('package.json')} is not valid JSON (${(err as Error).message}); fix it so deploy-kit can read the Node project`);
  }

  const warnings: string[] = [];
  const facts: NodeFacts = { path: rel, packageManager: { value: 'npm', evidence: '' } };

  const name = typeof pkg.name === 'string' ? slugify(pkg.name) : '';
  if (name) facts.name = { value: name, evidence: `${at('package.json')} name: ${JSON.stringify(pkg.name)}` };

  // A workspace package shares the root's lockfile (and usually its Node version).
  const workspace = await findWorkspaceRoot(root, rel);
  const wsContext: WorkspaceContext | undefined = workspace && { dir: join(root, workspace.path), pkg: workspace.pkg as PackageJson, at: atPath(workspace.path) };
  if (workspace) facts.workspaceRoot = workspace.fact;
  const declared = await readWorkspacePatterns(dir, pkg as Record<string, unknown>, at);
  if (declared) facts.workspaces = { value: await expandWorkspaces(root, rel, declared.patterns), evidence: declared.evidence };

  await detectPackageManager(dir, pkg, facts, warnings, at, wsContext);
  const pm = facts.packageManager.value;

  const nodeVersion = (await detectNodeVersion(dir, pkg, warnings, at)) ?? (wsContext && (await detectNodeVersion(wsContext.dir, wsContext.pkg, [], wsContext.at)));
  if (nodeVersion) facts.nodeVersion = nodeVersion;

  const deps = { ...stringRecord(pkg.devDependencies), ...stringRecord(pkg.dependencies) };
  const depField = (dep: string): 'dependencies' | 'devDependencies' => (dep in stringRecord(pkg.dependencies) ? 'dependencies' : 'devDependencies');
  const frameworks = FRAMEWORKS.filter(([dep]) => dep in deps);
  const [first] = frameworks;
  if (first) {
    const [dep, value] = first;
    facts.framework = { value, evidence: `${at('package.json')} ${depField(dep)}.${dep}: ${JSON.stringify(deps[dep])}` };
    const others = frameworks.slice(1).map(([d]) => d).filter(() => value !== 'nestjs');
    if (others.length > 0) warnings.push(`${at('package.json')} depends on ${[dep, ...others].join(', ')}: assuming ${value}`);
  }

  const scripts = stringRecord(pkg.scripts);
  if (scripts.build !== undefined) {
    facts.build = { value: runScript(pm, 'build'), evidence: `${at('package.json')} scripts.build: ${JSON.stringify(scripts.build)}` };
  }
  if (scripts.test !== undefined && !/no test specified/.test(scripts.test)) {
    facts.test = { value: testCommand(pm), evidence: `${at('package.json')} scripts.test: ${JSON.stringify(scripts.test)}` };
  }

  const web = await detectWeb({ dir, at, deps, depField, scripts }, warnings);
  if (web.webFramework) facts.webFramework = web.webFramework;
  if (web.outputDir) facts.outputDir = web.outputDir;
  if (web.nextOutput) facts.nextOutput = web.nextOutput;

  const startWarnings: string[] = [];
  const start = detectStart(pkg, scripts, facts.framework?.value, startWarnings, at);
  const kind = appKind(pkg, facts, web, start, warnings, at);
  if (kind) facts.kind = kind;
  // The framework's own server unless package.json starts a custom one (a Remix app on Express, say).
  const customServer = kind?.value === 'ssr' && start?.source === 'script' && start.fact.value !== web.start?.value;
  if (kind?.value === 'ssr') {
    const chosen = customServer ? start?.fact : (web.start ?? start?.fact);
    if (chosen) facts.start = chosen;
    if (web.hostEnv && !customServer) facts.hostEnv = web.hostEnv;
  } else if (kind?.value !== 'static' && start) {
    facts.start = start.fact;
  }
  // A static site has no start command, and an SSR framework without one has already said why.
  if (kind?.value !== 'static' && kind?.value !== 'ssr') warnings.push(...startWarnings);

  if (kind?.value !== 'static') {
    const sources = await readSourceFiles(dir, {
      extensions: SOURCE_EXTENSIONS,
      skipDirs: [...GENERATED_DIRS, ...TEST_DIRS],
      skipTestFiles: true,
      maxFiles: 200,
    });
    // An SSR framework's server takes its port from $PORT; a port in the code is the dev server's.
    const port = kind?.value === 'ssr' && !customServer ? web.port : (detectPort(sources, entryOf(facts.start), warnings, at) ?? web.port);
    if (port) facts.port = port;
    const fromCode = detectHealthPath(sources, at);
    const health = fromCode && web.healthPath ? (healthRank(web.healthPath.value) < healthRank(fromCode.value) ? web.healthPath : fromCode) : (fromCode ?? web.healthPath);
    if (health) facts.healthPath = health;
  }
  facts.warnings = warnings;
  return facts;
}

function entryOf(start: Fact<string> | undefined): string | undefined {
  return start?.value.split(' ').slice(1).find((t) => !t.startsWith('-'));
}

/** package.json fields that only a package meant to be imported (or installed as a tool) has. */
const LIBRARY_FIELDS = ['exports', 'types', 'typings', 'peerDependencies', 'bin', 'files'];

/**
 * server / ssr / static, or undefined for a library. An explicit start script beats everything but
 * an SSR framework; a server framework beats a static build, with a warning, since both are plausible.
 */
function appKind(pkg: PackageJson, facts: NodeFacts, web: WebFacts, start: StartFact | undefined, warnings: string[], at: (f: string) => string): Fact<NodeAppKind> | undefined {
  if (web.kind?.value === 'ssr') return { value: 'ssr', evidence: web.kind.evidence };
  if (start?.source === 'script') return { value: 'server', evidence: `${start.fact.evidence} (a Node process serves the app)` };
  const marker = LIBRARY_FIELDS.find((f) => f in pkg);
  const library = web.library?.evidence ?? (marker ? `${at('package.json')} has "${marker}" (a package to import, not an app to run)` : undefined);
  if (facts.framework && !library) {
    if (web.kind && web.webFramework) {
      warnings.push(
        `${at('package.json')} has both ${facts.framework.value} and ${web.webFramework.value}: treating it as a ${facts.framework.value} server; if it is a static site, say so (and drop the server)`,
      );
    }
    return { value: 'server', evidence: `${facts.framework.evidence} (a server framework)` };
  }
  if (web.kind?.value === 'static') return { value: 'static', evidence: web.kind.evidence };
  if (start && !library) return { value: 'server', evidence: `${start.fact.evidence} (a Node process serves the app)` };
  // `tsx src/index.ts`, `npm run build && node dist/server.js`: it runs, though not in exec form (already warned).
  const script = isRecord(pkg.scripts) ? pkg.scripts.start : undefined;
  if (typeof script === 'string' && !library && !web.webFramework) {
    return { value: 'server', evidence: `${at('package.json')} scripts.start: ${JSON.stringify(script)} (it runs the app, though not as a plain node command)` };
  }
  return undefined;
}

async function detectPackageManager(dir: string, pkg: PackageJson, facts: NodeFacts, warnings: string[], at: (f: string) => string, workspace?: WorkspaceContext): Promise<void> {
  const present: Array<readonly [PackageManager, string]> = [];
  for (const lock of LOCKFILES) if (await exists(join(dir, lock[1]))) present.push(lock);
  // A workspace package has no lockfile of its own: the workspace root's decides, as it does for `npm ci`.
  if (workspace && present.length === 0 && (typeof pkg.packageManager !== 'string' || typeof workspace.pkg.packageManager !== 'string' || pkg.packageManager === workspace.pkg.packageManager)) {
    const shared: NodeFacts = { path: facts.path, packageManager: facts.packageManager };
    const rootWarnings: string[] = [];
    await detectPackageManager(workspace.dir, workspace.pkg, shared, rootWarnings, workspace.at);
    if (shared.lockfile) {
      const suffix = ' (workspace root)';
      facts.packageManager = { ...shared.packageManager, evidence: shared.packageManager.evidence + suffix };
      facts.lockfile = { value: shared.lockfile.value, evidence: shared.lockfile.evidence + suffix };
      if (shared.packageManagerVersion) facts.packageManagerVersion = shared.packageManagerVersion;
      if (shared.yarnFlavor) facts.yarnFlavor = shared.yarnFlavor;
      return; // the root's own warnings are reported with the root
    }
  }

  // "pnpm@9.1.0", "yarn@4.1.0+sha512.abc": corepack's field, the project's own statement.
  const field = typeof pkg.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@v?((\d+)(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)/.exec(pkg.packageManager.trim()) : null;
  if (typeof pkg.packageManager === 'string' && !field) {
    warnings.push(`${at('package.json')} packageManager ${JSON.stringify(pkg.packageManager)} is not npm, pnpm, yarn or bun with a version; ignored`);
  }

  if (field) {
    const pm = field[1] as PackageManager;
    facts.packageManager = { value: pm, evidence: `${at('package.json')} packageManager: ${JSON.stringify(pkg.packageManager)}` };
    // The version without corepack's "+sha512..." integrity suffix.
    if (field[2]) facts.packageManagerVersion = { value: field[2], evidence: facts.packageManager.evidence };
    const lock = present.find(([m]) => m === pm);
    if (lock) facts.lockfile = { value: lock[1], evidence: `${at(lock[1])} present` };
    else warnings.push(`${at('package.json')} says packageManager ${pm} but there is no ${pm} lockfile: builds are not reproducible; run \`${pm} install\` and commit the lockfile`);
    const stale = present.filter(([m]) => m !== pm).map(([, f]) => f);
    if (stale.length > 0) warnings.push(`${stale.map(at).join(', ')} present but packageManager is ${pm}: ${stale.length > 1 ? 'these lockfiles are' : 'this lockfile is'} ignored; delete if stale`);
    if (pm === 'yarn') {
      const major = Number(field[3]);
      facts.yarnFlavor = { value: major >= 2 ? 'berry' : 'classic', evidence: `${at('package.json')} packageManager: ${JSON.stringify(pkg.packageManager)}` };
    }
  } else {
    const chosen = present[0];
    if (!chosen) {
      facts.packageManager = { value: 'npm', evidence: 'no lockfile; npm assumed' };
      warnings.push(`no lockfile in ${facts.path === '.' ? 'the repository root' : facts.path}: npm assumed and builds are not reproducible; run \`npm install\` and commit package-lock.json (or the lockfile of your package manager)`);
    } else {
      const [pm, file] = chosen;
      facts.packageManager = { value: pm, evidence: `${at(file)} present` };
      facts.lockfile = { value: file, evidence: `${at(file)} present` };
      const managers = new Set(present.map(([m]) => m));
      if (managers.size > 1) {
        warnings.push(`several lockfiles: ${present.map(([, f]) => at(f)).join(', ')}; using ${pm} (${file}). Set "packageManager" in ${at('package.json')} or delete the stale ones`);
        facts.packageManager.evidence += ` (one of several lockfiles; ${pm} preferred)`;
      }
    }
    if (facts.packageManager.value === 'yarn') facts.yarnFlavor = await detectYarnFlavor(dir, at);
  }
}

async function detectYarnFlavor(dir: string, at: (f: string) => string): Promise<Fact<'classic' | 'berry'>> {
  if (await exists(join(dir, '.yarnrc.yml'))) return { value: 'berry', evidence: `${at('.yarnrc.yml')} present` };
  const lock = await readFile(join(dir, 'yarn.lock'), 'utf8').catch(() => '');
  if (/^__metadata:/m.test(lock)) return { value: 'berry', evidence: `${at('yarn.lock')} has __metadata (yarn 2+ format)` };
  if (/yarn lockfile v1/.test(lock)) return { value: 'classic', evidence: `${at('yarn.lock')} is "yarn lockfile v1"` };
  return { value: 'classic', evidence: `no .yarnrc.yml and no __metadata in ${at('yarn.lock')}` };
}

async function detectNodeVersion(dir: string, pkg: PackageJson, warnings: string[], at: (f: string) => string): Promise<Fact<string> | undefined> {
  const sources: Array<[where: string, spec: string | undefined]> = [
    [at('.nvmrc'), firstLine(await readFile(join(dir, '.nvmrc'), 'utf8').catch(() => undefined))],
    [at('.node-version'), firstLine(await readFile(join(dir, '.node-version'), 'utf8').catch(() => undefined))],
    [`${at('package.json')} engines.node`, isRecord(pkg.engines) && typeof pkg.engines.node === 'string' ? pkg.engines.node : undefined],
    [`${at('package.json')} volta.node`, isRecord(pkg.volta) && typeof pkg.volta.node === 'string' ? pkg.volta.node : undefined],
  ];
  // A source that names no fixed major (lts/*, node, *) is reported and the next one gets its say.
  for (const [where, spec] of sources) {
    if (spec === undefined || spec === '') continue;
    const major = nodeMajor(spec);
    if (major) return { value: major, evidence: `${where}: ${JSON.stringify(spec)}` };
    warnings.push(`${where} ${JSON.stringify(spec)} names no fixed Node major; pin one (e.g. "22") so the image does not change under you`);
  }
  return undefined;
}

/**
 * Reduces a Node version spec to one major: "v22.3.0" → "22", ">=20.9" → "20",
 * "^18 || ^20" → "20", ">=18 <21" → "20", "lts/iron" → "20", "lts/*" → undefined.
 */
export function nodeMajor(spec: string): string | undefined {
  const s = spec.trim().toLowerCase();
  const lts = /^lts\/([a-z]+)$/.exec(s);
  if (lts) return LTS_CODENAMES[lts[1] ?? ''];
  let best: number | undefined;
  for (const alternative of s.split('||')) {
    const uppers: number[] = [];
    const lowers: number[] = [];
    const hyphen = /^\s*v?(\d+)[^\s]*\s+-\s+v?(\d+)/.exec(alternative);
    if (hyphen) uppers.push(Number(hyphen[2]));
    for (const m of alternative.matchAll(/(<=|>=|<|>|=|\^|~)?\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/g)) {
      const [, op, maj, min, patch] = m;
      if (hyphen) break; // "A - B": B already taken as the upper bound
      const major = Number(maj);
      if (op === '<') {
        // "<21" and "<21.0.0" exclude all of 21; "<21.4" still allows 21.x.
        const onBoundary = (min === undefined || min === '0') && (patch === undefined || patch === '0');
        uppers.push(onBoundary ? major - 1 : major);
      } else if (op === '<=') uppers.push(major);
      else lowers.push(major);
    }
    const candidate = uppers.length > 0 ? Math.min(...uppers) : lowers.length > 0 ? Math.max(...lowers) : undefined;
    if (candidate !== undefined && candidate > 0 && (best === undefined || candidate > best)) best = candidate;
  }
  return best === undefined ? undefined : String(best);
}

const FLAGS_WITH_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--conditions', '-C', '--title']);

/**
 * `node [flags] <file> [args]` with env assignments (and cross-env) stripped, or undefined when the
 * script needs a shell or another tool (`&&`, `$VAR`, `nest start`, `ts-node`).
 */
export function plainNodeCommand(script: string): string | undefined {
  if (/[;&|<>`$()'"\\]/.test(script)) return undefined;
  const tokens = script.trim().split(/\s+/);
  while (tokens[0] !== undefined && (/^[A-Za-z_]\w*=/.test(tokens[0]) || tokens[0] === 'cross-env' || tokens[0] === 'env')) tokens.shift();
  if (tokens[0] !== 'node') return undefined;
  let i = 1;
  for (let flag = tokens[i]; flag !== undefined && flag.startsWith('-'); flag = tokens[i]) {
    if (['-e', '--eval', '-p', '--print', '-i', '--interactive', '--test', '--run', '-c', '--check'].includes(flag)) return undefined;
    i += !flag.includes('=') && FLAGS_WITH_VALUE.has(flag) ? 2 : 1;
  }
  return tokens[i] === undefined ? undefined : tokens.join(' ');
}

/** A start command and what it came from: a script says "this runs", `main` only that it is the entry. */
interface StartFact {
  fact: Fact<string>;
  source: 'script' | 'main' | 'framework';
}

function detectStart(pkg: PackageJson, scripts: Record<string, string>, framework: NodeFramework | undefined, warnings: string[], at: (f: string) => string): StartFact | undefined {
  // Nest's scaffold keeps `nest start` in start and the production command in start:prod.
  for (const key of ['start', 'start:prod']) {
    const script = scripts[key];
    if (script === undefined) continue;
    const command = plainNodeCommand(script);
    if (command) return { source: 'script', fact: { value: command, evidence: `${at('package.json')} scripts.${key}: ${JSON.stringify(script)}` } };
  }
  const notPlain = scripts.start === undefined ? '' : ` (scripts.start ${JSON.stringify(scripts.start)} is not a plain node command)`;
  if (typeof pkg.main === 'string' && /\.[cm]?js$/.test(pkg.main)) {
    const main = pkg.main.replace(/^\.\//, '');
    return { source: 'main', fact: { value: `node ${main}`, evidence: `${at('package.json')} main: ${JSON.stringify(pkg.main)}${notPlain}` } };
  }
  if (framework === 'nestjs') {
    return { source: 'framework', fact: { value: 'node dist/main.js', evidence: `@nestjs/core builds to dist/main.js by default${notPlain}` } };
  }
  warnings.push(`no start command found in ${at('package.json')}${notPlain}: set scripts.start to "node <entry file>"`);
  return undefined;
}

function runScript(pm: PackageManager, script: string): string {
  return pm === 'yarn' ? `yarn ${script}` : `${pm} run ${script}`;
}

function testCommand(pm: PackageManager): string {
  // `bun test` is bun's own test runner, not the package's test script.
  return pm === 'bun' ? 'bun run test' : `${pm} test`;
}

interface PortMatch {
  port: number;
  rank: number;
  file: string;
  line: number;
  text: string;
}

const PORT_PATTERNS: ReadonlyArray<readonly [rank: number, pattern: RegExp]> = [
  [0, /\.listen\(\s*(\d{2,5})\b/],
  [0, /\.listen\(\s*\{[^}]*\bport\s*:\s*(\d{2,5})\b/],
  [0, /\bPORT\b(?:\s*,\s*10)?\s*\)?\s*(?:\|\||\?\?)\s*['"`]?(\d{2,5})\b/],
  [1, /\bPORT\s*=\s*(\d{2,5})\b/],
  [2, /\bport\s*[:=]\s*(\d{2,5})\b/i],
];

function detectPort(sources: SourceFile[], entry: string | undefined, warnings: string[], at: (f: string) => string): Fact<number> | undefined {
  const matches: PortMatch[] = [];
  for (const file of sources) {
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*(?:\/\/|\/\*|\*)/.test(line)) return;
      for (const [rank, pattern] of PORT_PATTERNS) {
        const m = pattern.exec(line);
        const port = Number(m?.[1]);
        if (!m || port < 1 || port > 65535 || (rank === 2 && SERVICE_PORTS.has(port))) continue;
        matches.push({ port, rank, file: file.path, line: i + 1, text: line.trim() });
        break;
      }
    });
  }
  const isEntry = (m: PortMatch): number => (entry !== undefined && posix.normalize(entry) === m.file ? 0 : 1);
  // Best pattern first, then the start command's file, then walk order (shallow files first).
  const [best] = [...matches].sort((a, b) => a.rank - b.rank || isEntry(a) - isEntry(b));
  if (!best) return undefined;
  const rivals = [...new Set(matches.filter((m) => m.rank === best.rank && m.port !== best.port).map((m) => `${m.port} (${at(m.file)}:${m.line})`))];
  if (rivals.length > 0) warnings.push(`several ports in the code; using ${best.port} (${at(best.file)}:${best.line}), also saw ${rivals.join(', ')}`);
  return { value: best.port, evidence: `${at(best.file)}:${best.line} ${truncate(best.text, 120)}` };
}

/** Route literals: `.get('/health'`, `route('/healthz'`, fastify's `url: '/ready'`, Nest's `@Get('health')`. */
const HEALTH_PATTERNS: RegExp[] = [
  new RegExp(`\\.(?:get|head|all|route)\\(\\s*(['"\`])((?:/[\\w.-]+)*/${HEALTH_SEGMENT})\\1`, 'g'),
  new RegExp(`\\b(?:url|path)\\s*:\\s*(['"\`])((?:/[\\w.-]+)*/${HEALTH_SEGMENT})\\1`, 'g'),
  new RegExp(`@(?:Get|Controller|Head|All)\\(\\s*(['"\`])(/?(?:[\\w.-]+/)*${HEALTH_SEGMENT})\\1`, 'g'),
];

function detectHealthPath(sources: SourceFile[], at: (f: string) => string): Fact<string> | undefined {
  let best: { path: string; rank: number; evidence: string } | undefined;
  for (const file of sources) {
    const lines = file.text.split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(?:\/\/|\/\*|\*)/.test(line)) return;
      for (const pattern of HEALTH_PATTERNS) {
        for (const m of line.matchAll(pattern)) {
          const raw = m[2] ?? '';
          const path = raw.startsWith('/') ? raw : `/${raw}`;
          const rank = healthRank(path);
          if (!best || rank < best.rank) best = { path, rank, evidence: `${at(file.path)}:${i + 1} ${truncate(line.trim(), 120)}` };
        }
      }
    });
  }
  return best && { value: best.path, evidence: best.evidence };
}

function firstLine(text: string | undefined): string | undefined {
  return text?.split('\n').map((l) => l.replace(/#.*/, '').trim()).find(Boolean);
}


function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
