/**
 * The kit's images declare `ARG NAME` for each build-time public variable (VITE_*, NEXT_PUBLIC_*...:
 * src/config/build-env.ts), so the bundler can inline the value. One whose name looks like a secret
 * (`VITE_MAPS_API_KEY`) is passed to the build only when deploy-kit.yaml says `secret: false`: the
 * value is public, it ends up in every browser. doctor's Dockerfile rule judges names alone; this
 * drops its ARG finding for exactly those variables, and keeps every other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTimeVars } from '../config/build-env.js';
import { parseConfig } from '../config/load.js';
import { CONFIG_FILE } from '../config/types.js';
import type { Finding } from '../validate/types.js';

const RULE = 'dockerfile/no-secrets-in-arg-env';

/** `findings` without the secret-looking ARG findings on variables deploy-kit.yaml declares public and passes to a build. */
export function withoutDeclaredPublic(findings: Finding[], root: string): Finding[] {
  const argOf = (f: Finding) => (f.rule === RULE ? /^ARG (\S+) /.exec(f.message)?.[1] : undefined);
  if (!findings.some(argOf)) return findings;
  let declared: Set<string>;
  try {
    const { config } = parseConfig(readFileSync(join(root, CONFIG_FILE), 'utf8'));
    const env = config.env ?? [];
    declared = new Set(config.services.flatMap((s) => buildTimeVars(s, env)).filter((name) => env.some((e) => e.name === name && e.secret === false)));
  } catch {
    return findings; // No loadable config: every finding stands (doctor reports the config elsewhere).
  }
  return findings.filter((f) => !declared.has(argOf(f) ?? ''));
}
