import { diff3Merge } from 'node-diff3';
import type { PlannedFile } from '../plan/index.js';
import { adoptedContent } from './adopt.js';
import { basePath, sha256, type Manifest } from './state.js';

/** What generate will do to one path, decided before anything is written. */
export type Decision =
  | { kind: 'create'; path: string; generator: string; content: string; render: string }
  | { kind: 'update'; path: string; generator: string; content: string; render: string; before: string }
  | { kind: 'merge'; path: string; generator: string; content: string; render: string; before: string }
  | { kind: 'conflict'; path: string; generator: string; content: string; render: string; before: string }
  | { kind: 'overwrite'; path: string; generator: string; content: string; render: string; before: string }
  | { kind: 'delete'; path: string; generator: string; before: string }
  | { kind: 'unchanged'; path: string; generator: string; render: string }
  | { kind: 'keep-edited'; path: string; generator: string; render: string }
  | { kind: 'keep-deleted'; path: string; generator: string; render: string }
  | { kind: 'keep-orphan'; path: string; generator: string }
  | { kind: 'blocked'; path: string; generator: string; render: string; before: string };

/** Decisions that change a file on disk. */
export const WRITES = new Set<Decision['kind']>(['create', 'update', 'merge', 'conflict', 'overwrite', 'delete']);

export interface DiskView {
  /** Current content of a repo-relative path, or null when it does not exist. */
  read(path: string): string | null;
}

export interface DecideOptions {
  force?: boolean;
  restore?: boolean;
  /** init: a file the repo already has is merged where it can be (src/apply/adopt.ts), else kept and reported. */
  adopt?: boolean;
}

const CONFLICT_LABELS = { ours: 'your version', base: 'last generated', theirs: 'new render' };

/**
 * Three-way merge of the user's file and the new render over the last render (node-diff3, the
 * same diff3 algorithm git uses for text), with git-style markers on conflict.
 */
export function merge3(mine: string, base: string, theirs: string): { text: string; conflict: boolean } {
  const split = (s: string) => s.split('\n');
  const regions = diff3Merge(split(mine), split(base), split(theirs), { excludeFalseConflicts: true });
  const out: string[] = [];
  let conflict = false;
  for (const r of regions) {
    if (r.ok) out.push(...r.ok);
    else if (r.conflict) {
      conflict = true;
      out.push(`<<<<<<< ${CONFLICT_LABELS.ours}`, ...r.conflict.a, `||||||| ${CONFLICT_LABELS.base}`, ...r.conflict.o);
      out.push('=======', ...r.conflict.b, `>>>>>>> ${CONFLICT_LABELS.theirs}`);
    }
  }
  return { text: out.join('\n'), conflict };
}

/**
 * One conflict block holding the whole of both files, for when the merge base is lost. (A
 * diff3 against an empty base is not enough: with an empty file on either side it merges
 * "cleanly" and silently drops the other side.)
 */
function conflictAll(mine: string, theirs: string): string {
  const lines = (s: string) => (s === '' ? [] : (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n'));
  return [
    `<<<<<<< ${CONFLICT_LABELS.ours}`,
    ...lines(mine),
    `||||||| ${CONFLICT_LABELS.base}`,
    '=======',
    ...lines(theirs),
    `>>>>>>> ${CONFLICT_LABELS.theirs}`,
    '',
  ].join('\n');
}

/**
 * Compares the plan with the disk and the last generation, path by path. Pure: the caller
 * supplies what is on disk, so every case is a unit test and `--dry-run` shares this code.
 */
export function decide(planned: PlannedFile[], manifest: Manifest, disk: DiskView, opts: DecideOptions = {}): Decision[] {
  const out: Decision[] = [];
  const plannedPaths = new Set(planned.map((p) => p.path));
  for (const file of planned) {
    const { path, generator, content: render } = file;
    const entry = manifest.files[path];
    const current = disk.read(path);
    if (current === null) {
      if (entry && !opts.restore) out.push({ kind: 'keep-deleted', path, generator, render });
      else out.push({ kind: 'create', path, generator, content: render, render });
      continue;
    }
    if (current === render) {
      out.push({ kind: 'unchanged', path, generator, render });
      continue;
    }
    if (!entry) {
      const adopted = opts.adopt && !opts.force ? adoptedContent(path, current, render) : undefined;
      if (adopted === current) out.push({ kind: 'keep-edited', path, generator, render });
      else if (adopted !== undefined) out.push({ kind: 'merge', path, generator, content: adopted, render, before: current });
      else if (opts.force) out.push({ kind: 'overwrite', path, generator, content: render, render, before: current });
      else out.push({ kind: 'blocked', path, generator, render, before: current });
      continue;
    }
    if (sha256(current) === entry.sha256) {
      out.push({ kind: 'update', path, generator, content: render, render, before: current });
      continue;
    }
    // The user edited the file since we last wrote it.
    const base = disk.read(basePath(path));
    if (base !== null && sha256(base) === entry.sha256 && base === render) {
      out.push({ kind: 'keep-edited', path, generator, render });
      continue;
    }
    if (base === null || sha256(base) !== entry.sha256) {
      // Without the last render there is nothing to merge against: never guess, mark it all.
      out.push({ kind: 'conflict', path, generator, content: conflictAll(current, render), render, before: current });
      continue;
    }
    const merged = merge3(current, base, render);
    if (!merged.conflict && merged.text === current) {
      // The render's changes are already in the user's file: nothing to write, the edits are kept.
      out.push({ kind: 'keep-edited', path, generator, render });
      continue;
    }
    out.push({ kind: merged.conflict ? 'conflict' : 'merge', path, generator, content: merged.text, render, before: current });
  }
  for (const [path, entry] of Object.entries(manifest.files)) {
    if (plannedPaths.has(path)) continue;
    const current = disk.read(path);
    if (current === null) continue;
    if (sha256(current) === entry.sha256) out.push({ kind: 'delete', path, generator: entry.generator, before: current });
    else out.push({ kind: 'keep-orphan', path, generator: entry.generator });
  }
  return out;
}

/** The manifest after the decisions are applied: every planned path, hashed by its new render. */
export function nextManifest(decisions: Decision[]): Manifest {
  const files: Manifest['files'] = {};
  for (const d of decisions) {
    if (d.kind === 'delete' || d.kind === 'keep-orphan' || d.kind === 'blocked') continue;
    files[d.path] = { generator: d.generator, sha256: sha256(d.render) };
  }
  return { version: 1, files };
}
