import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Everything a regeneration can change, as one comparable value: for every entry under `root`
 * (recursively, `.deploy-kit/` included, `.git/` excluded), its kind, and for a file its mode
 * and its exact content, for a symlink its target, for a folder only that it exists. mtimes
 * are not compared (a rollback rewrites them).
 */
export type Tree = Record<string, string>;

export function snapshot(root: string, skip: (rel: string) => boolean = (rel) => rel === '.git'): Tree {
  const out: Tree = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (skip(r)) continue;
      const st = lstatSync(join(root, r));
      if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(join(root, r))}`;
      else if (st.isDirectory()) {
        out[`${r}/`] = 'dir';
        walk(r);
      } else out[r] = `file ${(st.mode & 0o777).toString(8)}\n${readFileSync(join(root, r), 'utf8')}`;
    }
  };
  walk('');
  return out;
}

/** The paths where two trees differ (for short failure messages). */
export function treeDiff(a: Tree, b: Tree): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).sort();
}
