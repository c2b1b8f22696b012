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
 * Repair (run first by every command that writes, and by applyChanges itself):
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
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  chmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { STATE_DIR } from '../config/types.js';
import { ConflictError, CorruptStateError, UserError } from '../errors.js';
import { realRootOf, safeJoin, UnsafePathError } from './fs.js';

export const TXN_DIR = `${STATE_DIR}/.txn`;
export const JOURNAL_FILE = `${TXN_DIR}/journal.json`;

/** One file change: `content` null deletes the file. Paths are repo-relative, forward slashes. */
export interface FileOp {
  path: string;
  content: string | null;
}

export interface JournalOp {
  /** The path as planned (what decide() and the manifest call it). */
  path: string;
  /** Where the bytes really go, repo-relative: differs from `path` only through an in-repo symlink. */
  dest: string;
  existed: boolean;
  /** The previous bytes and mode, when the file existed (utf8 text, or base64 for other bytes). */
  backup: Backup | null;
  /** sha256 of the previous bytes, null when the file did not exist. */
  before: string | null;
  /** `stage/<name>`: the new bytes; null for a delete. */
  staged: string | null;
  /** sha256 of the new bytes, null for a delete. */
  after: string | null;
}

export interface Backup {
  encoding: 'utf8' | 'base64';
  data: string;
  mode: number;
}

export interface Journal {
  version: 1;
  state: 'prepared' | 'committed';
  pid: number;
  /** Folders the apply creates (repo-relative, parents first); a rollback removes them if empty. */
  dirs: string[];
  ops: JournalOp[];
}

/** An interrupted transaction that cannot be repaired automatically (or its folder is damaged); the message says what to do. */
export class TransactionError extends CorruptStateError {}

export type TxnStatus =
  | { kind: 'none' }
  /**
   * No journal: killed while staging (the tree is the before-state), or an empty `.txn` left by
   * a kill at the very start or the very end (the tree is then one state or the other). Discard.
   */
  | { kind: 'staging' }
  /** Killed between prepare and commit: repair rolls back. */
  | { kind: 'prepared'; journal: Journal }
  /** Killed after the commit point: the tree is the after-state, only clean-up is left. */
  | { kind: 'committed'; journal: Journal }
  /** Another live process holds the transaction. */
  | { kind: 'running'; pid: number };

export interface RepairReport {
  /** What was found: the status before repair. */
  status: Exclude<TxnStatus['kind'], 'none' | 'running'>;
  /** Paths put back to their previous content (rollback). */
  restored: string[];
  /** Paths changed by someone after the interruption: left as they are. */
  keptChanged: string[];
}

const NAME = /^s\d+$/;
const SHA = /^[0-9a-f]{64}$/;

/** Text stays readable in the journal; anything that is not valid UTF-8 goes as base64. */
function encode(bytes: Buffer, mode: number): Backup {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? { encoding: 'utf8', data: text, mode } : { encoding: 'base64', data: bytes.toString('base64'), mode };
}

function decode(b: Backup): Buffer {
  return Buffer.from(b.data, b.encoding);
}

function isBackup(v: unknown): v is Backup {
  const b = v as Partial<Backup> | null;
  return Boolean(b) && (b!.encoding === 'utf8' || b!.encoding === 'base64') && typeof b!.data === 'string' && Number.isInteger(b!.mode);
}

function hashBytes(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(p, 'r');
    fsyncSync(fd);
  } catch {
    // Folders cannot be opened for fsync on some platforms (Windows); the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeDurable(p: string, data: string | Buffer, mode = 0o666): void {
  const fd = openSync(p, 'w', mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Atomic and durable: tmp, fsync, rename, fsync of the folder. */
function writeJournal(root: string, journal: Journal): void {
  const dir = join(root, TXN_DIR);
  const tmp = join(dir, 'journal.json.tmp');
  writeDurable(tmp, `${JSON.stringify(journal, null, 1)}\n`);
  renameSync(tmp, join(dir, 'journal.json'));
  fsyncPath(dir);
}

/** sha256 of a path's bytes, null when absent; 'other' when it is not a regular file. */
function currentHash(full: string): string | null | 'other' {
  let st;
  try {
    st = lstatSync(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
  if (!st.isFile()) return 'other';
  return hashBytes(readFileSync(full));
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function damaged(why: string): TransactionError {
  return new TransactionError(
    `${JOURNAL_FILE} is damaged (${why}), so an interrupted apply cannot be repaired automatically. ` +
      `The previous content of each file it touched is in the journal (ops[].backup) if it is readable; ` +
      `check the files, then delete ${TXN_DIR}.`,
  );
}

/** Parses and validates a journal read from disk: every path is checked again before use. */
function parseJournal(text: string): Journal {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw damaged((e as Error).message);
  }
  const j = data as Partial<Journal>;
  if (!j || j.version !== 1 || (j.state !== 'prepared' && j.state !== 'committed') || !Array.isArray(j.ops) || !Array.isArray(j.dirs)) {
    throw damaged('not a version 1 journal');
  }
  // Repo-relative, no "..", not absolute: checked here, and again by safeJoin before each use.
  const str = (v: unknown) => typeof v === 'string' && v.length > 0 && !isAbsolute(v) && !v.split(/[\\/]/).includes('..');
  for (const d of j.dirs) if (!str(d)) throw damaged('bad folder entry');
  for (const o of j.ops as Partial<JournalOp>[]) {
    const ok =
      o &&
      str(o.path) &&
      str(o.dest) &&
      typeof o.existed === 'boolean' &&
      (o.existed ? isBackup(o.backup) && typeof o.before === 'string' && SHA.test(o.before) : o.backup === null && o.before === null) &&
      (o.staged === null ? o.after === null : typeof o.staged === 'string' && NAME.test(o.staged) && typeof o.after === 'string' && SHA.test(o.after));
    if (!ok) throw damaged('bad operation entry');
  }
  return j as Journal;
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
function removeTxnDir(root: string): void {
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
 * Repairs an interrupted apply (see the top of this file); returns null when there was none.
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
      if (other !== undefined) throw new ConflictError(`${op.path} and ${other} are the same file (${dest}, through a symlink); replace the symlink with a file`);
      dests.set(dest, op.path);
      if (st && !st.isFile()) throw new ConflictError(`${op.path} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}; move it aside and run the command again`);
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
    journal.dirs.push(...[...dirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b)));
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
export function finishTransaction(root: string): void {
  try {
    cleanUpCommitted(root);
  } catch {
    // Committed: the apply is complete. A leftover .txn is cleaned by the next repair.
  }
}

function cleanUpCommitted(root: string): void {
  const txn = join(root, TXN_DIR);
  rmSync(join(txn, 'owner'), { force: true });
  rmSync(join(txn, 'stage'), { recursive: true, force: true });
  rmSync(join(txn, 'journal.json.tmp'), { force: true });
  rmSync(join(txn, 'journal.json'), { force: true });
  removeTxnDir(root);
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
