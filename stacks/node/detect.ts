import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { detectWeb } from './detect-web.js';
import { configBasePath } from './detect-ssg.js';
import type { WebFacts } from './types.js';
import type { Fact } from '../../src/detect/fact.js';
import { atPath, healthRank, isRecord, servicePath, slugify } from '../../src/detect/shared.js';
import { GENERATED_DIRS, TEST_DIRS, readSourceFiles } from '../../src/detect/walk.js';
import { expandWorkspaces, findWorkspaceRoot, readWorkspacePatterns } from '../../src/detect/workspaces.js';
import { detectHealthPath, detectPort } from './detect-code.js';
import { listenPortEnv } from './port-env.js';
import { detectPrisma } from './prisma.js';
import { detectT3Env } from './t3-env.js';
import { clientApp, delegatedBuild, delegatedStart } from './not-services.js';
import { detectStart, type StartFact } from './start.js';
import { dependentOf, hoistedFrameworks, servedMembers, withWorkspaceBuilds } from './workspace-deps.js';
import { detectNodeVersion, detectPackageManager, detectPatches, type PackageJson, type WorkspaceContext } from './package-manager.js';
import type { NodeAppKind, NodeFacts, NodeFramework, PackageManager } from './types.js';

/** Checked in this order; NestJS first because its apps also pull in express or fastify. */
const FRAMEWORKS: ReadonlyArray<readonly [string, NodeFramework]> = [
  ['@nestjs/core', 'nestjs'],
  ['fastify', 'fastify'],
  ['hono', 'hono'],
  ['koa', 'koa'],
  ['express', 'express'],
];

const SOURCE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];
/** Code that starts a server: Node's http/net, a framework's listen, a serve() helper. */
const LISTENS = /\.listen\(|\bcreateServer\(|\bserve\(|\bBun\.serve\(|\bDeno\.serve\(/;

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
  const wsContext: WorkspaceContext | undefined = workspace && {
    dir: join(root, workspace.path),
    pkg: workspace.pkg as PackageJson,
    at: atPath(workspace.path),
  };
  if (workspace) facts.workspaceRoot = workspace.fact;
  const declared = await readWorkspacePatterns(dir, pkg as Record<string, unknown>, at);
  if (declared) facts.workspaces = { value: await expandWorkspaces(root, rel, declared.patterns), evidence: declared.evidence };

  await detectPackageManager(dir, pkg, facts, warnings, at, wsContext);
  const pm = facts.packageManager.value;
  const npmrc = await detectNpmrc(wsContext?.dir ?? dir, wsContext?.at ?? at, warnings);
  if (npmrc) facts.npmrc = npmrc;
  const patches = await detectPatches(wsContext?.dir ?? dir, wsContext?.pkg ?? pkg, wsContext?.at ?? at);
  if (patches) facts.patches = patches;

  const nodeVersion =
    (await detectNodeVersion(dir, pkg, warnings, at)) ?? (wsContext && (await detectNodeVersion(wsContext.dir, wsContext.pkg, [], wsContext.at)));
  if (nodeVersion) facts.nodeVersion = nodeVersion;

  const scripts = stringRecord(pkg.scripts);
  const own = { ...stringRecord(pkg.devDependencies), ...stringRecord(pkg.dependencies) };
  // `next start` in a member that lists no next: the workspace root's (every dependency kept at the root).
  const hoisted = wsContext && workspace?.path !== rel ? hoistedFrameworks(scripts, own, wsContext, at) : {};
  const deps = { ...Object.fromEntries(Object.entries(hoisted).map(([n, h]) => [n, h.version])), ...own };
  const depField = (dep: string): 'dependencies' | 'devDependencies' => (dep in stringRecord(pkg.dependencies) ? 'dependencies' : 'devDependencies');
  const depEvidence = (dep: string): string => hoisted[dep]?.evidence ?? `${at('package.json')} ${depField(dep)}.${dep}: ${JSON.stringify(deps[dep])}`;
  const frameworks = FRAMEWORKS.filter(([dep]) => dep in deps);
  const [first] = frameworks;
  if (first) {
    const [dep, value] = first;
    facts.framework = { value, evidence: depEvidence(dep) };
    const others = frameworks
      .slice(1)
      .map(([d]) => d)
      .filter(() => value !== 'nestjs');
    if (others.length > 0) warnings.push(`${at('package.json')} depends on ${[dep, ...others].join(', ')}: assuming ${value}`);
  }

  if (scripts.build !== undefined) {
    facts.build = { value: runScript(pm, 'build'), evidence: `${at('package.json')} scripts.build: ${JSON.stringify(scripts.build)}` };
  }
  if (scripts.test !== undefined && !/no test specified/.test(scripts.test)) {
    facts.test = { value: testCommand(pm), evidence: `${at('package.json')} scripts.test: ${JSON.stringify(scripts.test)}` };
  }

  const importable = (['exports', 'module', 'main'] as const).find((f) => f in pkg);
  const web = await detectWeb({ dir, at, deps, depField, depEvidence, scripts, peers: stringRecord(pkg.peerDependencies), ...(importable && { importable }) }, warnings);
  if (web.webFramework) facts.webFramework = web.webFramework;
  if (web.outputDir) facts.outputDir = web.outputDir;
  if (web.nextOutput) facts.nextOutput = web.nextOutput;
  if (web.buildScript) facts.build = { value: runScript(pm, web.buildScript.value), evidence: web.buildScript.evidence };
  // The site builder is a package of this workspace (`vitepress: "workspace:*"` in VitePress's own docs): built from source first.
  const fromWorkspace = Object.entries(deps).find(([n, v]) => v.startsWith('workspace:') && web.webFramework?.evidence.includes(` ${depField(n)}.${n}: `));
  if (web.kind && fromWorkspace) {
    warnings.push(
      `${at('package.json')} takes ${fromWorkspace[0]} from the workspace (${JSON.stringify(fromWorkspace[1])}): the image runs only this package's build, so ` +
        `${fromWorkspace[0]} is not built first; set build in deploy-kit.yaml to build it too (its own build, then this one's)`,
    );
  }
  const basePath = web.kind?.value === 'static' ? (web.basePath ?? (await configBasePath({ dir, at, deps, depField, scripts }, web.webFramework?.value))) : undefined;
  if (basePath) facts.basePath = basePath;

  const delegated = (await delegatedStart(dir, scripts.start, facts.workspaces !== undefined, at)) ?? delegatedBuild(scripts, facts.workspaces !== undefined, at);
  if (delegated) facts.delegatesStart = delegated;
  const startWarnings: string[] = [];
  // A workspace root with no start script and nothing to run holds the packages: no app missing its start command.
  const workspaceOnly = facts.workspaces !== undefined && scripts.start === undefined;
  const start = detectStart(pkg, scripts, facts.framework?.value, startWarnings, at);
  // `npm run scss && node app.js`: what start runs first is built into the image instead (read-only at run time).
  if (start?.prelude && !facts.build) {
    facts.build = { value: start.prelude.map((script) => runScript(pm, script)).join(' && '), evidence: `${start.fact.evidence} (run before the server)` };
  }
  // A workspace package another package depends on is a library (unless a start script runs it).
  const usedBy = workspace && start?.source !== 'script' ? await dependentOf(root, workspace, rel) : undefined;
  if (usedBy) facts.importedBy = { value: true, evidence: usedBy };
  const kind = appKind(pkg, facts, web, start, warnings, at, usedBy);
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
  // Nor does a site that is no service (nothing builds it, or it is built into another app), a workspace root
  // that runs its packages, or an editor extension or mobile app.
  if (kind?.value !== 'static' && kind?.value !== 'ssr' && web.kind?.value !== 'static' && !facts.delegatesStart && !facts.clientApp && !(workspaceOnly && !kind)) {
    warnings.push(...startWarnings);
  }

  if (kind?.value !== 'static') {
    const sources = await readSourceFiles(dir, {
      extensions: SOURCE_EXTENSIONS,
      skipDirs: [...GENERATED_DIRS, ...TEST_DIRS],
      skipTestFiles: true,
      maxFiles: 200,
    });
    // `main` alone says only which file is the package's entry: a package of browser assets (a Django app's
    // project-static, built by esbuild into dist/) names one too. Without a server framework, the code must listen.
    if (start?.source === 'main' && kind?.value === 'server' && !facts.framework && !sources.some((f) => LISTENS.test(f.text))) {
      delete facts.kind;
      delete facts.start;
      warnings.push(
        `${start.fact.evidence}, but no code in ${at('.')} starts a server (no .listen(, createServer(, serve(): not deployed as a Node service; ` +
          'if it is one, set scripts.start to "node <entry file>"',
      );
      facts.warnings = warnings;
      return facts;
    }
    // An SSR framework's server takes its port from $PORT; a port in the code is the dev server's.
    const ownServer = kind?.value !== 'ssr' || customServer;
    const port = ownServer ? (detectPort(sources, entryOf(facts.start), warnings, at) ?? web.port) : web.port;
    if (port) facts.port = port;
    // The server's own port variable (`process.env.SERVER_PORT || 4000`): the kit sets it beside PORT, to the default it read.
    const portEnv = ownServer ? listenPortEnv(sources, at) : undefined;
    if (portEnv) {
      facts.portEnv = portEnv.name;
      if (portEnv.port) facts.port = portEnv.port;
    }
    const fromCode = detectHealthPath(sources, at);
    const health =
      fromCode && web.healthPath ? (healthRank(web.healthPath.value) < healthRank(fromCode.value) ? web.healthPath : fromCode) : (fromCode ?? web.healthPath);
    if (health) facts.healthPath = health;
    const served = workspace && kind?.value === 'server' ? await servedMembers(root, workspace, rel, sources, at) : undefined;
    if (served) facts.serves = served;
  }
  const built = workspace && (await withWorkspaceBuilds(root, workspace, rel, pm, facts.build, facts.serves?.value));
  if (built) facts.build = built;
  // A build that validates the server's secrets stops in the image (the build has none).
  const t3 = kind && kind.value !== 'server' ? await detectT3Env(dir, at) : undefined;
  if (t3?.warning) warnings.push(t3.warning);
  if (t3?.skipVar) facts.skipEnvValidation = t3.skipVar;
  const prisma = await detectPrisma(dir, pkg, deps, at);
  if (prisma) {
    facts.prisma = prisma;
    const p = prisma.value;
    if (p.migrations && kind?.value === 'server' && !p.cliInProd) {
      warnings.push(
        `${prisma.evidence}: prisma is a devDependency, so the image has no Prisma CLI for \`prisma migrate deploy\`; move prisma to ` +
          'dependencies (the release step then runs it), or run migrations from CI',
      );
    } else if (p.migrations && kind?.value === 'ssr') {
      warnings.push(`${prisma.evidence}: the ${facts.webFramework?.value ?? 'SSR'} image holds only the built server: run \`prisma migrate deploy\` from CI`);
    }
  }
  // A database the kit has no add-on for: said now, not discovered as a check that never passes.
  const prodDeps = stringRecord(pkg.dependencies);
  const mongo = ['mongoose', 'mongodb'].find((d) => d in prodDeps);
  if (mongo && kind?.value !== 'static') {
    warnings.push(
      `${at('package.json')} depends on ${mongo}: the app needs a MongoDB, and deploy-kit has no MongoDB add-on; give it an external ` +
        "one through the variable its config reads (add it under env: in deploy-kit.yaml), or the container may never turn healthy",
    );
  }
  facts.warnings = warnings;
  return facts;
}

function entryOf(start: Fact<string> | undefined): string | undefined {
  return start?.value
    .split(' ')
    .slice(1)
    .find((t) => !t.startsWith('-'));
}

/** package.json fields that only a package meant to be imported (or installed as a tool) has. */
export const LIBRARY_FIELDS = ['exports', 'types', 'typings', 'peerDependencies', 'bin', 'files'];

/**
 * server / ssr / static, or undefined for a library. An explicit start script beats everything but
 * an SSR framework; a server framework beats a static build, with a warning, since both are plausible.
 */
function appKind(
  pkg: PackageJson,
  facts: NodeFacts,
  web: WebFacts,
  start: StartFact | undefined,
  warnings: string[],
  at: (f: string) => string,
  usedBy?: string,
): Fact<NodeAppKind> | undefined {
  // Imported by another workspace package and nothing to build: a library of sources (a Next.js helper package).
  if (usedBy && !(isRecord(pkg.scripts) && typeof pkg.scripts.build === 'string')) return undefined;
  if (web.kind?.value === 'ssr') return { value: 'ssr', evidence: web.kind.evidence };
  const client = clientApp(pkg, at);
  if (client) {
    facts.clientApp = client;
    return undefined;
  }
  if (start?.source === 'script') return { value: 'server', evidence: `${start.fact.evidence} (a Node process serves the app)` };
  const marker = LIBRARY_FIELDS.find((f) => f in pkg);
  const library =
    web.library?.evidence ??
    (marker ? `${at('package.json')} has "${marker}" (a package to import, not an app to run)` : undefined) ??
    (usedBy && `${usedBy} (a workspace package to import, not an app to run)`);
  if (facts.framework && !library) {
    if (web.kind && web.webFramework) {
      warnings.push(
        `${at('package.json')} has both ${facts.framework.value} and ${web.webFramework.value}: treating it as a ${facts.framework.value} server; ` +
          `if it is a static site, say so (and drop the server)`,
      );
    }
    return { value: 'server', evidence: `${facts.framework.evidence} (a server framework)` };
  }
  if (web.kind?.value === 'static') {
    // Nothing builds the site: a package that only uses the builder (an Astro integration, a workspace root's tooling).
    if (!facts.build) {
      // A library says nothing; a workspace root's packages are looked at on their own.
      if (!library && !facts.workspaces) facts.unbuilt = { value: noBuildWarning(at('package.json'), web.webFramework?.value), evidence: web.kind.evidence };
      return undefined;
    }
    if (!builtOutside(web.outputDir) || !web.outputDir) return { value: 'static', evidence: web.kind.evidence };
    // Vite's `outDir: "../backend/app/frontend"`: another app serves the files, and its image must run the build.
    facts.builtInto = { value: posix.join(facts.path, web.outputDir.value), evidence: web.outputDir.evidence };
    warnings.push(builtIntoWarning(facts.path, facts.builtInto));
    return undefined;
  }
  if (start && !library) return { value: 'server', evidence: `${start.fact.evidence} (a Node process serves the app)` };
  // `tsx src/index.ts`, `npm run build && node dist/server.js`: it runs, though not in exec form (already warned).
  const script = isRecord(pkg.scripts) ? pkg.scripts.start : undefined;
  // `turbo run start`, `pnpm --filter ./apps/server run start:prod`, `yarn --cwd ./app start`: another package runs.
  if (facts.delegatesStart) return undefined;
  if (typeof script === 'string' && !library && !web.webFramework) {
    return {
      value: 'server',
      evidence: `${at('package.json')} scripts.start: ${JSON.stringify(script)} (it runs the app, though not as a plain node command)`,
    };
  }
  return undefined;
}

/** What a package that depends on a site builder but has no build script is told: it is no service. */
function noBuildWarning(manifest: string, builder: string | undefined): string {
  return `${manifest} depends on ${builder ?? 'a site builder'} but has no scripts.build: no site is built from it, so it is not deployed; add "build" (the command that writes the site) to deploy it`;
}

/** What a site built into another directory is told: it is no service of its own. */
export function builtIntoWarning(path: string, into: Fact<string>): string {
  const where = path === '.' ? 'the repository root' : path;
  return (
    `${where}: the site is built into ${into.value}, outside its own package (${into.evidence.replace(/,$/, '')}), for the app there to serve; ` +
    `it is not deployed on its own, and the image of the app that serves it must run its build`
  );
}

/** A site whose build writes outside its own package (an output dir starting with `..`). */
function builtOutside(outputDir: Fact<string> | undefined): boolean {
  return outputDir !== undefined && /^\.\.(?:\/|$)/.test(posix.normalize(outputDir.value));
}

function runScript(pm: PackageManager, script: string): string {
  return pm === 'yarn' ? `yarn ${script}` : `${pm} run ${script}`;
}

function testCommand(pm: PackageManager): string {
  // `bun test` is bun's own test runner, not the package's test script.
  return pm === 'bun' ? 'bun run test' : `${pm} test`;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** A registry credential in an .npmrc line: `_authToken`, `_auth`, `_password`, a client key or certificate. */
const NPMRC_CREDENTIAL = /^\s*(?:\/\/[^\s=]*:)?(?:_authToken|_auth|_password|username|certfile|keyfile|cert|key)\s*=/m;

/**
 * The install root's .npmrc: settings only (`legacy-peer-deps=true`, `engine-strict`...) are copied
 * with the manifests, since the install depends on them; one with a credential stays out of the
 * build context (a build secret is the way in), and a warning says so.
 */
async function detectNpmrc(dir: string, at: (file: string) => string, warnings: string[]): Promise<Fact<true> | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, '.npmrc'), 'utf8');
  } catch {
    return undefined;
  }
  if (NPMRC_CREDENTIAL.test(text)) {
    warnings.push(
      `${at('.npmrc')} holds a registry credential: the build context leaves it out, so an install that needs it fails; ` +
        'pass it as a build secret (RUN --mount=type=secret,id=npmrc,target=/root/.npmrc) and keep the file out of git',
    );
    return undefined;
  }
  return { value: true, evidence: `${at('.npmrc')}: settings the install reads, no credential` };
}

