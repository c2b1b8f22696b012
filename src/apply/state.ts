import { CLI } from '../version.js';
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { STATE_DIR } from '../config/types.js';
import { CorruptStateError } from '../errors.js';

export const MANIFEST_FILE = `${STATE_DIR}/manifest.json`;
export const BASE_DIR = `${STATE_DIR}/base`;

export interface ManifestEntry {
  /** Generator that owns the file. */
  generator: string;
  /** sha256 of the last render written for this path (the merge base). */
  sha256: string;
  /**
   * sha256 of earlier renders of this path, oldest first (at most EARLIER_KEPT): a file equal
   * to one of them is a stale render of ours (e.g. `git checkout` brought an old one back),
   * never an edit, so generate replaces it and check reports it.
   */
  earlier?: string[];
  /**
   * The user's version generate last kept or merged here: its sha256, or "deleted" for a file
   * the user deleted. `check` passes an edit generate has seen (or any edit with --allow-edits).
   */
  accepted?: string;
}

/** How many earlier renders a path remembers. */
export const EARLIER_KEPT = 20;

export interface Manifest {
  /** Format version of this file. */
  version: 1;
  files: Record<string, ManifestEntry>;
  /**
   * Files that left the plan with the user's edits in them (a target removed): no longer
   * generated, still known as ours. Their merge base is kept, so adding the target back merges
   * the edits instead of refusing a file "not written by deploy-kit".
   */
  released?: Record<string, ManifestEntry>;
}

export function emptyManifest(): Manifest {
  return { version: 1, files: {} };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The two ways out of a damaged manifest. Without one, deploy-kit cannot tell your edits from its
 * own output, so it stops rather than guess: a reset would treat every generated file as yours.
 */
const MANIFEST_FIX =
  `restore it from git (\`git checkout -- ${MANIFEST_FILE}\`), or delete ${STATE_DIR}/ and run \`${CLI} generate\`: ` +
  'it then treats the files already there as yours (it takes over the ones identical to its render, shows the diff of the others and ' +
  'replaces them only with --force)';

function damaged(what: string): CorruptStateError {
  return new CorruptStateError(`${MANIFEST_FILE} is damaged: ${what}`, `To fix it, ${MANIFEST_FIX}.`);
}

/** Parses manifest.json; a damaged one is an error with the fix, not a silent reset. */
export function parseManifest(text: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw damaged(`it is not valid JSON (${(e as Error).message})`);
  }
  const m = data as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || m.version !== 1 || typeof m.files !== 'object' || m.files === null || Array.isArray(m.files)) {
    throw damaged('it is not a deploy-kit manifest (an object with "version": 1 and "files")');
  }
  if (m.released !== undefined && (typeof m.released !== 'object' || m.released === null || Array.isArray(m.released))) {
    throw damaged('"released" is not an object of entries');
  }
  // Every entry is used as a repo path and a merge-base hash: check them before any is trusted.
  for (const [path, entry] of [...Object.entries(m.files as Record<string, unknown>), ...Object.entries((m.released ?? {}) as Record<string, unknown>)]) {
    if (!path || isAbsolute(path) || path.split(/[\\/]/).includes('..')) throw damaged(`"${path}" is not a path inside the repository`);
    const e = entry as Partial<ManifestEntry> | null;
    if (!e || typeof e !== 'object' || typeof e.generator !== 'string' || typeof e.sha256 !== 'string') {
      throw damaged(`the entry for ${path} is not {"generator": "...", "sha256": "..."}`);
    }
    if (!SHA256.test(e.sha256)) throw damaged(`the hash for ${path} is not a sha256 (64 hex digits): ${JSON.stringify(e.sha256)}`);
    if (e.earlier !== undefined && (!Array.isArray(e.earlier) || !e.earlier.every((h) => typeof h === 'string' && SHA256.test(h)))) {
      throw damaged(`"earlier" for ${path} is not a list of sha256 hashes`);
    }
    if (e.accepted !== undefined && (typeof e.accepted !== 'string' || !(SHA256.test(e.accepted) || e.accepted === 'deleted'))) {
      throw damaged(`"accepted" for ${path} is not a sha256 or "deleted"`);
    }
  }
  return m as Manifest;
}

/** Stable, diff-friendly JSON: keys sorted so a regeneration touches only the lines that changed. */
export function serializeManifest(m: Manifest): string {
  const sorted = (entries: Record<string, ManifestEntry>) => {
    const out: Record<string, ManifestEntry> = {};
    for (const k of Object.keys(entries).sort()) {
      const e = entries[k]!;
      out[k] = { generator: e.generator, sha256: e.sha256 };
      if (e.earlier?.length) out[k].earlier = e.earlier;
      if (e.accepted) out[k].accepted = e.accepted;
    }
    return out;
  };
  const released = m.released && Object.keys(m.released).length ? { released: sorted(m.released) } : {};
  return `${JSON.stringify({ version: 1, files: sorted(m.files), ...released }, null, 2)}\n`;
}

export function basePath(path: string): string {
  return `${BASE_DIR}/${path}`;
}
