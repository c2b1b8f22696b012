import { join } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { exists, readText } from '../../src/detect/shared.js';
import { parseToml, tomlStrings } from '../../src/detect/toml.js';
import { matchesWorkspace } from '../../src/detect/workspaces.js';

/** The uv workspace a Python project is a member of: its root holds the lockfile the image installs from. */
export interface UvWorkspace {
  /** Repo-relative path of the workspace root ("." for the repository root). */
  path: string;
  /** Whether the workspace root has its uv.lock. */
  hasLock: boolean;
  fact: Fact<string>;
}

/**
 * The nearest ancestor of `rel` whose pyproject.toml declares `[tool.uv.workspace]` with `members`
 * globs that match `rel` and `exclude` globs that do not: uv's own rule for the workspace a
 * project belongs to (its `uv lock` writes one uv.lock there, for every member).
 *
 * @example
 *   // pyproject.toml: [tool.uv.workspace] members = ["backend"]
 *   await findUvWorkspace('/repo', 'backend') // { path: '.', hasLock: true, fact: { value: '.', evidence: 'pyproject.toml ...' } }
 */
export async function findUvWorkspace(root: string, rel: string): Promise<UvWorkspace | undefined> {
  if (rel === '.') return undefined;
  const parts = rel.split('/');
  for (let n = parts.length - 1; n >= 0; n--) {
    const base = n === 0 ? '.' : parts.slice(0, n).join('/');
    const inside = parts.slice(n).join('/');
    const file = base === '.' ? 'pyproject.toml' : `${base}/pyproject.toml`;
    const text = await readText(join(root, file));
    const table = text === undefined ? undefined : parseToml(text).get('tool.uv.workspace');
    const members = table?.get('members');
    if (!members) continue;
    const include = tomlStrings(members).map((m) => m.value);
    const exclude = tomlStrings(table?.get('exclude')).map((m) => `!${m.value}`);
    if (!matchesWorkspace(inside, [...include, ...exclude])) continue;
    const hasLock = await exists(join(root, base, 'uv.lock'));
    const excludes = exclude.length > 0 ? ` exclude = ${JSON.stringify(exclude.map((e) => e.slice(1)))}` : '';
    return {
      path: base,
      hasLock,
      fact: { value: base, evidence: `${file}:${members.line} [tool.uv.workspace] members = ${JSON.stringify(include)}${excludes} includes ${rel}` },
    };
  }
  return undefined;
}
