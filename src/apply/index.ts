import { createTwoFilesPatch } from 'diff';
import { SCHEMA_FILE, STATE_DIR } from '../config/types.js';
import type { PlannedFile } from '../plan/index.js';
import { schemaText } from '../config/schema-source.js';
import { decide, droppedReleases, nextManifest, WRITES, type DecideOptions, type Decision, type DiskView } from './decide.js';
import { readIfExists, realRootOf, safeJoin } from './fs.js';
import { basePath, emptyManifest, MANIFEST_FILE, parseManifest, serializeManifest, type Manifest } from './state.js';
import { type FileOp, type TxnStatus } from './journal.js';
import { pendingOverlay, repairTransaction, txnStatus } from './repair.js';
import { transact } from './txn.js';

export { decide, merge3, WRITES, type Decision, type DecideOptions, type DiskView } from './decide.js';
export { UnsafePathError, safeJoin } from './fs.js';
export { JOURNAL_FILE, TXN_DIR, TransactionError, type FileOp, type TxnStatus } from './journal.js';
export { repairTransaction, txnStatus } from './repair.js';
export { markCommitted, performTransaction, prepareTransaction } from './txn.js';
export { MANIFEST_FILE, BASE_DIR, parseManifest, serializeManifest, sha256, type Manifest } from './state.js';

export interface Extra {
  path: string;
  /** null removes the file. */
  content: string | null;
}

export interface Changes {
  decisions: Decision[];
  /** Files outside the plan that go with it: deploy-kit.yaml on init, the schema, the state. */
  state: Extra[];
  blocked: Decision[];
  conflicts: Decision[];
  /** The file writes and deletes the apply will make (decisions, then state that differs). */
  ops: FileOp[];
  /** An interrupted apply that the next writing command repairs first (absent when none). */
  pending?: TxnStatus;
  /** The manifest the decisions were made against (empty when there was none). */
  manifest: Manifest;
}

/**
 * Decides every change for a plan against the repository at `root`, writing nothing.
 * `extras` are non-generated files that must be written with the kit (e.g. deploy-kit.yaml).
 *
 * When an interrupted apply is pending (`changes.pending`), the disk is read as the repair
 * will leave it (the before-state of the interrupted apply), so `plan` and `check` show what
 * `generate` will do after repairing, without writing anything themselves.
 */
export function computeChanges(root: string, planned: PlannedFile[], opts: DecideOptions = {}, extras: Extra[] = []): Changes {
  const realRoot = realRootOf(root);
  for (const f of planned) safeJoin(root, f.path, realRoot);
  const pending = txnStatus(root);
  const overlay = pendingOverlay(root, pending);
  const disk: DiskView = { read: (p) => (overlay.has(p) ? overlay.get(p)! : readIfExists(root, p)) };
  const changes = computeChangesFrom(disk, planned, opts, extras);
  if (pending.kind !== 'none') changes.pending = pending;
  return changes;
}

/** computeChanges over any DiskView: pure, so tests can run it against an in-memory disk. */
export function computeChangesFrom(disk: DiskView, planned: PlannedFile[], opts: DecideOptions = {}, extras: Extra[] = []): Changes {
  const manifestText = disk.read(MANIFEST_FILE);
  const manifest = manifestText === null ? emptyManifest() : parseManifest(manifestText);
  const decisions = decide(planned, manifest, disk, opts);
  const blocked = decisions.filter((d) => d.kind === 'blocked');
  const conflicts = decisions.filter((d) => d.kind === 'conflict');
  const state: Extra[] = [...extras];
  state.push({ path: SCHEMA_FILE, content: schemaText() });
  // An interrupted apply's staging area must never be committed by `git add .`.
  state.push({ path: `${STATE_DIR}/.gitignore`, content: '# Staging area of an apply in progress (deploy-kit removes it when done).\n.txn/\n' });
  const exists = (p: string) => disk.read(p) !== null;
  state.push({ path: MANIFEST_FILE, content: serializeManifest(nextManifest(decisions, manifest, exists)) });
  for (const d of decisions) {
    if ('render' in d && d.kind !== 'blocked') state.push({ path: basePath(d.path), content: d.render });
  }
  // Bases of files that left the plan go with them; an edited one (released) keeps its base until it is gone.
  for (const d of decisions) if (d.kind === 'delete') state.push({ path: basePath(d.path), content: null });
  for (const p of droppedReleases(decisions, manifest, exists)) state.push({ path: basePath(p), content: null });
  return { decisions, state, blocked, conflicts, ops: fileOps(decisions, state, disk), manifest };
}

/**
 * Every file the apply changes, in order: the decided writes and deletes, then the state files
 * whose content differs from the disk. Exactly what applyChanges hands to the transaction.
 */
export function fileOps(decisions: Decision[], state: Extra[], disk: DiskView): FileOp[] {
  const ops: FileOp[] = [];
  for (const d of decisions) {
    if (d.kind === 'delete') ops.push({ path: d.path, content: null });
    else if (WRITES.has(d.kind) && 'content' in d) ops.push({ path: d.path, content: d.content });
  }
  for (const s of state) {
    if (disk.read(s.path) !== s.content) ops.push({ path: s.path, content: s.content });
  }
  return ops;
}

/**
 * Writes the decided changes, all or nothing (see txn.ts): an error rolls back what was
 * written, and a kill leaves a journal that the next run repairs before reading the disk.
 * Refuses (writing nothing) while any path is blocked by a file that is not ours; the caller
 * shows those diffs and suggests --force.
 */
export function applyChanges(root: string, changes: Changes): void {
  if (changes.blocked.length > 0) throw new Error('applyChanges called with blocked paths');
  // Check every destination first, so a refusal happens before the first write.
  const realRoot = realRootOf(root);
  for (const d of changes.decisions) if (WRITES.has(d.kind)) safeJoin(root, d.path, realRoot);
  for (const s of changes.state) safeJoin(root, s.path, realRoot);
  // computeChanges read the disk as the repair leaves it; make it so.
  repairTransaction(root);
  const ops = fileOps(changes.decisions, changes.state, { read: (p) => readIfExists(root, p) });
  if (ops.length > 0) transact(root, ops);
}

/** A unified diff of one decision, as `plan` and a blocked `generate` show it. */
export function diffOf(d: Decision): string {
  const before = 'before' in d ? d.before : '';
  const after = d.kind === 'delete' ? '' : 'content' in d ? d.content : 'render' in d ? d.render : '';
  const from = d.kind === 'create' ? '/dev/null' : `a/${d.path}`;
  const to = d.kind === 'delete' ? '/dev/null' : `b/${d.path}`;
  return createTwoFilesPatch(from, to, before, after, '', '', { context: 3 });
}
