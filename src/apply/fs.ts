import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ConflictError } from '../errors.js';

/** A write that would leave the repository (or go through a symlink out of it): refused before anything is touched. */
export class UnsafePathError extends ConflictError {}

/**
 * Refuses paths that would land outside the repository: absolute paths, `..` segments, and
 * symlinks (of the file or any parent) that resolve outside the root. Callers checking many
 * paths pass `realRoot` (realRootOf(root)) once.
 */
export function safeJoin(root: string, rel: string, realRoot = realRootOf(root)): string {
  if (!rel || isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) {
    throw new UnsafePathError(`refusing to write "${rel}": generated paths must stay inside the repository`);
  }
  const full = resolve(root, rel);
  // Walk up to the deepest part of the path that exists and check where it really points.
  let probe = full;
  while (!existsSync(probe) && !isSymlink(probe)) probe = dirname(probe);
  let real: string;
  try {
    real = realpathSync.native(probe);
  } catch {
    throw new UnsafePathError(`refusing to write "${rel}": ${relative(root, probe) || '.'} is a broken symlink`);
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw new UnsafePathError(`refusing to write "${rel}": ${relative(root, probe) || '.'} is a symlink that points outside the repository`);
  }
  return full;
}

/** The root with every symlink resolved: realpath(3), one call instead of an lstat per segment. */
export function realRootOf(root: string): string {
  return realpathSync.native(root);
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

export function readIfExists(root: string, rel: string): string | null {
  const p = join(root, rel);
  try {
    return readFileSync(p, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw e;
  }
}

/** Atomic write (temp file in the same folder, fsync, rename) via npm's write-file-atomic. */
export function writeAtomic(root: string, rel: string, text: string): void {
  const full = safeJoin(root, rel);
  mkdirSync(dirname(full), { recursive: true });
  writeFileAtomic.sync(full, text, { encoding: 'utf8' });
}

export function removeFile(root: string, rel: string): void {
  rmSync(safeJoin(root, rel), { force: true });
}
