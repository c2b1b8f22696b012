/**
 * Regenerating the kit, shared by every command that writes or previews it: plan the config
 * against the disk (planChanges), then show or apply the changes and report them
 * (applyAndReport), or list the drift (driftOf). An interrupted apply is repaired before any of
 * this, by each writing command (see repo.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, VERSION } from '../version.js';
import { CONFIG_FILE } from '../config/types.js';
import { stampVersion } from '../config/write.js';
import {
  applyChanges,
  computeChanges,
  diffOf,
  MANIFEST_FILE,
  parseManifest,
  serializeManifest,
  TXN_DIR,
  WRITES,
  type Changes,
  type DecideOptions,
  type Decision,
  type Extra,
  type Manifest,
  type TxnStatus,
} from '../apply/index.js';
import type { DeployKitConfig } from '../config/types.js';
import { planKit } from '../plan/index.js';
import { kitTemplates } from '../plan/kit-templates.js';
import type { Out } from './output.js';
import { summarize } from './output.js';
import { BuildabilityError, UserError } from '../errors.js';
import { buildProblems, diskReader, formatBuildProblem } from '../doctor/buildable.js';

/** What plan and check say about an interrupted apply that the next `generate` repairs. */
export function pendingNote(pending: TxnStatus | undefined): string | null {
  if (!pending || pending.kind === 'none') return null;
  if (pending.kind === 'running') {
    return `another deploy-kit (pid ${pending.pid}) is applying changes right now; this shows the files as they are at this moment.`;
  }
  if (pending.kind === 'prepared') {
    return (
      `an interrupted apply is pending repair (${TXN_DIR}): the next \`deploy-kit generate\` rolls it back first. ` +
      'What follows is what generate will do after that.'
    );
  }
  return `an interrupted apply left ${TXN_DIR} behind; the next \`deploy-kit generate\` removes it (no file needs repair).`;
}

/** A kept edit (or deletion) that generate has not seen yet: check reports it unless edits are allowed. */
const unacceptedEdit = (d: Decision) => (d.kind === 'keep-edited' || d.kind === 'keep-deleted') && !d.accepted;

/**
 * What `check` reports: every file generate would change, and every file that differs from its
 * render by an edit generate has not kept yet (unless `allowEdits`). Generated files come as
 * decisions; deploy-kit's own state (manifest, merge bases, schema) as paths, since generate
 * rewrites those too. With `allowEdits`, a manifest that would change only to record an edit as
 * kept is not drift.
 */
export function driftOf(changes: Changes, allowEdits = false): { decisions: Decision[]; state: string[] } {
  const decisions = changes.decisions.filter((d) => WRITES.has(d.kind) || d.kind === 'blocked' || (!allowEdits && unacceptedEdit(d)));
  const seen = new Set(decisions.map((d) => d.path));
  const state = changes.ops
    .filter((o) => !(allowEdits && o.path === MANIFEST_FILE && o.content !== null && sameButAccepted(changes.manifest, parseManifest(o.content))))
    .map((o) => o.path)
    .filter((p) => !seen.has(p));
  return { decisions, state };
}

/** Two manifests that differ at most in which edits they record as kept. */
function sameButAccepted(a: Manifest, b: Manifest): boolean {
  const strip = (m: Manifest) => {
    const files = Object.fromEntries(Object.entries(m.files).map(([p, e]) => [p, { ...e, accepted: undefined }]));
    return serializeManifest({ ...m, files });
  };
  return strip(a) === strip(b);
}

/**
 * Plans the kit for `config` against the disk. deploy-kit.yaml (the one in `extras`, else the
 * one on disk) is written with this version in its `deployKit` field, like any other change.
 */
export async function planChanges(root: string, config: DeployKitConfig, opts: DecideOptions, extras: Extra[] = []): Promise<Changes> {
  // planKit refuses (RefusalError) what the generators cannot render before anything is written.
  const files = await planKit({ config, kit: kitTemplates() });
  // An image that cannot build is an error with the fix, never a kit that reports success.
  const problems = buildProblems(config, files, diskReader(root));
  if (problems.length > 0) throw new BuildabilityError(problems.map(formatBuildProblem));
  const given = extras.find((e) => e.path === CONFIG_FILE);
  const text = given ? given.content : readIfPresent(join(root, CONFIG_FILE));
  const stamped = text === null ? null : stampVersion(text, VERSION);
  const withStamp = stamped === null || stamped === text ? extras : [...extras.filter((e) => e !== given), { path: CONFIG_FILE, content: stamped }];
  return computeChanges(root, files, opts, withStamp);
}

function readIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The summary line for deploy-kit.yaml when the changes write it: [path, what happens], as summarize takes it. */
export function configLine(root: string, changes: Changes, dryRun: boolean): Array<[string, string]> {
  if (!changes.ops.some((o) => o.path === CONFIG_FILE)) return [];
  const created = readIfPresent(join(root, CONFIG_FILE)) === null;
  return [[CONFIG_FILE, dryRun ? (created ? 'would create' : 'would update') : created ? 'created' : 'updated']];
}

/**
 * Shows and applies (or, dry, only shows) a set of changes. Blocked paths stop everything
 * before the first write; conflicts are written with markers and make the exit code 1.
 * `show` prints the list of files (interactive init shows it inside the prompt frame).
 */
export function applyAndReport(root: string, changes: Changes, out: Out, dryRun: boolean, show: (list: string) => void = (l) => out.print(l)): number {
  if (dryRun) {
    const writes = changes.decisions.filter((d) => WRITES.has(d.kind) || d.kind === 'blocked');
    show(summarize(changes.decisions, true, configLine(root, changes, true)));
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
  const config = configLine(root, changes, false);
  try {
    applyChanges(root, changes);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // A system error (a full disk, a permission) stopped the apply before its commit point,
    // and applyChanges rolled back what it had written.
    if (typeof err.code === 'string' && err.code.startsWith('E')) {
      throw new UserError(`could not apply the changes: ${err.message}\nNothing was changed: the apply was rolled back.`);
    }
    throw err;
  }
  show(summarize(changes.decisions, false, config));
  if (changes.conflicts.length > 0) {
    out.error(
      `${changes.conflicts.length} file(s) have conflicts between your edits and the new render: ` +
        `${changes.conflicts.map((d) => d.path).join(', ')}\n` +
        `Resolve the <<<<<<< / >>>>>>> blocks, then run \`${CLI} generate\` again.`,
    );
    return 1;
  }
  return 0;
}
