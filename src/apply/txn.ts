/**
 * All-or-nothing apply: a small write-ahead journal under `.deploy-kit/.txn/`.
 *
 * The transaction, step by step (every file written here is fsynced before the next step):
 *   1. `mkdir .deploy-kit/.txn` (exclusive: it doubles as the lock) and write `owner` (our pid).
 *   2. Stage: each new content goes to `stage/s<i>`. The repository is not touched yet.
 *   3. PREPARE: `journal.json` is written atomically (tmp + fsync + rename + fsync of the folder)
 *      with `state: "prepared"`, every operation (path, whether it existed, its previous bytes
 *      and mode as the backup, the sha256 before and after) and the folders the apply creates.
 *      The backups live inside the journal: one fsync instead of one per replaced file.
 *   4. Perform: create those folders, rename each staged file over its path (same file system:
 *      the staging area is inside the repository), unlink the deleted ones; fsync the folders.
 *   5. COMMIT: `journal.json` is rewritten with `state: "committed"`, then `.txn` is removed.
 *
 * Repair (repair.ts; run first by every command that writes, and by applyChanges itself):
 *   - `.txn` without a journal: killed while staging; the tree is still the before-state, so
 *     the staging is discarded.
 *   - journal "prepared": killed while renaming; we ROLL BACK from the backups (see rollback()).
 *   - journal "committed": the tree is the after-state; only the clean-up is left to do.
 *
 * Why roll back rather than roll forward: the interrupted command never got to report what it
 * did (conflicts to resolve, files deleted, exit code 1 on conflict). Rolled forward, its
 * conflict markers would land silently, and the next `generate` would see the marked file as
 * "your edit" and exit 0. Rolled back, the repository is exactly what the decisions were
 * computed from, so rerunning the command makes the same decisions and reports them. Both
 * directions keep the before-or-after invariant, since renames and backup restores are
 * idempotent and checked by hash; rolling back only needs the backups we keep anyway.
 *
 * A path whose content is neither the before nor the after hash was changed by someone after
 * the crash: repair leaves it as it is (never lose an edit) and says so.
 *
 * Here: the transaction itself. journal.ts holds the journal's format and checks, repair.ts the
 * repair, fs.ts the durable-write primitives.
 */
import { chmodSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { STATE_DIR } from '../config/types.js';
import { ConflictError, UserError } from '../errors.js';
import { byCodeUnit } from '../util/order.js';
import { fsyncPath, hashBytes, realRootOf, safeJoin, writeDurable } from './fs.js';
import { encode, TransactionError, TXN_DIR, writeJournal, type Backup, type FileOp, type Journal } from './journal.js';
import { cleanUpCommitted, removeTxnDir, repairTransaction } from './repair.js';

export interface Prepared {
  root: string;
  journal: Journal;
}

/**
 * Steps 1-3: stages every op and writes the prepared journal. Nothing outside `.txn` is
 * touched; any error here removes the staging and leaves the repository as it was.
 */
export function prepareTransaction(root: string, ops: FileOp[]): Prepared {
  // Every destination, and the staging area itself, must stay inside the repository.
  const realRoot = realRootOf(root);
  for (const op of ops) safeJoin(root, op.path, realRoot);
  safeJoin(root, `${TXN_DIR}/journal.json`, realRoot);
  const stateFull = join(root, STATE_DIR);
  let stateCreated = false;
  try {
    mkdirSync(stateFull);
    stateCreated = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const txn = join(root, TXN_DIR);
  try {
    mkdirSync(txn);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UserError(`${TXN_DIR} exists: another apply is in progress or was interrupted; run \`deploy-kit generate\` to repair it first`);
    }
    throw e;
  }
  try {
    writeDurable(join(txn, 'owner'), `${process.pid}\n`);
    mkdirSync(join(txn, 'stage'));
    const journal: Journal = { version: 1, state: 'prepared', pid: process.pid, dirs: stateCreated ? [STATE_DIR] : [], ops: [] };
    const dests = new Map<string, string>();
    const dirs = new Set<string>();
    const seenDirs = new Set<string>();
    ops.forEach((op, i) => {
      let full = safeJoin(root, op.path, realRoot);
      let dest = op.path;
      let st: Stats | undefined;
      try {
        st = lstatSync(full);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      }
      if (st?.isSymbolicLink()) {
        // Write through an in-repo symlink, as write-file-atomic does (safeJoin checked where it points).
        full = realpathSync.native(full);
        dest = relative(realRoot, full).split(sep).join('/');
        st = lstatSync(full);
      }
      // Two planned paths can meet in one file only through an in-repo symlink the user made.
      const other = dests.get(dest);
      if (other !== undefined) {
        throw new ConflictError(`${op.path} and ${other} are the same file (${dest}, through a symlink); replace the symlink with a file`);
      }
      dests.set(dest, op.path);
      if (st && !st.isFile()) {
        throw new ConflictError(`${op.path} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}; move it aside and run the command again`);
      }
      let before: string | null = null;
      let backup: Backup | null = null;
      const prev = st ? readFileSync(full) : null;
      if (prev) before = hashBytes(prev);
      if (op.content === null && !st) return; // deleting what is not there
      const after = op.content === null ? null : hashBytes(op.content);
      if (after !== null && after === before) return; // already that content
      if (prev && st) backup = encode(prev, st.mode & 0o7777);
      let staged: string | null = null;
      if (op.content !== null) {
        staged = `s${i}`;
        const file = join(txn, 'stage', staged);
        writeDurable(file, op.content);
        // An existing file keeps its mode (a script stays executable), as with write-file-atomic;
        // a new script (a shebang line) is created executable, so `deploy/scripts/x.sh` runs as is.
        if (st) chmodSync(file, st.mode & 0o7777);
        else if (String(op.content).startsWith('#!')) chmodSync(file, 0o755);
        // Folders to create on the way; a file where a folder must go is refused now, before any write.
        const segs = dest.split('/').slice(0, -1);
        for (let k = 1; k <= segs.length; k++) {
          const d = segs.slice(0, k).join('/');
          if (seenDirs.has(d)) continue;
          seenDirs.add(d);
          let ds;
          try {
            ds = statSync(join(root, d));
          } catch {
            dirs.add(d);
            continue;
          }
          if (!ds.isDirectory()) throw new ConflictError(`cannot write ${op.path}: ${d} is a file, not a folder`);
        }
      }
      journal.ops.push({ path: op.path, dest, existed: Boolean(st), backup, before, staged, after });
    });
    journal.dirs.push(...[...dirs].sort((a, b) => a.split('/').length - b.split('/').length || byCodeUnit(a, b)));
    fsyncPath(join(txn, 'stage'));
    fsyncPath(stateFull);
    writeJournal(root, journal); // <- prepared
    return { root, journal };
  } catch (e) {
    removeTxnDir(root);
    throw e;
  }
}

/**
 * Step 4 for ops[from, to): creates the folders, renames staged files into place, deletes.
 * Every destination is checked again right before it is written (a symlink could have appeared).
 */
export function performTransaction(p: Prepared, from = 0, to = p.journal.ops.length): void {
  const { root, journal } = p;
  const txn = join(root, TXN_DIR);
  const realRoot = realRootOf(root);
  for (const d of journal.dirs) {
    try {
      mkdirSync(safeJoin(root, d, realRoot));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  for (const op of journal.ops.slice(from, to)) {
    const full = safeJoin(root, op.dest, realRoot);
    if (op.staged) renameSync(join(txn, 'stage', op.staged), full);
    else rmSync(full, { force: true });
  }
}

/** Step 5a, the commit point: folders fsynced (the renames are durable), then the journal says committed. */
export function markCommitted(p: Prepared): void {
  const { root, journal } = p;
  const folders = new Set<string>([root]);
  for (const op of journal.ops) folders.add(dirname(join(root, op.dest)));
  for (const d of journal.dirs) folders.add(dirname(join(root, d)));
  for (const d of folders) fsyncPath(d);
  writeJournal(root, { ...journal, state: 'committed' });
}

/**
 * Step 5b: the clean-up after the commit point. The journal goes last, so a kill here leaves
 * either a committed journal or an empty `.txn`: never a stage without a journal, which is
 * what only a kill while staging (before the commit point) leaves.
 */
function finishTransaction(root: string): void {
  try {
    cleanUpCommitted(root);
  } catch {
    // Committed: the apply is complete. A leftover .txn is cleaned by the next repair.
  }
}

/**
 * Applies `ops` all-or-nothing. An error before the commit point rolls everything back and is
 * rethrown; a kill leaves a journal that repairTransaction() turns into the before-state
 * (or, after the commit point, just cleans up).
 */
export function transact(root: string, ops: FileOp[]): void {
  const p = prepareTransaction(root, ops);
  try {
    performTransaction(p);
    markCommitted(p);
  } catch (e) {
    try {
      repairTransaction(root); // our own pid never counts as "running", so this rolls back
    } catch (r) {
      throw new TransactionError(`${(e as Error).message}; rolling back also failed (${(r as Error).message}); run the command again to repair`);
    }
    throw e;
  }
  finishTransaction(root);
}
