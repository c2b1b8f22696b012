import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { GitFacts } from './types.js';
import { compare } from './walk.js';

/**
 * Runs git in `cwd`; undefined when it fails (not a repo, no such ref, git missing). child_process
 * is loaded here, on first use: most repositories never need git itself, and loading it (with net,
 * streams and dgram) is a few percent of a first `init`.
 */
async function git(cwd: string, args: string[]): Promise<string | undefined> {
  const { execFileSync } = await import('node:child_process');
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
 * Local only: no network. The refs are read from .git (git itself answers for layouts it alone
 * should judge), and git is asked only for init.defaultBranch.
 *
 * @example
 *   await detectGit('/path/to/clone')
 *   // { isRepo: true, branches: ['feature-x', 'production'],
 *   //   defaultBranch: { value: 'production', evidence: 'remote origin HEAD → production' } }
 */
export async function detectGit(root: string): Promise<GitFacts> {
  const read = readRepository(root);
  const found = read === null ? undefined : (read ?? (await askGit(root)));
  if (!found) return { isRepo: false, branches: [] };
  const { refs, current } = found;

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
  const configured = await git(root, ['config', '--get', 'init.defaultBranch']);
  if (configured) {
    const evidence = `git config init.defaultBranch = ${configured} (detached HEAD, no remote origin HEAD)`;
    return { isRepo: true, branches, defaultBranch: { value: configured, evidence } };
  }
  return { isRepo: true, branches };
}

interface Refs {
  /** Full ref names under refs/heads and refs/remotes, with the ref a symbolic one points to ("" for none). */
  refs: { ref: string; symref: string }[];
  /** The branch HEAD names, even before its first commit; undefined when HEAD is detached. */
  current: string | undefined;
}

/** The refs and current branch from git itself: undefined when `root` is not in a work tree. */
async function askGit(root: string): Promise<Refs | undefined> {
  if ((await git(root, ['rev-parse', '--is-inside-work-tree'])) !== 'true') return undefined;
  // Full ref names: `%(refname:short)` abbreviates refs/remotes/origin/HEAD to plain "origin".
  const refs = ((await git(root, ['for-each-ref', '--format=%(refname)%09%(symref)', 'refs/heads', 'refs/remotes'])) ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [ref = '', symref = ''] = line.split('\t');
      return { ref, symref };
    });
  return { refs, current: await git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD']) };
}

/**
 * The same refs read from the repository's own files, as `git for-each-ref` and `git
 * symbolic-ref` list them, without starting git (three processes, a tenth of a second of wall
 * time on a busy machine). null: no `.git` above `root`, not a repository. undefined: a layout
 * left to git itself (a worktree's or submodule's `.git` file, GIT_DIR and friends, a bare or
 * reftable repository, a repository another user owns, a HEAD outside refs/heads).
 */
function readRepository(root: string): Refs | null | undefined {
  if (Object.keys(process.env).some((k) => /^GIT_(DIR|WORK_TREE|COMMON_DIR|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM)$/.test(k))) return undefined;
  let gitDir: string | undefined;
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const st = statOrUndefined(join(dir, '.git'));
    if (st) {
      if (!st.isDirectory()) return undefined;
      if (process.getuid && st.uid !== process.getuid()) return undefined; // git's safe.directory rule
      gitDir = join(dir, '.git');
      break;
    }
    if (dirname(dir) === dir) return null;
  }
  const config = readOrUndefined(join(gitDir, 'config')) ?? '';
  if (/^\s*(bare\s*=\s*true|worktree\s*=|refstorage\s*=)/im.test(config) || statOrUndefined(join(gitDir, 'reftable'))) return undefined;
  const head = (readOrUndefined(join(gitDir, 'HEAD')) ?? '').trim();
  let current: string | undefined;
  if (head.startsWith('ref: ')) {
    if (!head.startsWith('ref: refs/heads/')) return undefined;
    current = head.slice('ref: refs/heads/'.length);
  } else if (!/^[0-9a-f]{40,64}$/.test(head)) return undefined;

  const found = new Map<string, string>();
  for (const line of (readOrUndefined(join(gitDir, 'packed-refs')) ?? '').split('\n')) {
    const m = /^[0-9a-f]{40,64} (refs\/(?:heads|remotes)\/\S+)$/.exec(line);
    if (m) found.set(m[1]!, '');
  }
  const loose = (dir: string, prefix: string): void => {
    for (const e of readdirOrEmpty(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory()) loose(path, `${prefix}${e.name}/`);
      else if (e.isFile() && !e.name.endsWith('.lock')) {
        const text = (readOrUndefined(path) ?? '').trim();
        if (text.startsWith('ref: ')) found.set(`${prefix}${e.name}`, text.slice('ref: '.length));
        else if (/^[0-9a-f]{40,64}$/.test(text)) found.set(`${prefix}${e.name}`, '');
      }
    }
  };
  loose(join(gitDir, 'refs', 'heads'), 'refs/heads/');
  loose(join(gitDir, 'refs', 'remotes'), 'refs/remotes/');
  // git ignores a symbolic ref whose target does not exist (a broken ref).
  const refs = [...found].filter(([, symref]) => !symref || found.has(symref)).map(([ref, symref]) => ({ ref, symref }));
  return { refs: refs.sort((a, b) => compare(a.ref, b.ref)), current };
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readdirOrEmpty(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function stripOrigin(name: string): string {
  return name.startsWith('origin/') ? name.slice('origin/'.length) : name;
}
