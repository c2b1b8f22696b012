import { join } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { isRecord, readText } from '../../src/detect/shared.js';
import { expandWorkspaces, readWorkspacePatterns } from '../../src/detect/workspaces.js';
import type { PackageManager } from './types.js';

/** A workspace package as its dependents see it: its name, where it is, whether it builds. */
interface Member {
  name: string;
  dir: string;
  build: boolean;
  deps: string[];
}

async function readMember(root: string, dir: string): Promise<Member | undefined> {
  const text = await readText(join(root, dir, 'package.json'));
  if (text === undefined) return undefined;
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(pkg) || typeof pkg.name !== 'string') return undefined;
  const scripts = isRecord(pkg.scripts) ? pkg.scripts : {};
  return { name: pkg.name, dir, build: typeof scripts.build === 'string', deps: dependencyNames(pkg) };
}

function dependencyNames(pkg: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = pkg[field];
    if (isRecord(deps)) for (const name of Object.keys(deps)) names.add(name);
  }
  return [...names];
}

async function workspaceMembers(root: string, workspacePath: string, workspacePkg: Record<string, unknown>): Promise<Member[] | undefined> {
  const declared = await readWorkspacePatterns(join(root, workspacePath), workspacePkg, (f) => f);
  if (!declared) return undefined;
  const dirs = await expandWorkspaces(root, workspacePath, declared.patterns);
  return (await Promise.all(dirs.map((dir) => readMember(root, dir)))).filter((m): m is Member => m !== undefined);
}

/**
 * The workspace package that depends on the member at `rel` (or the workspace root, when it does),
 * as evidence that the member is a library to import, not an app: `apps/web/package.json depends on @acme/shared`.
 */
export async function dependentOf(root: string, workspace: { path: string; pkg: Record<string, unknown> }, rel: string): Promise<string | undefined> {
  const members = await workspaceMembers(root, workspace.path, workspace.pkg);
  const self = members?.find((m) => m.dir === rel);
  if (!members || !self) return undefined;
  const user = [{ dir: workspace.path, deps: dependencyNames(workspace.pkg) }, ...members].find((m) => m.dir !== rel && m.deps.includes(self.name));
  return user && `${user.dir === '.' ? '' : `${user.dir}/`}package.json depends on ${self.name}`;
}

/** Where a site's build writes, as a server names it: `join(__dirname, '..', 'client/dist')`, `'../web/build'`. */
const BUILD_DIRS = ['dist', 'build', 'out'];

/**
 * The workspace packages with a build whose output this server's code names as a path (`'client/dist'`,
 * `'client', 'dist'`): it serves that site itself, so its image builds it and the site is no service of its own.
 */
export async function servedMembers(
  root: string,
  workspace: { path: string; pkg: Record<string, unknown> },
  rel: string,
  sources: ReadonlyArray<{ path: string; text: string }>,
  at: (f: string) => string,
): Promise<Fact<string[]> | undefined> {
  const members = (await workspaceMembers(root, workspace.path, workspace.pkg)) ?? [];
  const found: string[] = [];
  const evidence: string[] = [];
  for (const m of members) {
    const base = m.dir.split('/').pop() ?? '';
    if (m.dir === rel || !m.build || !/^[\w.-]+$/.test(base)) continue;
    const pattern = new RegExp(`(['"\`])(?:[./\\w-]*/)?${base.replace(/\./g, '\\.')}(?:/|\\1\\s*,\\s*\\1)(?:${BUILD_DIRS.join('|')})/?\\1`);
    for (const file of sources) {
      const lines = file.text.split('\n');
      const i = lines.findIndex((line) => pattern.test(line) && !/^\s*(?:\/\/|\*)/.test(line));
      if (i < 0) continue;
      found.push(m.dir);
      evidence.push(`${at(file.path)}:${i + 1} ${lines[i]!.trim()}`);
      break;
    }
  }
  return found.length > 0 ? { value: found, evidence: evidence.join('; ') } : undefined;
}

/**
 * The workspace packages a workspace member depends on (directly or through one another) that have
 * a build script, dependencies first: a member importing `@acme/shared` (whose `main` is its dist/)
 * needs that package built before its own build. Undefined when there is none.
 */
async function builtDependencies(
  root: string,
  workspacePath: string,
  workspacePkg: Record<string, unknown>,
  rel: string,
  served: readonly string[],
): Promise<Member[] | undefined> {
  const members = await workspaceMembers(root, workspacePath, workspacePkg);
  if (!members) return undefined;
  const byName = new Map(members.map((m) => [m.name, m]));
  const self = members.find((m) => m.dir === rel);
  if (!self) return undefined;
  const order: Member[] = [];
  const seen = new Set<string>([self.name]);
  const visit = (member: Pick<Member, 'deps'>): void => {
    for (const name of member.deps) {
      const dep = byName.get(name);
      if (!dep || seen.has(name)) continue;
      seen.add(name);
      visit(dep);
      if (dep.build) order.push(dep);
    }
  };
  visit(self);
  // The workspace root's own dependencies resolve from every member too (node_modules up the tree).
  visit({ deps: dependencyNames(workspacePkg) });
  // The sites this server serves from their build output: built here too, after what they import.
  visit({ deps: members.filter((m) => served.includes(m.dir)).map((m) => m.name) });
  return order.length > 0 ? order : undefined;
}

/**
 * The build command of a workspace member whose workspace dependencies build first: pnpm's
 * `--filter` of each (pnpm orders them), else one `<pm> workspace` build per package, dependencies
 * first; then the member's own build, if it has one.
 */
export async function withWorkspaceBuilds(
  root: string,
  workspace: { path: string; pkg: Record<string, unknown> },
  rel: string,
  pm: PackageManager,
  build: Fact<string> | undefined,
  served: readonly string[] = [],
): Promise<Fact<string> | undefined> {
  const deps = await builtDependencies(root, workspace.path, workspace.pkg, rel, served);
  if (!deps || pm === 'bun') return build;
  const each = (d: Member): string => (pm === 'npm' ? `npm run build --workspace=${d.name}` : `yarn workspace ${d.name} run build`);
  // pnpm runs the selected packages' builds in dependency order itself.
  const first = pm === 'pnpm' ? `pnpm ${deps.map((d) => `--filter ${d.name}`).join(' ')} run build` : deps.map(each).join(' && ');
  const names = deps.map((d) => `${d.name} (${d.dir})`).join(', ');
  const why = `the workspace packages it depends on${served.length > 0 ? ' or serves' : ''} build first: ${names}`;
  return build ? { value: `${first} && ${build.value}`, evidence: `${build.evidence}; ${why}` } : { value: first, evidence: why };
}

/** The CLI a package's scripts run (`next build`, `nest start`) and the dependency that brings it. */
const FRAMEWORK_CLIS: Readonly<Record<string, string>> = { next: 'next', nest: '@nestjs/core', nuxt: 'nuxt', astro: 'astro', 'react-router': '@react-router/dev' };

/**
 * A workspace whose dependencies all live in the root's package.json (one version of everything, as Nx
 * repositories keep them): a member that runs `next start` without listing next takes it from there.
 * The dependencies so found, each with its evidence.
 */
export function hoistedFrameworks(
  scripts: Record<string, string>,
  own: Record<string, string>,
  root: { pkg: { dependencies?: unknown; devDependencies?: unknown }; at: (f: string) => string },
  at: (f: string) => string,
): Record<string, { version: string; evidence: string }> {
  const found: Record<string, { version: string; evidence: string }> = {};
  for (const key of ['build', 'start']) {
    const script = scripts[key];
    if (script === undefined) continue;
    for (const m of script.matchAll(/(?:^|[\s;&|])(next|nest|nuxt|astro|react-router)\s+(?:build|start)\b/g)) {
      const dep = FRAMEWORK_CLIS[m[1] ?? ''];
      if (dep === undefined || dep in own || dep in found) continue;
      for (const field of ['dependencies', 'devDependencies'] as const) {
        const deps = field === 'dependencies' ? root.pkg.dependencies : root.pkg.devDependencies;
        const version = deps && typeof deps === 'object' ? (deps as Record<string, unknown>)[dep] : undefined;
        if (typeof version !== 'string') continue;
        const evidence = `${root.at('package.json')} ${field}.${dep}: ${JSON.stringify(version)} (the workspace root's, run by ${at('package.json')} scripts.${key})`;
        found[dep] = { version, evidence };
        break;
      }
    }
  }
  return found;
}
