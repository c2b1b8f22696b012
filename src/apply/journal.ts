/**
 * The transaction journal (`.deploy-kit/.txn/journal.json`): its format, how it is written
 * (durably) and how a journal read back from disk is checked before repair trusts any of it.
 * See txn.ts for the transaction it records.
 */
import { renameSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { STATE_DIR } from '../config/types.js';
import { CorruptStateError } from '../errors.js';
import { fsyncPath, writeDurable } from './fs.js';

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
export function encode(bytes: Buffer, mode: number): Backup {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? { encoding: 'utf8', data: text, mode } : { encoding: 'base64', data: bytes.toString('base64'), mode };
}

export function decode(b: Backup): Buffer {
  return Buffer.from(b.data, b.encoding);
}

function isBackup(v: unknown): v is Backup {
  const b = v as Partial<Backup> | null;
  return Boolean(b) && (b!.encoding === 'utf8' || b!.encoding === 'base64') && typeof b!.data === 'string' && Number.isInteger(b!.mode);
}

/** Atomic and durable: tmp, fsync, rename, fsync of the folder. */
export function writeJournal(root: string, journal: Journal): void {
  const dir = join(root, TXN_DIR);
  const tmp = join(dir, 'journal.json.tmp');
  writeDurable(tmp, `${JSON.stringify(journal, null, 1)}\n`);
  renameSync(tmp, join(dir, 'journal.json'));
  fsyncPath(dir);
}

function damaged(why: string): TransactionError {
  return new TransactionError(
    `${JOURNAL_FILE} is damaged (${why}), so an interrupted apply cannot be repaired automatically. ` +
      `The previous content of each file it touched is in the journal (ops[].backup) if it is readable; ` +
      `check the files, then delete ${TXN_DIR}.`,
  );
}

/** Parses and validates a journal read from disk: every path is checked again before use. */
export function parseJournal(text: string): Journal {
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
