import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(new URL('.', import.meta.url).pathname, '..');
export const EXAMPLE = join(ROOT, 'examples', 'express-api');

/** A throwaway git repo holding a copy of the bundled example (no node_modules). */
export function exampleRepo(branch = 'trunk'): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-repo-'));
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  git(dir, 'init', '-q', '-b', branch);
  return dir;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });
}

/** Runs a bin the way a user does: a child process, no TTY, CI unset unless given. */
export function cli(bin: 'deploy-kit' | 'create-deploy-kit', args: string[], cwd: string, env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [join(ROOT, 'bin', `${bin}.cjs`), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}
