import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Folders doctor never reads: installed packages, git's own, build outputs, deploy-kit's state and example runs. */
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.deploy-kit', '.example-run']);

/** The repository's files doctor audits, relative with `/`, at most 6 folders deep. */
export function listFiles(root: string, dir = root, out: string[] = [], depth = 0): string[] {
  if (depth > 6) return out;
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) listFiles(root, p, out, depth + 1);
    else if (st?.isFile()) out.push(relative(root, p).split('\\').join('/'));
  }
  return out;
}
