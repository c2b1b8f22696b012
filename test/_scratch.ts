import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of test/fixtures/<name>. */
export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/**
 * Throwaway directories for one test file: `copy` a fixture (or start empty), `files` to lay out
 * a tree, `write`/`replace`/`editJson` to change it; `cleanup` (give it to `test.after`) removes them.
 */
export function scratch(prefix: string) {
  const temps: string[] = [];
  const write = (dir: string, file: string, text: string): void => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  const copy = (name?: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `deploy-kit-${prefix}-`));
    temps.push(dir);
    if (name) cpSync(fixture(name), dir, { recursive: true });
    return dir;
  };
  return {
    copy,
    files(files: Record<string, string>): string {
      const dir = copy();
      for (const [file, text] of Object.entries(files)) write(dir, file, text);
      return dir;
    },
    write,
    replace(dir: string, file: string, from: string | RegExp, to: string): void {
      const text = readFileSync(join(dir, file), 'utf8');
      const next = text.replace(from, to);
      if (next === text) throw new Error(`${String(from)} not in ${file}`);
      writeFileSync(join(dir, file), next);
    },
    editJson(dir: string, file: string, edit: (json: Record<string, unknown>) => void): void {
      const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      edit(json);
      writeFileSync(join(dir, file), JSON.stringify(json));
    },
    cleanup(): void {
      for (const dir of temps) rmSync(dir, { recursive: true, force: true });
    },
  };
}
