import { join } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { readText } from '../../src/detect/shared.js';

/** Where create-t3-app and its kin keep the schema of their variables. */
const ENV_FILES = ['env.mjs', 'env.js', 'env.ts', 'src/env.mjs', 'src/env.js', 'src/env.ts'];

/**
 * `@t3-oss/env-nextjs` (or env-core) validates the server's variables when next.config imports the
 * schema, that is during `next build`: an image build, which has no secrets, stops there unless the
 * schema skips validation. The variable its `skipValidation` reads (create-t3-app's
 * `!!process.env.SKIP_ENV_VALIDATION`), which the build stage sets; else a warning with the fix.
 */
export async function detectT3Env(dir: string, at: (f: string) => string): Promise<{ skipVar?: Fact<string>; warning?: string } | undefined> {
  for (const file of ENV_FILES) {
    const text = await readText(join(dir, file));
    if (!text || !/from\s+['"]@t3-oss\/env-(?:nextjs|core)['"]/.test(text) || !/\bcreateEnv\s*\(/.test(text)) continue;
    const skip = /\bskipValidation\s*:\s*([^,\n}]*)/.exec(text);
    const name = skip && /process\.env\.([A-Z_][A-Z0-9_]*)/.exec(skip[1] ?? '')?.[1];
    if (name) return { skipVar: { value: name, evidence: `${at(file)} skipValidation: ${skip[1]!.trim()}` } };
    if (skip) return undefined;
    return {
      warning:
        `${at(file)} validates the server's variables with @t3-oss/env (createEnv, no skipValidation) when the build imports it: ` +
        'the image build has no secrets and stops there. Add `skipValidation: !!process.env.SKIP_ENV_VALIDATION` to createEnv ' +
        '(the image build then sets it; the running app still validates them)',
    };
  }
  return undefined;
}
