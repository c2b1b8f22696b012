import { CLI } from '../../version.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { upgradeNote } from '../../config/kit-version.js';
import { configSchema, parseConfig } from '../../config/load.js';
import { CONFIG_FILE, type DeployKitConfig, type TargetConfig } from '../../config/types.js';
import { renderNewConfig, updateConfig } from '../../config/write.js';
import { closest } from '../../util/closest.js';
import { helpText, parse, type CommandSpec } from '../args.js';
import { UsageError, UserError } from '../../errors.js';
import { applyAndReport, planChanges } from '../regenerate.js';
import { readConfig, repairInterruptedApply, repoRoot } from '../repo.js';
import { answer } from '../../prompts/questions.js';
import type { CliContext, CommandContext } from '../context.js';
import { INIT_SPEC, validateInitFlags } from '../init-flags.js';
import { checkOption, combinationProblem, type OptionSchema } from '../target-values.js';
import { newConfig } from '../new-config.js';

type Schema = OptionSchema & {
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};

export interface TargetOption {
  key: string;
  flag: string;
  kind: 'string' | 'integer' | 'boolean';
  required: boolean;
  description: string;
  /** The option's schema: what checkOption checks a value against. */
  schema: OptionSchema;
}

function targetSchema(): Schema {
  return (configSchema().definitions as Record<string, Schema>).target!;
}

/** Every target type the schema allows, in its order. */
export function targetTypes(): string[] {
  const t = targetSchema();
  const branches = t.oneOf ?? t.anyOf;
  const typesOf = (b: Schema): string[] => {
    const type = b.properties?.type;
    if (typeof type?.const === 'string') return [type.const];
    return (type?.enum ?? []).filter((v): v is string => typeof v === 'string');
  };
  if (branches) return branches.flatMap(typesOf);
  return (t.properties?.type?.enum ?? []).map(String);
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A target's options as flags, read from the schema so a new option needs no CLI change. */
export function targetOptions(type: string): TargetOption[] {
  const t = targetSchema();
  const branch =
    (t.oneOf ?? t.anyOf)?.find((b) => b.properties?.type?.const === type || (b.properties?.type?.enum ?? []).includes(type)) ?? t;
  return Object.entries(branch.properties ?? {})
    .filter(([k]) => k !== 'type')
    .flatMap(([key, s]) => {
      const types = Array.isArray(s.type) ? s.type : [s.type];
      const kind = types.includes('boolean')
        ? 'boolean'
        : types.includes('integer') || types.includes('number')
          ? 'integer'
          : types.includes('string') || s.enum
            ? 'string'
            : undefined;
      if (!kind) return [];
      const required = (branch.required ?? []).includes(key);
      return [{ key, flag: kebab(key), kind, required, description: s.description ?? '', schema: s } satisfies TargetOption];
    });
}

function specFor(mode: 'add' | 'remove', type: string | undefined): CommandSpec {
  const opts = mode === 'add' && type ? targetOptions(type) : [];
  const options: CommandSpec['options'] = { 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } };
  const help: Record<string, string> = {};
  for (const o of opts) {
    options[o.flag] = { type: o.kind === 'boolean' ? 'boolean' : 'string' };
    help[o.flag] = `${o.description}${o.required ? ' (required)' : ''}`;
  }
  if (mode === 'add') {
    // A repo without a kit gets one first: init's flags apply then.
    for (const [k, v] of Object.entries(INIT_SPEC.options)) if (!(k in options)) options[k] = v;
  }
  help['dry-run'] = 'Show the diff; write nothing';
  help.force = 'Replace existing files that deploy-kit did not write';
  return {
    summary:
      mode === 'add'
        ? `Add a deployment target (${targetTypes().join(', ')}) to deploy-kit.yaml and generate its files. On a repo with no kit, runs init first.`
        : 'Remove a target from deploy-kit.yaml; its generated files are deleted when unmodified and kept (with a warning) when you edited them.',
    usage: `deploy-kit ${mode} <target> [dir] [options]`,
    maxPositionals: 2,
    options,
    help,
  };
}

function knownType(name: string | undefined, mode: string): string {
  const types = targetTypes();
  if (!name) throw new UsageError(`which target? ${mode} one of: ${types.join(', ')}`, `usage: deploy-kit ${mode} <target> [dir]`);
  if (!types.includes(name)) {
    const near = closest(name, types);
    throw new UsageError(`unknown target "${name}"${near ? ` (did you mean "${near}"?)` : ''}; targets: ${types.join(', ')}`);
  }
  return name;
}

export async function run(ctx: CommandContext, argv: string[], mode: 'add' | 'remove'): Promise<number> {
  const firstPositional = argv.find((a) => !a.startsWith('-'));
  if (argv.includes('--help') || argv.includes('-h')) {
    ctx.out.print(helpText(specFor(mode, firstPositional && targetTypes().includes(firstPositional) ? firstPositional : undefined)));
    return 0;
  }
  const type = knownType(firstPositional, mode);
  const { values, positionals } = parse(specFor(mode, type), argv, ctx.invocation);
  const dryRun = Boolean(values['dry-run']);
  const root = repoRoot(ctx.cwd, positionals[1], !dryRun);
  if (!dryRun) repairInterruptedApply(root, ctx.out);
  const hasKit = existsSync(join(root, CONFIG_FILE));

  if (mode === 'remove') {
    if (!hasKit) throw new UserError(`no ${CONFIG_FILE} in ${root}: there is no target to remove`);
    const { config, document } = readConfig(root, `remove ${type}`);
    const upgrade = upgradeNote(config, `remove ${type}`);
    if (upgrade) ctx.out.error(upgrade);
    const index = config.targets.findIndex((t) => t.type === type);
    if (index < 0) throw new UserError(`${CONFIG_FILE} has no "${type}" target; it has: ${config.targets.map((t) => t.type).join(', ') || 'none'}`);
    document.deleteIn(['targets', index]);
    return write(ctx, root, document.toString({ lineWidth: 0 }), values, dryRun);
  }

  const target = await targetFrom(ctx, type, values);
  if (!hasKit) {
    validateInitFlags(values);
    const fresh = await newConfig(ctx, root, values);
    if (fresh.config.targets.some((t) => t.type === type)) {
      // init's default kit already holds this target; the options given still apply.
      fresh.config.targets = fresh.config.targets.map((t) => (t.type === type ? target : t));
    } else fresh.config.targets.push(target);
    return write(ctx, root, renderNewConfig(fresh.config), values, dryRun);
  }
  const { config, document } = readConfig(root, `add ${type}`);
  const upgrade = upgradeNote(config, `add ${type}`);
  if (upgrade) ctx.out.error(upgrade);
  if (config.targets.some((t) => t.type === type)) {
    throw new UserError(`${CONFIG_FILE} already has a "${type}" target; edit its options there and run \`${CLI} generate\``);
  }
  // An empty list is re-created (as a block list, not `[]` flow style); otherwise append, keeping comments.
  const text =
    config.targets.length === 0
      ? updateConfig(document, [[['targets'], document.createNode([target])]])
      : (document.addIn(['targets'], document.createNode(target)), document.toString({ lineWidth: 0 }));
  return write(ctx, root, text, values, dryRun);
}

/** The target's options from its flags; a required one not given is asked for, or listed (exit 2) without a terminal. */
async function targetFrom(ctx: CommandContext, type: string, values: Record<string, unknown>): Promise<TargetConfig> {
  const options = targetOptions(type);
  const given: Record<string, unknown> = {};
  // Flags and answers go through the same check, which also normalises (a URL becomes its host).
  const check = (o: TargetOption, raw: string) => checkOption(o.schema, o.kind, raw);
  for (const o of options) {
    const v = values[o.flag];
    if (v === undefined) continue;
    if (o.kind === 'boolean') {
      given[o.key] = v;
      continue;
    }
    const checked = check(o, typeof v === 'string' ? v : JSON.stringify(v));
    if ('problem' in checked) throw new UsageError(`--${o.flag}: ${checked.problem}`);
    given[o.key] = checked.value;
  }
  const defaults = Object.fromEntries(options.map((o) => [o.key, o.schema.default]));
  const together = combinationProblem(type, given, defaults);
  if (together) throw new UsageError(together);
  const missing = options.filter((o) => o.required && given[o.key] === undefined);
  const prompts = missing.length && ctx.interactive && !values.yes ? await import('../../prompts/index.js') : undefined;
  const io = { input: ctx.input, output: ctx.output };
  const answers = await answer(
    missing.map((o) => ({
      key: o.key,
      flag: `--${o.flag}`,
      label: `${type}: ${o.description || o.key}`,
      placeholder: o.key,
      validate: (v: string) => {
        const checked = check(o, v);
        return 'problem' in checked ? checked.problem : combinationProblem(type, { ...given, [o.key]: checked.value }, defaults);
      },
    })),
    {
      ask: prompts && ((p) => prompts.ask(p, io)),
      yes: Boolean(values.yes),
      invocation: `${ctx.invocation} ${type}`,
      missing: (flags) => `the ${type} target needs ${flags}, and there is no terminal to ask`,
      note: (text) => ctx.out.error(text),
    },
  );
  for (const o of missing) {
    const checked = check(o, answers[o.key]!);
    given[o.key] = 'value' in checked ? checked.value : answers[o.key];
  }
  // The schema checks the whole target once it is in deploy-kit.yaml (write() parses it like a hand edit).
  return { type, ...given } as TargetConfig;
}

/** Validates the new config text exactly as a hand edit would be, then regenerates with it. */
async function write(ctx: CliContext, root: string, configText: string, values: Record<string, unknown>, dryRun: boolean): Promise<number> {
  const { config } = parseConfig(configText) as { config: DeployKitConfig };
  const changes = await planChanges(root, config, { force: Boolean(values.force) }, [{ path: CONFIG_FILE, content: configText }]);
  for (const d of changes.decisions) {
    if (d.kind === 'keep-orphan') {
      ctx.out.error(`warning: ${d.path} belonged to a removed target but you edited it, so it was kept; delete it when you no longer need it`);
    }
  }
  return applyAndReport(root, changes, ctx.out, dryRun);
}
