import { createTwoFilesPatch } from 'diff';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_FILE } from '../config/types.js';
import type { PlannedFile } from '../plan/index.js';
import { packageRoot } from '../util/package-root.js';
import { decide, nextManifest, WRITES, type DecideOptions, type Decision } from './decide.js';
import { readIfExists, removeFile, safeJoin, writeAtomic } from './fs.js';
import { basePath, emptyManifest, MANIFEST_FILE, parseManifest, serializeManifest } from './state.js';

export { decide, merge3, nextManifest, WRITES, CONFLICT_LABELS, type Decision, type DecideOptions } from './decide.js';
export { UnsafePathError, safeJoin } from './fs.js';
export { MANIFEST_FILE, BASE_DIR, sha256, parseManifest, serializeManifest, type Manifest } from './state.js';

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
}

/**
 * Decides every change for a plan against the repository at `root`, writing nothing.
 * `extras` are non-generated files that must be written with the kit (e.g. deploy-kit.yaml).
 */
export function computeChanges(root: string, planned: PlannedFile[], opts: DecideOptions = {}, extras: Extra[] = []): Changes {
  for (const f of planned) safeJoin(root, f.path);
  const manifestText = readIfExists(root, MANIFEST_FILE);
  const manifest = manifestText === null ? emptyManifest() : parseManifest(manifestText);
  const decisions = decide(planned, manifest, { read: (p) => readIfExists(root, p) }, opts);
  const blocked = decisions.filter((d) => d.kind === 'blocked');
  const conflicts = decisions.filter((d) => d.kind === 'conflict');
  const state: Extra[] = [...extras];
  state.push({ path: SCHEMA_FILE, content: readFileSync(join(packageRoot(), 'schema', 'deploy-kit.schema.json'), 'utf8') });
  state.push({ path: MANIFEST_FILE, content: serializeManifest(nextManifest(decisions)) });
  for (const d of decisions) {
    if ('render' in d && d.kind !== 'blocked') state.push({ path: basePath(d.path), content: d.render });
  }
  // Bases of files that left the plan go with them.
  for (const d of decisions) if (d.kind === 'delete' || d.kind === 'keep-orphan') state.push({ path: basePath(d.path), content: null });
  return { decisions, state, blocked, conflicts };
}

/** True when applying would change any file on disk (what `check` reports as drift). */
export function hasWrites(root: string, changes: Changes): boolean {
  if (changes.decisions.some((d) => WRITES.has(d.kind) || d.kind === 'blocked')) return true;
  return changes.state.some((s) => readIfExists(root, s.path) !== s.content);
}

/**
 * Writes the decided changes. Refuses (writing nothing) while any path is blocked by a file
 * that is not ours; the caller shows those diffs and suggests --force.
 */
export function applyChanges(root: string, changes: Changes): void {
  if (changes.blocked.length > 0) throw new Error('applyChanges called with blocked paths');
  // Check every destination first, so a refusal happens before the first write.
  for (const d of changes.decisions) if (WRITES.has(d.kind)) safeJoin(root, d.path);
  for (const s of changes.state) safeJoin(root, s.path);
  for (const d of changes.decisions) {
    if (d.kind === 'delete') removeFile(root, d.path);
    else if (WRITES.has(d.kind) && 'content' in d) writeAtomic(root, d.path, d.content);
  }
  for (const s of changes.state) {
    if (s.content === null) removeFile(root, s.path);
    else if (readIfExists(root, s.path) !== s.content) writeAtomic(root, s.path, s.content);
  }
}

/** A unified diff of one decision, as `plan` and a blocked `generate` show it. */
export function diffOf(d: Decision): string {
  const before = 'before' in d ? d.before : '';
  const after = d.kind === 'delete' ? '' : 'content' in d ? d.content : 'render' in d ? d.render : '';
  const from = d.kind === 'create' ? '/dev/null' : `a/${d.path}`;
  const to = d.kind === 'delete' ? '/dev/null' : `b/${d.path}`;
  return createTwoFilesPatch(from, to, before, after, '', '', { context: 3 });
}
