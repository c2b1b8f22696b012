import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  applyChanges,
  computeChanges,
  diffOf,
  repairTransaction,
  TXN_DIR,
  WRITES,
  type Changes,
  type DecideOptions,
  type Decision,
  type Extra,
  type TxnStatus,
} from '../apply/index.js';
import type { DeployKitConfig } from '../config/types.js';
import { configProblems, planKit } from '../plan/index.js';
import { templatesFromDisk } from '../plan/load-templates.js';
import type { Out } from './output.js';
import { summarize } from './output.js';
import { RefusalError, UserError } from '../errors.js';

/** Repair notes waiting for applyAndReport, for callers of targetDir that pass no `out`. */
const repairNotes = new Map<string, string>();

/**
 * Resolves and checks the target directory: it must exist, be a directory, and be writable.
 * For a command that writes (`needWrite`), an interrupted apply is repaired here, FIRST,
 * before anything reads the repository; the note goes to `out`, or is printed by applyAndReport.
 */
export function targetDir(cwd: string, dir: string | undefined, needWrite: boolean, out?: Out): string {
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
    const note = repairInterrupted(root);
    if (note && out) out.error(note);
    else if (note) repairNotes.set(root, note);
  }
  return root;
}

/** Repairs an interrupted apply (see src/apply/txn.ts); returns what to tell the user, or null. */
export function repairInterrupted(root: string): string | null {
  const r = repairTransaction(root);
  if (!r) return null;
  if (r.status === 'staging') return `an earlier apply was interrupted before it changed any file; removed its staging area (${TXN_DIR}).`;
  if (r.status === 'committed') return `an earlier apply was interrupted after it completed; removed its leftovers (${TXN_DIR}).`;
  let msg = `an earlier apply was interrupted mid-way; rolled it back (${r.restored.length} file(s) restored to their previous content).`;
  if (r.keptChanged.length > 0) msg += `\nChanged after the interruption, so left as they are: ${r.keptChanged.join(', ')}`;
  return msg;
}

/** What plan and check say about an interrupted apply that the next `generate` repairs. */
export function pendingNote(pending: TxnStatus | undefined): string | null {
  if (!pending || pending.kind === 'none') return null;
  if (pending.kind === 'running') return `another deploy-kit (pid ${pending.pid}) is applying changes right now; this shows the files as they are at this moment.`;
  if (pending.kind === 'prepared') {
    return `an interrupted apply is pending repair (${TXN_DIR}): the next \`deploy-kit generate\` rolls it back first. What follows is what generate will do after that.`;
  }
  return `an interrupted apply left ${TXN_DIR} behind; the next \`deploy-kit generate\` removes it (no file needs repair).`;
}

/**
 * What `check` reports: every file generate would change. Generated files come as decisions;
 * deploy-kit's own state (manifest, merge bases, schema) as paths, since generate rewrites those too.
 */
export function driftOf(changes: Changes): { decisions: Decision[]; state: string[] } {
  const decisions = changes.decisions.filter((d) => WRITES.has(d.kind) || d.kind === 'blocked');
  const seen = new Set(decisions.map((d) => d.path));
  const state = changes.ops.map((o) => o.path).filter((p) => !seen.has(p));
  return { decisions, state };
}

export async function planChanges(root: string, config: DeployKitConfig, opts: DecideOptions, extras: Extra[] = []): Promise<Changes> {
  // Target-specific refusals (each generator's check) come before anything is planned or written.
  const problems = configProblems(config);
  if (problems.length > 0) throw new RefusalError(problems);
  const files = await planKit({ config, ...templatesFromDisk() });
  return computeChanges(root, files, opts, extras);
}

export interface ApplyReport {
  code: number;
}

/**
 * Shows and applies (or, dry, only shows) a set of changes. Blocked paths stop everything
 * before the first write; conflicts are written with markers and make the exit code 1.
 */
export function applyAndReport(root: string, changes: Changes, out: Out, dryRun: boolean): number {
  const note = repairNotes.get(root);
  if (note) {
    repairNotes.delete(root);
    out.error(note);
  }
  if (dryRun) {
    const writes = changes.decisions.filter((d) => WRITES.has(d.kind) || d.kind === 'blocked');
    out.print(summarize(changes.decisions, true));
    for (const d of writes) out.print(diffOf(d).trimEnd());
    out.print(writes.length ? `\n${writes.length} file(s) would change; nothing was written (dry run).` : '\nNothing would change.');
    return 0;
  }
  if (changes.blocked.length > 0) {
    for (const d of changes.blocked) out.print(diffOf(d).trimEnd());
    throw new UserError(
      `${changes.blocked.map((d) => d.path).join(', ')} already exist${changes.blocked.length === 1 ? 's' : ''} and ` +
        `${changes.blocked.length === 1 ? 'was' : 'were'} not written by deploy-kit (diff above); nothing was written.\n` +
        'Move them aside, or rerun with --force to replace them with the generated version.',
    );
  }
  try {
    applyChanges(root, changes);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // A system error (a full disk, a permission) stopped the apply before its commit point,
    // and applyChanges rolled back what it had written.
    if (typeof err.code === 'string' && err.code.startsWith('E')) {
      throw new UserError(`could not apply the changes: ${err.message}\nNothing was changed: the apply was rolled back.`);
    }
    throw err;
  }
  out.print(summarize(changes.decisions));
  if (changes.conflicts.length > 0) {
    out.error(
      `${changes.conflicts.length} file(s) have conflicts between your edits and the new render: ` +
        `${changes.conflicts.map((d) => d.path).join(', ')}\n` +
        'Resolve the <<<<<<< / >>>>>>> blocks, then run `npx deploy-kit generate` again.',
    );
    return 1;
  }
  return 0;
}
