import { createHash } from 'node:crypto';
import { renderNewConfig } from '../src/config/write.js';
import type { DeployKitConfig } from '../src/config/types.js';
import { planKit, type PlannedFile } from '../src/plan/index.js';
import { kitFromDisk } from '../src/plan/load-templates.js';

/** The kit a scenario renders, plus its deploy-kit.yaml: exactly what snapshots/<name>/ holds. */
export async function renderScenario(config: DeployKitConfig): Promise<PlannedFile[]> {
  const files = await planKit({ config, kit: kitFromDisk() });
  return [{ path: 'deploy-kit.yaml', generator: 'config', content: renderNewConfig(config) }, ...files];
}

/** The name of the file in snapshots/<name>/ that lists the files copied as they are from templates/. */
const COPIED_LIST = '.copied-files';

/**
 * What snapshots/<name>/ holds: every rendered file, and instead of the files copied as they are
 * (the same in every kit, validated once from templates/), one list naming them and their source.
 */
export function snapshotTree(files: PlannedFile[]): { path: string; content: string }[] {
  const copied = files.filter((f) => f.copiedFrom !== undefined);
  const tree = files.filter((f) => f.copiedFrom === undefined).map(({ path, content }) => ({ path, content }));
  if (copied.length === 0) return tree;
  const list = copied.map((f) => `${f.path} (copied from templates/${f.copiedFrom})\n`).join('');
  return [...tree, { path: COPIED_LIST, content: `# Files of this kit copied as they are; validated once, from templates/.\n${list}` }];
}

/** path -> sha256 of its content, for comparing renders made in different processes. */
export function treeHashes(files: PlannedFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.path, createHash('sha256').update(f.content).digest('hex')]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}
