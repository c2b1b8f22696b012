import { CLI } from '../../version.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { patchesFromValues } from '../../config/build.js';
import { upgradeNote } from '../../config/kit-version.js';
import { parseConfig } from '../../config/load.js';
import { CONFIG_FILE } from '../../config/types.js';
import { updateConfig } from '../../config/write.js';
import { CancelledError } from '../../errors.js';
import { helpText, parse } from '../args.js';
import { givenValues, INIT_SPEC, validateInitFlags, type FlagValues } from '../init-flags.js';
import type { CommandContext } from '../context.js';
import { newConfig } from '../new-config.js';
import { applyAndReport, planChanges } from '../regenerate.js';
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
  const fresh = await newConfig(ctx, root, values);
  if (fresh.prompts && !dryRun && !(await fresh.prompts.confirm(`Write deploy-kit.yaml and the kit to ${root}?`, fresh.io))) {
    throw new CancelledError();
  }
  const changes = await planChanges(root, fresh.config, { force: Boolean(values.force) }, [{ path: CONFIG_FILE, content: fresh.configText }]);
  const code = applyAndReport(root, changes, ctx.out, dryRun);
  if (!dryRun && code === 0) {
    const done = `Wrote ${CONFIG_FILE} and the kit. Next: read DEPLOY.md; after editing ${CONFIG_FILE}, run \`${CLI} generate\`.`;
    if (fresh.prompts) fresh.prompts.outro(done, fresh.io);
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
