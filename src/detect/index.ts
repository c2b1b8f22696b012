import { detectEnvVars } from './env.js';
import { detectGit } from './git.js';
import { detectNode } from './node.js';
import { servicesOf } from './services.js';
import type { RepoFacts } from './types.js';

export type * from './types.js';
export { detectEnvVars, envFor } from './env.js';
export { detectGit } from './git.js';
export { detectGo } from './go.js';
export { detectNode, nodeMajor, plainNodeCommand } from './node.js';
export { detectPython, pythonMinor } from './python.js';
export { detectServices } from './services.js';
export { detectStatic } from './static.js';

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
  const git = detectGit(root);

  const warnings: string[] = [...(node?.warnings ?? [])];
  if (!git.isRepo) warnings.push('not a git repository: CI workflows need a branch to trigger on; run `git init` (or pass the branch explicitly)');
  else if (!git.defaultBranch) warnings.push('could not tell the default branch (detached HEAD, no remote origin HEAD, no init.defaultBranch): pass it explicitly');

  // Each service carries its own warnings; only what stopped a service from being read lands here.
  const services = await servicesOf(root, node, warnings);
  const facts: RepoFacts = { root, git, env, services, warnings };
  if (node) facts.node = node;
  return facts;
}
