import { CLI } from '../../version.js';
import { existsSync, readFileSync } from 'node:fs';
import { gitignoreWithEnv } from '../../apply/adopt.js';
import { join } from 'node:path';
import { patchesFromValues } from '../../config/build.js';
import { upgradeNote } from '../../config/kit-version.js';
import { parseConfig } from '../../config/load.js';
import { CONFIG_FILE, type DeployKitConfig } from '../../config/types.js';
import { updateConfig } from '../../config/write.js';
import { helpText, parse } from '../args.js';
import { givenValues, INIT_SPEC, validateInitFlags, type FlagValues } from '../init-flags.js';
import type { CommandContext } from '../context.js';
import { newConfig } from '../new-config.js';
import { summarize } from '../output.js';
import { applyAndReport, configLine, planChanges } from '../regenerate.js';
import { readConfig, repairInterruptedApply, repoRoot } from '../repo.js';

export async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(INIT_SPEC, argv, ctx.invocation);
  if (values.help) {
    ctx.out.print(helpText(INIT_SPEC));
    return 0;
  }
  validateInitFlags(values);
  const dryRun = Boolean(values['dry-run']);
  const root = repoRoot(ctx.cwd, positionals[0], !dryRun);
  if (!dryRun) repairInterruptedApply(root, ctx.out);
  if (existsSync(join(root, CONFIG_FILE))) return reinit(ctx, root, values, dryRun);
  const force = Boolean(values.force);
  // The repo's own files are adopted, not refused: line files merged, any other kept and listed.
  const gitignore = gitignoreWithEnv(existsSync(join(root, '.gitignore')) ? readFileSync(join(root, '.gitignore'), 'utf8') : null);
  const plan = (config: DeployKitConfig, configText: string) =>
    planChanges(root, config, { force, adopt: true }, [
      { path: CONFIG_FILE, content: configText },
      ...(gitignore ? [{ path: '.gitignore', content: gitignore }] : []),
    ]);
  // A person reviewing the answers sees the targets and the files before anything is written.
  const preview = async (config: DeployKitConfig, configText: string) => {
    const changes = await plan(config, configText);
    const targets = `Targets: ${config.targets.map((t) => t.type).join(', ')}; CI: ${config.ci.provider}. In ${root}:`;
    return `${targets}\n${summarize(changes.decisions, true, configLine(root, changes, true)).replace(/^ {2}/gm, '')}`;
  };
  const fresh = await newConfig(ctx, root, values, dryRun ? undefined : preview);
  const planned = await plan(fresh.config, fresh.configText);
  const kept = planned.blocked.map((d) => d.path);
  // Kept files are listed once, below, as kept: not as BLOCKED among the files written.
  const changes = { ...planned, decisions: planned.decisions.filter((d) => d.kind !== 'blocked'), blocked: [] };
  const { prompts, io } = fresh;
  // Interactive, the list of files goes inside the prompt frame.
  const inFrame = prompts && ((list: string) => prompts.note(list.replace(/^ {2}/gm, ''), dryRun ? 'Would write' : 'Wrote', io));
  const code = applyAndReport(root, changes, ctx.out, dryRun, inFrame);
  if (kept.length > 0) {
    ctx.out.print(
      `Kept your ${kept.join(', ')} (not written by deploy-kit; the generated version was not written). ` +
        `\`${CLI} plan\` shows the difference; \`${CLI} generate --force\` replaces ${kept.length === 1 ? 'it' : 'them'} with the generated version.`,
    );
  }
  if (!dryRun && code === 0) {
    const done = `Wrote ${CONFIG_FILE} and the kit. Next: read DEPLOY.md; after editing ${CONFIG_FILE}, run \`${CLI} generate\`.`;
    if (prompts) prompts.outro(done, io);
    else ctx.out.print(done);
  }
  return code;
}

/** init in a repo that already has deploy-kit.yaml: apply the flags to it (comments kept), regenerate. */
async function reinit(ctx: CommandContext, root: string, values: FlagValues, dryRun: boolean): Promise<number> {
  const { config, document } = readConfig(root, 'init');
  const upgrade = upgradeNote(config, 'init');
  if (upgrade) ctx.out.error(upgrade);
  const patches = patchesFromValues(config, givenValues(values, config.services.map((s) => s.name)));
  let configText: string | undefined;
  let next = config;
  if (patches.length) {
    configText = updateConfig(document, patches);
    next = parseConfig(configText).config;
  }
  ctx.out.print(`${CONFIG_FILE} exists: ${patches.length ? 'updating it with the flags given, then ' : ''}regenerating the kit from it.`);
  const planned = await planChanges(root, next, { force: Boolean(values.force) }, configText ? [{ path: CONFIG_FILE, content: configText }] : []);
  return applyAndReport(root, planned, ctx.out, dryRun);
}
