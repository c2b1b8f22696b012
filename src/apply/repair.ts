/**
 * Repair of an interrupted apply, run first by every command that writes (and by applyChanges):
 * what is pending (txnStatus), what the disk will look like once repaired (pendingOverlay, for
 * plan and check), and the repair itself (repairTransaction). txn.ts says why it rolls back.
 */
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { STATE_DIR } from '../config/types.js';
import { UserError } from '../errors.js';
import { currentHash, fsyncPath, realRootOf, safeJoin, UnsafePathError, writeDurable } from './fs.js';
import { decode, JOURNAL_FILE, parseJournal, TransactionError, TXN_DIR, type Journal, type RepairReport, type TxnStatus } from './journal.js';

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What is pending in `root`, read-only: what `plan` and `check` report. */
export function txnStatus(root: string): TxnStatus {
  const dir = join(root, TXN_DIR);
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    return { kind: 'none' };
  }
  if (!st.isDirectory()) throw new TransactionError(`${TXN_DIR} is not a folder; deploy-kit keeps its in-progress applies there. Remove it.`);
  // A .deploy-kit that is a symlink out of the repository: never read a journal there, let alone repair.
  safeJoin(root, TXN_DIR);
  let owner = NaN;
  try {
    owner = Number(readFileSync(join(dir, 'owner'), 'utf8').trim());
  } catch {
    // Killed before the owner was written: nobody holds it.
  }
  if (isAlive(owner)) return { kind: 'running', pid: owner };
  let text: string;
  try {
    text = readFileSync(join(dir, 'journal.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'staging' };
    throw e;
  }
  const journal = parseJournal(text);
  return journal.state === 'committed' ? { kind: 'committed', journal } : { kind: 'prepared', journal };
}

/**
 * The content each journaled path will have once repair has run, for `plan`/`check`, which
 * must not write: the before-state content for a prepared journal (rollback), nothing otherwise.
 * `undefined` from read() means "not journaled, read the disk".
 */
export function pendingOverlay(root: string, status: TxnStatus = txnStatus(root)): Map<string, string | null> {
  const overlay = new Map<string, string | null>();
  if (status.kind !== 'prepared') return overlay;
  const realRoot = realRootOf(root);
  for (const op of status.journal.ops) {
    const full = safeDest(root, op.dest, realRoot);
    if (full === null) continue;
    const cur = currentHash(full);
    if (cur !== op.before && cur !== op.after) continue; // changed after the crash: repair keeps it
    overlay.set(op.path, op.backup ? decode(op.backup).toString('utf8') : null);
  }
  return overlay;
}

/** safeJoin, with null for a destination that now leads out of the repository. */
function safeDest(root: string, rel: string, realRoot: string): string | null {
  try {
    return safeJoin(root, rel, realRoot);
  } catch (e) {
    if (e instanceof UnsafePathError) return null;
    throw e;
  }
}

/** Removes `.txn` and then `.deploy-kit` if that left it empty (a first apply that did not happen). */
export function removeTxnDir(root: string): void {
  rmSync(join(root, TXN_DIR), { recursive: true, force: true });
  try {
    rmdirSync(join(root, STATE_DIR));
  } catch {
    // Not empty (the usual case) or gone.
  }
  fsyncPath(join(root, STATE_DIR));
  fsyncPath(root);
}

/**
 * Puts every journaled path back to its before-state. Idempotent: a path already at its
 * before hash is skipped, so a rollback killed half-way is simply run again.
 */
function rollback(root: string, journal: Journal): { restored: string[]; keptChanged: string[] } {
  const restored: string[] = [];
  const keptChanged: string[] = [];
  const txn = join(root, TXN_DIR);
  const touched = new Set<string>();
  const realRoot = realRootOf(root);
  for (let i = journal.ops.length - 1; i >= 0; i--) {
    const op = journal.ops[i]!;
    const full = safeDest(root, op.dest, realRoot);
    if (full === null) {
      keptChanged.push(op.path); // now behind a symlink out of the repository: never write there
      continue;
    }
    const cur = currentHash(full);
    if (cur === op.before) continue;
    if (cur !== op.after) {
      keptChanged.push(op.path);
      continue;
    }
    if (op.backup) {
      // tmp + rename, and the journal keeps the backup, so a rollback killed here can run again.
      const tmp = join(txn, `r${i}`);
      writeDurable(tmp, decode(op.backup));
      chmodSync(tmp, op.backup.mode);
      mkdirSync(dirname(full), { recursive: true });
      renameSync(tmp, full);
    } else {
      unlinkSync(full);
    }
    touched.add(dirname(full));
    restored.push(op.path);
  }
  // Folders the apply created, deepest first, if nothing else lives in them.
  for (const d of [...journal.dirs].reverse()) {
    if (d === STATE_DIR) continue; // holds .txn until the very end
    try {
      rmdirSync(safeJoin(root, d, realRoot));
      touched.add(dirname(join(root, d)));
    } catch {
      // Not empty or already gone.
    }
  }
  for (const d of touched) fsyncPath(d);
  return { restored, keptChanged };
}

/**
 * Repairs an interrupted apply (see txn.ts); returns null when there was none.
 * Throws UserError when another process is applying right now, TransactionError when the journal is damaged.
 */
export function repairTransaction(root: string): RepairReport | null {
  const status = txnStatus(root);
  switch (status.kind) {
    case 'none':
      return null;
    case 'running':
      // Nothing is damaged: someone else holds the lock.
      throw new UserError(
        `another deploy-kit (pid ${status.pid}) is applying changes to this repository; wait for it to finish. ` +
          `If no such process is running, delete ${TXN_DIR}/owner and run the command again.`,
      );
    case 'staging':
      removeTxnDir(root);
      return { status: 'staging', restored: [], keptChanged: [] };
    case 'committed':
      cleanUpCommitted(root);
      return { status: 'committed', restored: [], keptChanged: [] };
    case 'prepared': {
      const r = rollback(root, status.journal);
      // The journal goes first: from here on the tree is the before-state, whatever happens.
      unlinkSync(join(root, JOURNAL_FILE));
      fsyncPath(join(root, TXN_DIR));
      removeTxnDir(root);
      return { status: 'prepared', ...r };
    }
  }
}

/** The clean-up after the commit point, the journal last (see finishTransaction in txn.ts). */
export function cleanUpCommitted(root: string): void {
  const txn = join(root, TXN_DIR);
  rmSync(join(txn, 'owner'), { force: true });
  rmSync(join(txn, 'stage'), { recursive: true, force: true });
  rmSync(join(txn, 'journal.json.tmp'), { force: true });
  rmSync(join(txn, 'journal.json'), { force: true });
  removeTxnDir(root);
}
