import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFESTS, STACKS, stackOf } from '../../stacks/index.js';
import type { Stack, StackFactsBase } from '../../stacks/types.js';
import { detectNode } from '../../stacks/node/detect.js';
import { exists } from './shared.js';
import type { DetectedService, NodeFacts } from './types.js';
import { GENERATED_DIRS, TEST_DIRS, compare } from './walk.js';
import { detectForeignSite, type ForeignSite } from '../../stacks/static/foreign.js';
import { expandWorkspaces, readWorkspacePatterns } from './workspaces.js';

/** Directories with a manifest that are never services: a Remix template's setup script, run once by create-remix. */
const NOT_SERVICES = ['remix.init'];

/** Monorepo layouts whose every subdirectory is a candidate service. */
const LAYOUTS = ['apps', 'services', 'packages'];

/** Directories of demos: a workspace's packages there show how to use the library, they are not deployed. */
const SAMPLE_DIRS = ['examples', 'example', 'samples', 'sample', 'demo', 'demos'];

/** Top-level directories whose subprojects are never the services to deploy (samples, docs, tooling). */
const NOT_GROUPS = [...SAMPLE_DIRS, 'docs', 'doc', 'scripts', 'tools', 'benchmarks', 'deploy', 'infra', 'plugins'];

/**
 * The service `stack` finds at `path`, if it is something to deploy (and not a library). The
 * root's Node facts are read once, by detectRepo (they are also RepoFacts.node): passed in, not re-read.
 */
async function detectWith(stack: Stack, root: string, path: string, rootNode: NodeFacts | undefined, notes: string[]): Promise<DetectedService | undefined> {
  const facts: StackFactsBase | undefined = path === '.' && stack.id === 'node' ? rootNode : await stack.detect(root, path, { manifests: MANIFESTS });
  const why = facts && stack.deployable(facts);
  const note = facts && !why ? stack.notDeployed?.(facts) : undefined;
  if (note) notes.push(note);
  return facts && why ? ({ path: facts.path, stack: stack.id, evidence: why, facts } as DetectedService) : undefined;
}

async function subdirs(abs: string): Promise<string[]> {
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !GENERATED_DIRS.includes(e.name) && !TEST_DIRS.includes(e.name))
    .filter((e) => !NOT_SERVICES.includes(e.name))
    .map((e) => e.name)
    .sort(compare);
}

/**
 * The root, apps/*, services/*, packages/*, Node workspace packages, any direct subdirectory with a
 * manifest, and the subdirectories with a manifest of a top-level folder that has none (server/api).
 */
async function candidates(root: string, rootNode: NodeFacts | undefined): Promise<string[]> {
  const found = new Set<string>(['.']);
  const top = await subdirs(root);
  for (const layout of LAYOUTS) {
    if (top.includes(layout)) for (const name of await subdirs(join(root, layout))) found.add(`${layout}/${name}`);
  }
  const withManifest = await Promise.all(top.map(async (name) => (await Promise.all(MANIFESTS.map((m) => exists(join(root, name, m))))).includes(true)));
  top.forEach((name, i) => {
    if (withManifest[i]) found.add(name);
  });
  // One level deeper: a top-level folder without a manifest that groups services (server/api, src/backend).
  // A Cargo workspace's members (crates/api) are built from the root, not on their own.
  const manifests = (await exists(join(root, 'Cargo.toml'))) ? MANIFESTS.filter((m) => m !== 'Cargo.toml') : MANIFESTS;
  const groups = top.filter((name, i) => !withManifest[i] && !LAYOUTS.includes(name) && !NOT_GROUPS.includes(name));
  for (const group of groups) {
    for (const name of await subdirs(join(root, group))) {
      if ((await Promise.all(manifests.map((m) => exists(join(root, group, name, m))))).includes(true)) found.add(`${group}/${name}`);
    }
  }
  let workspaces = rootNode?.workspaces?.value;
  if (!rootNode) {
    // pnpm-workspace.yaml without a root package.json
    const declared = await readWorkspacePatterns(root, {}, (f) => f);
    if (declared) workspaces = await expandWorkspaces(root, '.', declared.patterns);
  }
  // A workspace package under a test or samples directory (__tests__/e2e, examples/basic) is a fixture or a demo,
  // and one under tooling (scripts/, tools/, infra/) is not deployed either; a workspace's docs/ site may be.
  const tooling = NOT_GROUPS.filter((d) => d !== 'docs' && d !== 'doc');
  for (const dir of workspaces ?? []) {
    const parts = dir.split('/');
    if (!parts.some((part) => TEST_DIRS.includes(part) || SAMPLE_DIRS.includes(part)) && !tooling.includes(parts[0] ?? '')) found.add(dir);
  }
  return [...found].sort(compare);
}

/**
 * Every deployable service in the repository at `root`: at the root and in the common layouts
 * (`apps/*`, `services/*`, `packages/*` that run something rather than being libraries, Node
 * workspaces, any direct subdirectory with a manifest), sorted by path, then stack. A directory with
 * two deployable stacks lists both, each with a warning. Reads only; deterministic.
 *
 * @example
 *   (await detectServices('/repo')).map((s) => `${s.stack} ${s.path}`)
 *   // ['node apps/web', 'python apps/api', 'go services/worker']
 */
export async function detectServices(root: string, warnings: string[] = []): Promise<DetectedService[]> {
  const rootNode = await detectNode(root, '.').catch((err: Error) => {
    warnings.push(`${err.message}; the root is not listed as a service`);
    return undefined;
  });
  return servicesOf(root, rootNode, warnings);
}

/** detectServices with the root's Node facts already in hand (detectRepo has them). */
export async function servicesOf(root: string, rootNode: NodeFacts | undefined, warnings: string[], foreign: ForeignSite[] = []): Promise<DetectedService[]> {
  const paths = await candidates(root, rootNode);
  const perPath = await Promise.all(
    paths.map(async (path) => {
      const found: DetectedService[] = [];
      const problems: string[] = [];
      // A Hugo or Jekyll site is what its directory is: its package.json or Gemfile only serves that build.
      const site = await detectForeignSite(root, path);
      if (site?.overrides) return { found, problems, site };
      for (const stack of STACKS) {
        if (stack.fallback && found.length > 0) continue;
        try {
          const service = await detectWith(stack, root, path, rootNode, problems);
          if (service) found.push(service);
        } catch (err) {
          // A broken manifest in one package must not hide the others; the root's own errors surface in detectNode.
          problems.push(`${path}: ${(err as Error).message}; not listed as a service`);
        }
      }
      // A service that builds another one into its own image (PHP's asset build from package.json).
      const absorbed = found.filter((s) => found.some((o) => o !== s && stackOf(o.stack).absorbs?.(o.facts, s)));
      if (absorbed.length > 0) found.splice(0, found.length, ...found.filter((s) => !absorbed.includes(s)));
      if (found.length > 1) {
        const warning = `${path === '.' ? 'the repository root' : path} is deployable as ${found.map((s) => s.stack).join(' and ')}: listed once ` +
          `per stack; say which one runs (or drop the other)`;
        return { found: found.map((s) => withWarning(s, warning)), problems };
      }
      return { found, problems, site: found.length === 0 ? site : undefined };
    }),
  );
  // Collected per path and merged in path order: the parallel detections finish in any order.
  for (const { problems } of perPath) warnings.push(...problems);
  for (const { site } of perPath) if (site) foreign.push(site);
  const all = perPath.flatMap(({ found }) => found);
  // A web UI another service builds into its image (a Go binary's //go:embed) is not deployed on its own.
  const embedded = new Set(all.map((s) => stackOf(s.stack).embeds?.(s.facts)).filter(Boolean));
  // A site a Node server serves from its build output (`join(__dirname, '..', 'client/dist')`) is built into that server's image.
  const servedBy = new Map<string, DetectedService>();
  for (const s of all) if (s.stack === 'node') for (const dir of s.facts.serves?.value ?? []) servedBy.set(dir, s);
  return all.filter((s) => {
    if (embedded.has(s.path) && (s.stack === 'node' || s.stack === 'bun' || s.stack === 'static')) return false;
    const server = servedBy.get(s.path);
    if (!server || s.stack !== 'node' || s.facts.kind?.value !== 'static' || server === s) return true;
    const evidence = server.stack === 'node' ? server.facts.serves?.evidence : undefined;
    warnings.push(`${s.path}: the site is served by ${server.path} from its build output (${evidence}), and built in that image; not deployed on its own`);
    return false;
  });
}

/** A copy with one more warning: the root's NodeFacts are also RepoFacts.node, which must not change under init. */
function withWarning(service: DetectedService, warning: string): DetectedService {
  const facts: StackFactsBase = service.facts;
  return { ...service, facts: { ...facts, warnings: [...(facts.warnings ?? []), warning] } } as DetectedService;
}
