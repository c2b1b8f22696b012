/**
 * The repository a command works on: its directory, the first step of every command that writes
 * to it (repairing an apply that was interrupted, before anything reads the repository), and its
 * deploy-kit.yaml.
 */
import { CLI } from '../version.js';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repairTransaction, TXN_DIR } from '../apply/index.js';
import { parseConfig, type ParsedConfig } from '../config/load.js';
import { refuseNewerKit } from '../config/kit-version.js';
import { CONFIG_FILE } from '../config/types.js';
import { UserError } from '../errors.js';
import type { Out } from './output.js';

/** Resolves and checks the repository's directory: it must exist and be a directory, and writable for a command that writes. */
export function repoRoot(cwd: string, dir: string | undefined, needWrite: boolean): string {
  const root = resolve(cwd, dir ?? '.');
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new UserError(`${root} does not exist; pass the repository's directory (or run inside it)`);
  }
  if (!isDir) throw new UserError(`${root} is not a directory; pass the repository's directory`);
  if (needWrite) {
    try {
      accessSync(root, constants.W_OK);
    } catch {
      throw new UserError(`${root} is not writable; check its permissions (or run as its owner)`);
    }
  }
  return root;
}

/**
 * Repairs an interrupted apply (see src/apply/txn.ts) and says so at once, so the note is never
 * lost when the command fails later. Each writing command calls it once, right after repoRoot;
 * plan and check do not (they write nothing, and say what is pending instead).
 */
export function repairInterruptedApply(root: string, out: Out): void {
  const r = repairTransaction(root);
  if (!r) return;
  if (r.status === 'staging') out.error(`an earlier apply was interrupted before it changed any file; removed its staging area (${TXN_DIR}).`);
  else if (r.status === 'committed') out.error(`an earlier apply was interrupted after it completed; removed its leftovers (${TXN_DIR}).`);
  else {
    let msg = `an earlier apply was interrupted mid-way; rolled it back (${r.restored.length} file(s) restored to their previous content).`;
    if (r.keptChanged.length > 0) msg += `\nChanged after the interruption, so left as they are: ${r.keptChanged.join(', ')}`;
    out.error(msg);
  }
}

/**
 * Reads and validates deploy-kit.yaml at root, with a fix-it message when it is missing, and
 * refuses a kit a newer deploy-kit wrote, naming `command` at that version.
 */
export function readConfig(root: string, command = 'generate'): ParsedConfig {
  let text: string;
  try {
    text = readFileSync(join(root, CONFIG_FILE), 'utf8');
  } catch {
    throw new UserError(`no ${CONFIG_FILE} in ${root}; create one with \`npm create deploy-kit\` (or \`${CLI} init\`)`);
  }
  const parsed = parseConfig(text);
  refuseNewerKit(parsed.config, command);
  return parsed;
}
