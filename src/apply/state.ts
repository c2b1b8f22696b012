import { createHash } from 'node:crypto';
import { STATE_DIR } from '../config/types.js';

export const MANIFEST_FILE = `${STATE_DIR}/manifest.json`;
export const BASE_DIR = `${STATE_DIR}/base`;

export interface ManifestEntry {
  /** Generator that owns the file. */
  generator: string;
  /** sha256 of the last render written for this path (the merge base). */
  sha256: string;
}

export interface Manifest {
  /** Format version of this file. */
  version: 1;
  files: Record<string, ManifestEntry>;
}

export function emptyManifest(): Manifest {
  return { version: 1, files: {} };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Parses manifest.json; a damaged one is an error with the fix, not a silent reset. */
export function parseManifest(text: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${MANIFEST_FILE} is not valid JSON (${(e as Error).message}); restore it from git (\`git checkout -- ${MANIFEST_FILE}\`)`);
  }
  const m = data as Partial<Manifest>;
  if (!m || m.version !== 1 || typeof m.files !== 'object' || m.files === null) {
    throw new Error(`${MANIFEST_FILE} is not a deploy-kit manifest (version 1); restore it from git (\`git checkout -- ${MANIFEST_FILE}\`)`);
  }
  return m as Manifest;
}

/** Stable, diff-friendly JSON: keys sorted so a regeneration touches only the lines that changed. */
export function serializeManifest(m: Manifest): string {
  const files: Record<string, ManifestEntry> = {};
  for (const k of Object.keys(m.files).sort()) {
    const e = m.files[k]!;
    files[k] = { generator: e.generator, sha256: e.sha256 };
  }
  return `${JSON.stringify({ version: 1, files }, null, 2)}\n`;
}

export function basePath(path: string): string {
  return `${BASE_DIR}/${path}`;
}
