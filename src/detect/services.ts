import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { detectGo } from './go.js';
import { detectNode } from './node.js';
import { detectPython } from './python.js';
import { exists } from './shared.js';
import { detectStatic } from './static.js';
import type { DetectedService, NodeFacts, Stack } from './types.js';
import { GENERATED_DIRS, TEST_DIRS, compare } from './walk.js';
import { expandWorkspaces, readWorkspacePatterns } from './workspaces.js';

/** Monorepo layouts whose every subdirectory is a candidate service. */
const LAYOUTS = ['apps', 'services', 'packages'];
/** Files that make a direct subdirectory of the root a candidate. */
const MANIFESTS = ['package.json', 'pyproject.toml', 'requirements.txt', 'Pipfile', 'go.mod'];

type Detector = (root: string, path: string) => Promise<DetectedService | undefined>;

/**
 * One detector per stack, in the order services at the same path are listed. A new stack is a
 * module with `detectX(root, path)` and a line here: detect, then say whether the result is
 * something to deploy (and why) or a library.
 */
const DETECTORS: ReadonlyArray<readonly [Stack, Detector]> = [
  [
    'node',
    async (root, path) => {
      const facts = await detectNode(root, path);
      const why = facts && nodeService(facts);
      return facts && why ? { path: facts.path, stack: 'node', evidence: why, facts } : undefined;
    },
  ],
  [
    'python',
    async (root, path) => {
      const facts = await detectPython(root, path);
      if (!facts) return undefined;
      const why = facts.start ? `${facts.framework.value} app: ${facts.start.evidence}` : facts.framework.value !== 'none' ? `${facts.framework.value} app: ${facts.framework.evidence}` : undefined;
      return why ? { path: facts.path, stack: 'python', evidence: why, facts } : undefined;
    },
  ],
  [
    'go',
    async (root, path) => {
      const facts = await detectGo(root, path);
      return facts?.mainPackage ? { path: facts.path, stack: 'go', evidence: `main package ${facts.mainPackage.value}: ${facts.mainPackage.evidence}`, facts } : undefined;
    },
  ],
  [
    'static',
    async (root, path) => {
      const facts = await detectStatic(root, path);
      return facts ? { path: facts.path, stack: 'static', evidence: facts.root.evidence, facts } : undefined;
    },
  ],
];

/** A Node package is a service when it runs or builds a site; a web framework counts even when its setup needs fixing (its warnings say how). */
function nodeService(facts: NodeFacts): string | undefined {
  if (facts.kind) return `${facts.kind.value}: ${facts.kind.evidence}`;
  if (facts.webFramework && facts.webFramework.value !== 'vite') return `${facts.webFramework.value} app: ${facts.webFramework.evidence}`;
  return undefined;
}

async function subdirs(abs: string): Promise<string[]> {
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !GENERATED_DIRS.includes(e.name) && !TEST_DIRS.includes(e.name))
    .map((e) => e.name)
    .sort(compare);
}

/** The root, apps/*, services/*, packages/*, Node workspace packages and any direct subdirectory with a manifest. */
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
  let workspaces = rootNode?.workspaces?.value;
  if (!rootNode) {
    // pnpm-workspace.yaml without a root package.json
    const declared = await readWorkspacePatterns(root, {}, (f) => f);
    if (declared) workspaces = await expandWorkspaces(root, '.', declared.patterns);
  }
  for (const dir of workspaces ?? []) found.add(dir);
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
export async function servicesOf(root: string, rootNode: NodeFacts | undefined, warnings: string[]): Promise<DetectedService[]> {
  const paths = await candidates(root, rootNode);
  const perPath = await Promise.all(
    paths.map(async (path) => {
      const found: DetectedService[] = [];
      const problems: string[] = [];
      for (const [stack, detect] of DETECTORS) {
        if (stack === 'static' && found.length > 0) continue;
        try {
          const service = path === '.' && stack === 'node' ? rootService(rootNode) : await detect(root, path);
          if (service) found.push(service);
        } catch (err) {
          // A broken manifest in one package must not hide the others; the root's own errors surface in detectNode.
          problems.push(`${path}: ${(err as Error).message}; not listed as a service`);
        }
      }
      if (found.length > 1) {
        const warning = `${path === '.' ? 'the repository root' : path} is deployable as ${found.map((s) => s.stack).join(' and ')}: listed once per stack; say which one runs (or drop the other)`;
        return { found: found.map((s) => withWarning(s, warning)), problems };
      }
      return { found, problems };
    }),
  );
  // Collected per path and merged in path order: the parallel detections finish in any order.
  for (const { problems } of perPath) warnings.push(...problems);
  return perPath.flatMap(({ found }) => found);
}

/** A copy with one more warning: the root's NodeFacts are also RepoFacts.node, which must not change under init. */
function withWarning(service: DetectedService, warning: string): DetectedService {
  switch (service.stack) {
    case 'node':
      return { ...service, facts: { ...service.facts, warnings: [...(service.facts.warnings ?? []), warning] } };
    case 'python':
      return { ...service, facts: { ...service.facts, warnings: [...service.facts.warnings, warning] } };
    case 'go':
      return { ...service, facts: { ...service.facts, warnings: [...service.facts.warnings, warning] } };
    case 'static':
      return { ...service, facts: { ...service.facts, warnings: [...service.facts.warnings, warning] } };
  }
}

function rootService(node: NodeFacts | undefined): DetectedService | undefined {
  const why = node && nodeService(node);
  return node && why ? { path: '.', stack: 'node', evidence: why, facts: node } : undefined;
}
