import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, lstatSync, openSync, readFileSync, realpathSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
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

/** A path's text, null when absent. A folder where deploy-kit keeps a file is a conflict the user settles. */
export function readIfExists(root: string, rel: string): string | null {
  const p = join(root, rel);
  try {
    return readFileSync(p, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'EISDIR') throw new ConflictError(`${rel} is a folder, where deploy-kit writes a file; move it aside and run the command again`);
    throw e;
  }
}

/** sha256 of bytes or text, as the manifest and the journal record them. */
export function hashBytes(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** fsync of a file or folder, so a write or a rename in it survives a power cut. */
export function fsyncPath(p: string): void {
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

/** Writes and fsyncs a file; callers rename it into place when the switch must be atomic. */
export function writeDurable(p: string, data: string | Buffer, mode = 0o666): void {
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

/** sha256 of a path's bytes, null when absent; 'other' when it is not a regular file. */
export function currentHash(full: string): string | null | 'other' {
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
