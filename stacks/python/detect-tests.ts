import { join } from 'node:path';
import { exists, readText, servicePath } from '../../src/detect/shared.js';
import type { Fact } from '../../src/detect/fact.js';
import { walkFiles } from '../../src/detect/walk.js';

/** Files where a Python project declares pytest (a dev dependency, a tool section). */
const DECLARATIONS = ['pyproject.toml', 'requirements-dev.txt', 'requirements-test.txt', 'dev-requirements.txt', 'requirements.txt', 'Pipfile'];

/**
 * Whether CI can run pytest for the Python project in `root/path`: tests exist (tests/,
 * test_*.py, *_test.py) and pytest is declared somewhere the install step reads. Undefined when
 * there is nothing to run or pytest would not be installed.
 *
 * @example
 *   await detectPythonTests('/repo', 'apps/api') // { value: true, evidence: 'apps/api/tests/test_api.py; pytest in apps/api/pyproject.toml' }
 */
export async function detectPythonTests(root: string, path = '.'): Promise<Fact<true> | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = (f: string) => (rel === '.' ? f : `${rel}/${f}`);
  const files = await walkFiles(dir, { extensions: ['.py'], skipDirs: ['node_modules', '.venv', 'venv', '.git'], maxFiles: 2000 });
  const test = files.find((f) => /(?:^|\/)(?:test_[^/]*|[^/]*_test)\.py$/.test(f));
  if (!test) return undefined;
  for (const file of DECLARATIONS) {
    if (!(await exists(join(dir, file)))) continue;
    const text = (await readText(join(dir, file))) ?? '';
    if (/(^|[\s"'[,])pytest\b/m.test(text)) return { value: true, evidence: `${at(test)}; pytest in ${at(file)}` };
  }
  return undefined;
}
