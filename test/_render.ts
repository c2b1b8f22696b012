import { createHash } from 'node:crypto';
import { renderNewConfig } from '../src/config/write.js';
import type { DeployKitConfig } from '../src/config/types.js';
import { planKit, type PlannedFile } from '../src/plan/index.js';
import { templatesFromDisk } from '../src/plan/load-templates.js';

/** The kit a scenario renders, plus its deploy-kit.yaml: exactly what snapshots/<name>/ holds. */
export async function renderScenario(config: DeployKitConfig): Promise<PlannedFile[]> {
  const files = await planKit({ config, ...templatesFromDisk() });
  return [{ path: 'deploy-kit.yaml', generator: 'config', content: renderNewConfig(config) }, ...files];
}

/** path -> sha256 of its content, for comparing renders made in different processes. */
export function treeHashes(files: PlannedFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.path, createHash('sha256').update(f.content).digest('hex')]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}
