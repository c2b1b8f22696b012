import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyChanges, computeChanges, diffOf, WRITES, type Changes, type DecideOptions, type Extra } from '../apply/index.js';
import type { DeployKitConfig } from '../config/types.js';
import { planKit } from '../plan/index.js';
import { templatesFromDisk } from '../plan/load-templates.js';
import type { Out } from './output.js';
import { summarize } from './output.js';
import { UserError } from './errors.js';

/** Resolves and checks the target directory: it must exist, be a directory, and be writable. */
export function targetDir(cwd: string, dir: string | undefined, needWrite: boolean): string {
  const root = resolve(cwd, dir ?? '.');
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new UserError(`${root} does not exist; pass the repository's directory (or run inside it)`);
  }
  if (!isDir) throw new UserError(`${root} is not a directory; pass the repository's directory`);
  if (needWrite) {
    try {
      accessSync(root, constants.W_OK);
    } catch {
      throw new UserError(`${root} is not writable; check its permissions (or run as its owner)`);
    }
  }
  return root;
}

export async function planChanges(root: string, config: DeployKitConfig, opts: DecideOptions, extras: Extra[] = []): Promise<Changes> {
  const files = await planKit({ config, ...templatesFromDisk() });
  return computeChanges(root, files, opts, extras);
}

export interface ApplyReport {
  code: number;
}

/**
 * Shows and applies (or, dry, only shows) a set of changes. Blocked paths stop everything
 * before the first write; conflicts are written with markers and make the exit code 1.
 */
export function applyAndReport(root: string, changes: Changes, out: Out, dryRun: boolean): number {
  if (dryRun) {
    const writes = changes.decisions.filter((d) => WRITES.has(d.kind) || d.kind === 'blocked');
    out.print(summarize(changes.decisions, true));
    for (const d of writes) out.print(diffOf(d).trimEnd());
    out.print(writes.length ? `\n${writes.length} file(s) would change; nothing was written (dry run).` : '\nNothing would change.');
    return 0;
  }
  if (changes.blocked.length > 0) {
    for (const d of changes.blocked) out.print(diffOf(d).trimEnd());
    throw new UserError(
      `${changes.blocked.map((d) => d.path).join(', ')} already exist${changes.blocked.length === 1 ? 's' : ''} and ` +
        `${changes.blocked.length === 1 ? 'was' : 'were'} not written by deploy-kit (diff above); nothing was written.\n` +
        'Move them aside, or rerun with --force to replace them with the generated version.',
    );
  }
  applyChanges(root, changes);
  out.print(summarize(changes.decisions));
  if (changes.conflicts.length > 0) {
    out.error(
      `${changes.conflicts.length} file(s) have conflicts between your edits and the new render: ` +
        `${changes.conflicts.map((d) => d.path).join(', ')}\n` +
        'Resolve the <<<<<<< / >>>>>>> blocks, then run `npx deploy-kit generate` again.',
    );
    return 1;
  }
  return 0;
}
