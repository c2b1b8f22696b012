import { join } from 'node:path';
import { atPath, exists, servicePath } from './shared.js';
import type { StaticFacts } from './types.js';

const MANIFESTS = ['package.json', 'pyproject.toml', 'requirements.txt', 'Pipfile', 'go.mod'];

/**
 * A site with no build: index.html at the top of `root/path` and no manifest beside it (a Node
 * project builds its site, and detectNode covers it). Undefined otherwise.
 *
 * @example
 *   await detectStatic('/repo', 'apps/landing') // { path: 'apps/landing', root: { value: '.', evidence: 'apps/landing/index.html present' }, warnings: [] }
 */
export async function detectStatic(root: string, path = '.'): Promise<StaticFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);
  // A manifest means a build or a server: that stack's detector decides, not this one.
  const manifests = await Promise.all(MANIFESTS.map((m) => exists(join(dir, m))));
  if (manifests.includes(true) || !(await exists(join(dir, 'index.html')))) return undefined;
  return { path: rel, root: { value: '.', evidence: `${at('index.html')} present (no package.json: served as is)` }, warnings: [] };
}
