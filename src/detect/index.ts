import { detectEnvVars } from './env.js';
import { detectGit } from './git.js';
import { MANIFESTS, stackOf } from '../../stacks/index.js';
import { detectNode } from '../../stacks/node/detect.js';
import { detectStatic as detectStaticIn } from '../../stacks/static/detect.js';
import type { StaticFacts } from '../../stacks/static/types.js';
import { servicesOf } from './services.js';
import { foreignSiteMessage, type ForeignSite } from '../../stacks/static/foreign.js';
import type { RepoFacts } from './types.js';

export type * from './types.js';
export { detectEnvVars, envFor, envForStacks } from './env.js';
export { detectGit } from './git.js';
export { detectNode } from '../../stacks/node/detect.js';
export { plainNodeCommand } from '../../stacks/node/start.js';
export { nodeMajor } from '../../stacks/node/package-manager.js';
export { detectServices } from './services.js';

/** A site with no build at `root/path`, stepping aside where any stack's manifest is. */
export function detectStatic(root: string, path = '.'): Promise<StaticFacts | undefined> {
  return detectStaticIn(root, path, MANIFESTS);
}

/**
 * Everything detection can learn about the repository at `root`, each fact with its evidence,
 * plus the warnings to show before anything is written. Reads only; a small repo takes a few ms.
 *
 * @example
 *   const facts = await detectRepo(process.cwd())
 *   facts.git.defaultBranch // { value: 'trunk', evidence: 'current branch trunk (no remote origin HEAD)' }
 *   facts.warnings          // ['no lockfile in the repository root: npm assumed ...']
 *   facts.services          // [{ path: '.', stack: 'node', evidence: 'server: ...', facts: { ... } }]
 */
export async function detectRepo(root: string): Promise<RepoFacts> {
  const [node, env] = await Promise.all([detectNode(root, '.'), detectEnvVars(root)]);
  const git = await detectGit(root);

  const warnings: string[] = [];
  if (!git.isRepo) warnings.push('not a git repository: CI workflows need a branch to trigger on; run `git init` (or pass the branch explicitly)');
  else if (!git.defaultBranch)
    warnings.push('could not tell the default branch (detached HEAD, no remote origin HEAD, no init.defaultBranch): pass it explicitly');

  // Each service carries its own warnings; only what stopped a service from being read lands here.
  const foreignSites: ForeignSite[] = [];
  const services = await servicesOf(root, node, warnings, foreignSites);
  // The root package's warnings are the repository's only when it is built: deployed itself, or built into
  // the root service's image (a PHP app's assets). A workspace root's or a Python app's front-end tooling
  // is not asked for a start command. When another stack's service owns the root (a Laravel app's asset
  // build), only the warnings about its install (lockfile, package manager) still apply. A package bun
  // installs is the Bun stack's: its own facts carry the warnings that apply.
  const rootNode = node && { stack: 'node' as const, facts: node };
  const rootDeploys =
    services.length === 0 ||
    services.some((s) => s.path === '.' && (s.stack === 'node' || (rootNode && stackOf(s.stack).absorbs?.(s.facts as never, rootNode))));
  const ownedElsewhere = services.some((s) => s.path === '.' && s.stack !== 'node') && !services.some((s) => s.path === '.' && s.stack === 'node');
  if (node && node.packageManager.value !== 'bun' && rootDeploys) {
    warnings.unshift(...(node.warnings ?? []).filter((w) => !ownedElsewhere || /lockfile|packageManager|package manager/.test(w)));
  }
  // With other services to deploy, such a site is a note; alone, init stops with the same words (chooseServices).
  if (services.length > 0) warnings.push(...foreignSites.map(foreignSiteMessage));
  const facts: RepoFacts = { root, git, env, services, warnings, foreignSites };
  if (node) facts.node = node;
  return facts;
}
