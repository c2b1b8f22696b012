// detectGit reads branches from .git's files instead of starting git three times. Whatever the
// layout, it must report exactly what git itself reports: each case compares it with detectGit
// made to ask git (GIT_DIR set, a layout the file reader leaves to git).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectGit } from '../src/detect/index.js';

const base = mkdtempSync(join(tmpdir(), 'dk-detect-git-'));
// Git must not read this machine's config (init.defaultBranch, hooks, signing).
const ISOLATION = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const saved = Object.fromEntries(Object.keys(ISOLATION).map((k) => [k, process.env[k]]));
Object.assign(process.env, ISOLATION);

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=x', '-c', 'user.email=x@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}

function repo(name: string, branch = 'main'): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', branch);
  return dir;
}

function commit(dir: string): void {
  writeFileSync(join(dir, `f${Math.random()}`), 'x\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'c');
}

/** detectGit from the files, and detectGit from git (GIT_DIR makes the reader step aside). */
async function both(dir: string, gitDir = join(dir, '.git'), workTree = dir) {
  const fromFiles = await detectGit(dir);
  process.env.GIT_DIR = gitDir;
  process.env.GIT_WORK_TREE = workTree;
  try {
    return { fromFiles, fromGit: await detectGit(dir) };
  } finally {
    delete process.env.GIT_DIR;
    delete process.env.GIT_WORK_TREE;
  }
}

test('unborn branch, loose and packed refs, nested names, a clone with origin/HEAD, detached HEAD', async () => {
  const unborn = repo('unborn', 'trunk');
  const loose = repo('loose', 'develop');
  commit(loose);
  git(loose, 'branch', 'feature/deep/name');
  git(loose, 'branch', 'release-1');
  const packed = repo('packed');
  commit(packed);
  git(packed, 'branch', 'old');
  git(packed, 'pack-refs', '--all');
  git(packed, 'branch', 'new');
  const remote = join(base, 'remote.git');
  git(base, 'init', '-q', '--bare', '-b', 'production', remote);
  git(packed, 'push', '-q', remote, 'main:production', 'old');
  git(base, 'clone', '-q', remote, join(base, 'clone'));
  const clone = join(base, 'clone');
  git(clone, 'checkout', '-q', '-b', 'hotfix');
  const detached = repo('detached');
  commit(detached);
  git(detached, 'checkout', '-q', '--detach');
  for (const dir of [unborn, loose, packed, clone, detached]) {
    const { fromFiles, fromGit } = await both(dir);
    assert.equal(fromFiles, fromGit, dir);
    assert.ok(fromFiles.isRepo);
  }
  assert.equal((await detectGit(clone)).defaultBranch?.value, 'production');
  assert.equal((await detectGit(packed)).branches, ['main', 'new', 'old']);
});

test('a subdirectory of a repository, a broken origin/HEAD, and a worktree (left to git)', async () => {
  const dir = repo('outer');
  commit(dir);
  mkdirSync(join(dir, 'apps', 'api'), { recursive: true });
  assert.equal(await detectGit(join(dir, 'apps', 'api')), await detectGit(dir));
  mkdirSync(join(dir, '.git', 'refs', 'remotes', 'origin'), { recursive: true });
  writeFileSync(join(dir, '.git', 'refs', 'remotes', 'origin', 'HEAD'), 'ref: refs/remotes/origin/gone\n');
  const { fromFiles, fromGit } = await both(dir);
  assert.equal(fromFiles, fromGit);
  assert.equal(fromFiles.defaultBranch?.value, 'main', 'a broken origin/HEAD is ignored, as git ignores it');
  git(dir, 'worktree', 'add', '-q', '-b', 'side', join(base, 'side'));
  const side = await detectGit(join(base, 'side'));
  assert.equal(side.defaultBranch?.value, 'side');
  assert.ok(side.branches.includes('main') && side.branches.includes('side'));
});

test('outside any repository', async () => {
  const dir = join(base, 'plain');
  mkdirSync(dir);
  assert.equal(await detectGit(dir), { isRepo: false, branches: [] });
});

test.after(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(base, { recursive: true, force: true });
});

test.run();
