import { CLI } from '../../version.js';
import { helpText, parse, type CommandSpec } from '../args.js';
import type { CommandContext } from '../context.js';

/** The three commands this module serves: they share the plan, and differ in what they do with it. */
export type GenerateCommand = 'generate' | 'plan' | 'check';

// force and restore change what generate would do, so plan and check take them too.
const DECIDE_OPTIONS: CommandSpec['options'] = { force: { type: 'boolean' }, restore: { type: 'boolean' } };
const DECIDE_HELP = {
  force: 'Replace files that exist but were not written by deploy-kit',
  restore: 'Recreate generated files you deleted',
};

const SPECS: Record<GenerateCommand, CommandSpec> = {
  generate: {
    summary: 'Render the kit from deploy-kit.yaml. Files you edited are merged, never overwritten.',
    usage: 'deploy-kit generate [dir] [--dry-run] [--force] [--restore]',
    maxPositionals: 1,
    options: { 'dry-run': { type: 'boolean' }, ...DECIDE_OPTIONS },
    help: { 'dry-run': 'Show what would change as a unified diff; write nothing (same as `deploy-kit plan`)', ...DECIDE_HELP },
  },
  plan: {
    summary: 'Show what `deploy-kit generate` would change, as a unified diff; writes nothing.',
    usage: 'deploy-kit plan [dir] [--force] [--restore]',
    maxPositionals: 1,
    options: DECIDE_OPTIONS,
    help: DECIDE_HELP,
  },
  check: {
    summary: [
      'Exit 1 when the kit on disk is not what deploy-kit.yaml renders; writes nothing. It reports every file that:',
      '  - generate would change: a stale render, a new file, a render your edits must be merged into, a file in the way;',
      '  - differs from its render by an edit (or deletion) generate has not kept yet: run generate to keep it, or pass',
      '    --allow-edits. A file equal to an earlier render of deploy-kit is stale, never an edit;',
      "  - is deploy-kit's own and generate would rewrite: its state in .deploy-kit/, deploy-kit.yaml's deployKit version.",
      'An interrupted apply that generate must repair fails it too. Exit 0 when nothing does.',
    ].join('\n'),
    usage: 'deploy-kit check [dir] [--allow-edits] [--force] [--restore]',
    maxPositionals: 1,
    options: { 'allow-edits': { type: 'boolean' }, ...DECIDE_OPTIONS },
    help: { 'allow-edits': 'Pass files you edited on purpose that generate would keep (stale renders still fail)', ...DECIDE_HELP },
  },
};

export async function run(ctx: CommandContext, argv: string[], command: GenerateCommand): Promise<number> {
  const { values, positionals } = parse(SPECS[command], argv, ctx.invocation);
  if (values.help) {
    ctx.out.print(helpText(SPECS[command]));
    return 0;
  }
  const mode: GenerateCommand = command === 'generate' && values['dry-run'] ? 'plan' : command;
  // Loaded after --help: these pull in ajv, yaml, handlebars and the apply layer.
  const { applyAndReport, driftOf, pendingNote, planChanges, readConfig, repairInterruptedApply, repoRoot, summarize, upgradeNote } = await import(
    './generate-deps.js'
  );
  const root = repoRoot(ctx.cwd, positionals[0], mode === 'generate');
  // generate repairs an interrupted apply first; plan and check only say it is pending.
  if (mode === 'generate') repairInterruptedApply(root, ctx.out);
  const { config } = readConfig(root, mode);
  const upgrade = upgradeNote(config, mode);
  if (upgrade) ctx.out.error(upgrade);
  const changes = await planChanges(root, config, { force: Boolean(values.force), restore: Boolean(values.restore) });
  const pending = mode === 'generate' ? null : pendingNote(changes.pending);
  if (pending) ctx.out.error(pending);
  if (mode === 'check') {
    const drift = driftOf(changes, Boolean(values['allow-edits']));
    if (drift.decisions.length === 0 && drift.state.length === 0 && !pending) {
      const edits = changes.decisions.filter((d) => d.kind === 'keep-edited' || d.kind === 'keep-deleted').length;
      ctx.out.print(`deploy-kit: the kit matches deploy-kit.yaml${edits ? ` (with your edits to ${edits} file(s))` : ''}.`);
      return 0;
    }
    const lines = [summarize(drift.decisions, 'check'), ...drift.state.map((p) => `  ${p}  would update (deploy-kit state)`)].filter(Boolean);
    if (lines.length > 0) ctx.out.print(lines.join('\n'));
    const n = drift.decisions.length + drift.state.length;
    const edits = drift.decisions.some((d) => d.kind === 'keep-edited' || d.kind === 'keep-deleted');
    ctx.out.error(
      n > 0
        ? `${n} file(s) differ from what deploy-kit.yaml renders; run \`${CLI} generate\` (or \`plan\` to see the diff)` +
            (edits ? '; pass --allow-edits to accept edits you made on purpose.' : '.')
        : `run \`${CLI} generate\` to finish the interrupted apply.`,
    );
    return 1;
  }
  return applyAndReport(root, changes, ctx.out, mode === 'plan');
}
