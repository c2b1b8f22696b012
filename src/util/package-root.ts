import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The installed package's root (where schema/ and templates/ live). Found by walking up from
 * this module, so it is the same whether the code runs from dist/ or from src/ under tsx.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'schema', 'deploy-kit.schema.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('deploy-kit: package files not found (schema/deploy-kit.schema.json)');
    dir = up;
  }
  root = dir;
  return dir;
}
