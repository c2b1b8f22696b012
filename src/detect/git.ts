import { execFileSync } from 'node:child_process';
import type { GitFacts } from './types.js';
import { compare } from './walk.js';

/** Runs git in `cwd`; undefined when it fails (not a repo, no such ref, git missing). */
function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Reads the branches and the branch production deploys from: the remote's HEAD (what a clone
 * checks out), else the current branch (even before the first commit), else `init.defaultBranch`.
 * Never assumes "main": a workflow that triggers on a branch the repo lacks never runs.
 * Local only: no network, three or four quick git calls.
 *
 * @example
 *   detectGit('/path/to/clone')
 *   // { isRepo: true, branches: ['feature-x', 'production'],
 *   //   defaultBranch: { value: 'production', evidence: 'remote origin HEAD → production' } }
 */
export function detectGit(root: string): GitFacts {
  if (git(root, ['rev-parse', '--is-inside-work-tree']) !== 'true') return { isRepo: false, branches: [] };

  // Full ref names: `%(refname:short)` abbreviates refs/remotes/origin/HEAD to plain "origin".
  const refs = (git(root, ['for-each-ref', '--format=%(refname)%09%(symref)', 'refs/heads', 'refs/remotes']) ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [ref = '', symref = ''] = line.split('\t');
      return { ref, symref };
    });
  const current = git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD']);

  const names = new Set<string>();
  for (const { ref } of refs) {
    if (ref.startsWith('refs/heads/')) names.add(ref.slice('refs/heads/'.length));
    else if (ref.startsWith('refs/remotes/') && !ref.endsWith('/HEAD')) names.add(stripOrigin(ref.slice('refs/remotes/'.length)));
  }
  // An unborn branch (no commit yet) has no ref, but it is the branch the first push creates.
  if (current) names.add(current);
  const branches = [...names].sort(compare);

  const originHead = refs.find((r) => r.ref === 'refs/remotes/origin/HEAD')?.symref;
  if (originHead?.startsWith('refs/remotes/origin/')) {
    const value = originHead.slice('refs/remotes/origin/'.length);
    return { isRepo: true, branches, defaultBranch: { value, evidence: `remote origin HEAD → ${value}` } };
  }
  if (current) {
    return { isRepo: true, branches, defaultBranch: { value: current, evidence: `current branch ${current} (no remote origin HEAD)` } };
  }
  const configured = git(root, ['config', '--get', 'init.defaultBranch']);
  if (configured) {
    const evidence = `git config init.defaultBranch = ${configured} (detached HEAD, no remote origin HEAD)`;
    return { isRepo: true, branches, defaultBranch: { value: configured, evidence } };
  }
  return { isRepo: true, branches };
}

function stripOrigin(name: string): string {
  return name.startsWith('origin/') ? name.slice('origin/'.length) : name;
}
