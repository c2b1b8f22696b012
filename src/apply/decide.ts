import { diff3Merge } from 'node-diff3';
import type { PlannedFile } from '../plan/index.js';
import { adoptedContent } from './adopt.js';
import { copySources } from '../doctor/dockerfile-steps.js';
import { basePath, EARLIER_KEPT, sha256, type Manifest, type ManifestEntry } from './state.js';

/** What generate will do to one path, decided before anything is written. */
export type Decision =
  | { kind: 'create'; path: string; generator: string; content: string; render: string }
  | { kind: 'update'; path: string; generator: string; content: string; render: string; before: string }
  | { kind: 'merge'; path: string; generator: string; content: string; render: string; before: string }
  | { kind: 'conflict'; path: string; generator: string; content: string; render: string; before: string }
  | { kind: 'overwrite'; path: string; generator: string; content: string; render: string; before: string }
  | { kind: 'delete'; path: string; generator: string; before: string }
  | { kind: 'unchanged'; path: string; generator: string; render: string }
    /** kept: the sha256 of the user's version that generate records as accepted; null while it holds conflict markers. */
  | { kind: 'keep-edited'; path: string; generator: string; render: string; kept: string | null; accepted: boolean }
  | { kind: 'keep-deleted'; path: string; generator: string; render: string; accepted: boolean }
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
    // A file a removed target left behind (released) is still ours: adding it back merges it.
    const entry = manifest.files[path] ?? manifest.released?.[path];
    const current = disk.read(path);
    if (current === null) {
      if (manifest.files[path] && !opts.restore) out.push({ kind: 'keep-deleted', path, generator, render, accepted: entry?.accepted === 'deleted' });
      else out.push({ kind: 'create', path, generator, content: render, render });
      continue;
    }
    if (current === render) {
      out.push({ kind: 'unchanged', path, generator, render });
      continue;
    }
    if (!entry) {
      // The repository's own Dockerfile beside a .dockerignore stays (init keeps it): what it copies must stay in the context.
      const dockerfile = path.endsWith('Dockerfile.dockerignore') ? path.replace(/\.dockerignore$/, '') : path.replace(/\.dockerignore$/, 'Dockerfile');
      const own = /dockerignore$/.test(path) ? disk.read(dockerfile) : null;
      const keep = own === null ? [] : copySources(own);
      const adopted = opts.adopt && !opts.force ? adoptedContent(path, current, render, keep) : undefined;
      if (adopted === current) out.push({ kind: 'keep-edited', path, generator, render, kept: sha256(current), accepted: false });
      else if (adopted !== undefined) out.push({ kind: 'merge', path, generator, content: adopted, render, before: current });
      else if (opts.force) out.push({ kind: 'overwrite', path, generator, content: render, render, before: current });
      else out.push({ kind: 'blocked', path, generator, render, before: current });
      continue;
    }
    const hash = sha256(current);
    // Untouched since we wrote it, or an earlier render of ours come back (a stale file, not an edit).
    if (hash === entry.sha256 || entry.earlier?.includes(hash)) {
      out.push({ kind: 'update', path, generator, content: render, render, before: current });
      continue;
    }
    // The user edited the file since we last wrote it.
    const base = disk.read(basePath(path));
    // An unresolved conflict is never accepted: check keeps failing until the markers are gone.
    const unresolved = current.includes(`\n>>>>>>> ${CONFLICT_LABELS.theirs}`) || current.startsWith(`<<<<<<< ${CONFLICT_LABELS.ours}`);
    const kept = { kind: 'keep-edited', path, generator, render, kept: unresolved ? null : hash, accepted: entry.accepted === hash } as const;
    if (base !== null && sha256(base) === entry.sha256 && base === render) {
      out.push(kept);
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
      out.push(kept);
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

/**
 * The manifest after the decisions are applied: every planned path, hashed by its new render,
 * remembering its earlier renders and the user's version generate kept there (accepted). A
 * planned path's edited file that left the plan moves to `released`, and stays there while it
 * exists on disk (`exists`) and is not planned again.
 */
export function nextManifest(
  decisions: Decision[],
  prior: Manifest = { version: 1, files: {} },
  exists: (path: string) => boolean = () => true,
): Manifest {
  const files: Manifest['files'] = {};
  const released: Record<string, ManifestEntry> = {};
  const decided = new Set(decisions.map((d) => d.path));
  for (const d of decisions) {
    const before = prior.files[d.path] ?? prior.released?.[d.path];
    if (d.kind === 'keep-orphan') {
      if (before) released[d.path] = before;
      continue;
    }
    if (d.kind === 'delete' || d.kind === 'blocked') continue;
    const hash = sha256(d.render);
    const entry: ManifestEntry = { generator: d.generator, sha256: hash };
    const earlier = [...(before?.earlier ?? []), ...(before && before.sha256 !== hash ? [before.sha256] : [])].filter((h) => h !== hash);
    if (earlier.length) entry.earlier = [...new Set(earlier)].slice(-EARLIER_KEPT);
    // The user's version this apply leaves in place: generate has seen it, so check passes it.
    let accepted: string | undefined;
    if (d.kind === 'keep-edited') accepted = d.kept ?? undefined;
    else if (d.kind === 'merge' && d.content !== d.render) accepted = sha256(d.content);
    else if (d.kind === 'keep-deleted') accepted = 'deleted';
    if (accepted) entry.accepted = accepted;
    files[d.path] = entry;
  }
  for (const [path, entry] of Object.entries(prior.released ?? {})) {
    if (!decided.has(path) && exists(path)) released[path] = entry;
  }
  return Object.keys(released).length ? { version: 1, files, released } : { version: 1, files };
}

/** Paths released earlier that are gone now (deleted by the user): their merge base goes too. */
export function droppedReleases(decisions: Decision[], prior: Manifest, exists: (path: string) => boolean): string[] {
  const decided = new Set(decisions.map((d) => d.path));
  return Object.keys(prior.released ?? {}).filter((p) => !decided.has(p) && !exists(p));
}
