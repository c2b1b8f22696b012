import { join } from 'node:path';
import { firstExisting, readText, truncate } from '../../src/detect/shared.js';

/** A framework's JS/TS config (next.config.mjs, vite.config.ts...), read as lines, never executed. */

export const CONFIG_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

export interface ConfigFile {
  file: string;
  lines: string[];
}

export async function readConfig(dir: string, base: string): Promise<ConfigFile | undefined> {
  const file = await firstExisting(
    dir,
    CONFIG_EXTENSIONS.map((e) => `${base}${e}`),
  );
  if (!file) return undefined;
  const text = await readText(join(dir, file), 64 * 1024);
  return text === undefined ? undefined : { file, lines: text.split('\n') };
}

export interface ConfigMatch {
  value: string;
  /** "next.config.mjs:4 output: 'standalone',", relative to the repo root. */
  evidence: string;
}

/** The first uncommented line of `config` where `pattern` matches; group 1 is the value. */
export function find(config: ConfigFile | undefined, pattern: RegExp, at: (f: string) => string): ConfigMatch | undefined {
  if (!config) return undefined;
  for (const [i, line] of config.lines.entries()) {
    if (/^\s*(?:\/\/|\/\*|\*)/.test(line)) continue;
    const m = pattern.exec(line);
    if (m) return { value: m[1] ?? '', evidence: `${at(config.file)}:${i + 1} ${truncate(line.trim(), 120)}` };
  }
  return undefined;
}
