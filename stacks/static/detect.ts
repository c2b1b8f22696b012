import { join } from 'node:path';
import { atPath, exists, servicePath } from '../../src/detect/shared.js';
import type { StaticFacts } from './types.js';

/**
 * A site with no build: index.html at the top of `root/path` and none of `manifests` (every
 * stack's, from the registry) beside it: a Node project builds its site, and detectNode covers it.
 * Undefined otherwise.
 *
 * @example
 *   await detectStatic('/repo', 'apps/landing', MANIFESTS)
 *   // { path: 'apps/landing', root: { value: '.', evidence: 'apps/landing/index.html present' }, warnings: [] }
 */
export async function detectStatic(root: string, path: string, manifests: readonly string[]): Promise<StaticFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);
  // A manifest means a build or a server: that stack's detector decides, not this one.
  const present = await Promise.all(manifests.map((m) => exists(join(dir, m))));
  if (present.includes(true) || !(await exists(join(dir, 'index.html')))) return undefined;
  return { path: rel, root: { value: '.', evidence: `${at('index.html')} present (no package.json: served as is)` }, warnings: [] };
}
