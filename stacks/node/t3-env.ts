import { join } from 'node:path';
import { readText } from '../../src/detect/shared.js';

/** Where create-t3-app and its kin keep the schema of their variables. */
const ENV_FILES = ['env.mjs', 'env.js', 'env.ts', 'src/env.mjs', 'src/env.js', 'src/env.ts'];

/**
 * `@t3-oss/env-nextjs` (or env-core) validates the server's variables when next.config imports the
 * schema, that is during `next build`: an image build, which has no secrets, stops there unless the
 * schema can skip validation. Says so, with the fix, or undefined when there is nothing to say.
 */
export async function t3EnvWarning(dir: string, at: (f: string) => string): Promise<string | undefined> {
  for (const file of ENV_FILES) {
    const text = await readText(join(dir, file));
    if (!text || !/from\s+['"]@t3-oss\/env-(?:nextjs|core)['"]/.test(text) || !/\bcreateEnv\s*\(/.test(text)) continue;
    if (/\bskipValidation\s*:/.test(text)) return undefined;
    return (
      `${at(file)} validates the server's variables with @t3-oss/env (createEnv, no skipValidation) when the build imports it: ` +
      'the image build has no secrets and stops there. Add `skipValidation: !!process.env.SKIP_ENV_VALIDATION` to createEnv and ' +
      'set SKIP_ENV_VALIDATION=1 in the Dockerfile\'s build stage (the running app still validates them)'
    );
  }
  return undefined;
}
