import { DeployKitError, UsageError } from '../errors.js';
import { closest } from '../util/closest.js';
import { VERSION } from '../version.js';
import type { CliContext, CommandContext, CommandName } from './context.js';


interface Command {
  summary: string;
  /** One module may serve several commands; run() is told which one. */
  load: () => Promise<{ run(ctx: CommandContext, argv: string[], command: CommandName): Promise<number> }>;
}

const COMMANDS: Record<CommandName, Command> = {
  init: { summary: 'Detect the stack, ask what detection cannot answer, write deploy-kit.yaml and the kit', load: () => import('./commands/init.js') },
  generate: { summary: 'Render the kit from deploy-kit.yaml, keeping your edits', load: () => import('./commands/generate.js') },
  plan: { summary: 'Show what generate would change, as a unified diff; writes nothing', load: () => import('./commands/generate.js') },
  check: { summary: 'Exit 1 when any file is not what deploy-kit.yaml renders (stale, missing, edited; for CI)', load: () => import('./commands/generate.js') },
  add: { summary: 'Add a deployment target to deploy-kit.yaml and generate its files', load: () => import('./commands/targets.js') },
  remove: { summary: 'Remove a target; its unmodified files are deleted, edited ones kept', load: () => import('./commands/targets.js') },
  doctor: { summary: 'Audit the repository before deploying: env vars, branches, secrets, Dockerfile, workflows', load: () => import('./commands/doctor.js') },
};

const isCommand = (word: string | undefined): word is CommandName => word !== undefined && Object.hasOwn(COMMANDS, word);

function usage(bin: string): string {
  const lines = [`deploy-kit ${VERSION}: writes the deployment layer of a repository`, '', `Usage: ${bin} <command> [dir] [options]`, '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(9)} ${c.summary}`);
  lines.push('', `Run \`${bin} <command> --help\` for a command's options.`);
  return lines.join('\n');
}

/**
 * The CLI entry: argv in, exit code out. The only place that turns errors into messages.
 * `defaultCommand` is "init" for create-deploy-kit (`npm create deploy-kit`).
 */
export async function main(ctx: CliContext, bin: string, defaultCommand?: CommandName): Promise<number> {
  const argv = [...ctx.argv];
  const verbose = argv.includes('--verbose');
  try {
    const first = argv[0];
    const named = isCommand(first);
    let name: CommandName | undefined;
    if (named) {
      argv.shift();
      name = first;
    } else {
      if (argv.includes('--version') || argv.includes('-v')) {
        ctx.out.print(VERSION);
        return 0;
      }
      if (!defaultCommand) {
        if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
          ctx.out.print(usage(bin));
          return argv.length === 0 ? 2 : 0;
        }
        const near = argv[0]!.startsWith('-') ? undefined : closest(argv[0]!, Object.keys(COMMANDS));
        throw new UsageError(`unknown command "${argv[0]}"${near ? ` (did you mean ${near}?)` : ''}`, `commands: ${Object.keys(COMMANDS).join(', ')}`);
      }
      name = defaultCommand;
    }
    const mod = await COMMANDS[name].load();
    const invocation = bin === 'create-deploy-kit' ? `npm create deploy-kit --${named ? ` ${name}` : ''}` : `${bin} ${name}`;
    return await mod.run({ ...ctx, invocation }, argv, name);
  } catch (e) {
    // Errors raised on purpose carry their message, hint and exit code; anything else is a bug.
    if (e instanceof DeployKitError) {
      ctx.out.error(e.hint ? `${e.message}\n${e.hint}` : e.message);
      if (verbose && e.stack) ctx.out.error(e.stack);
      return e.exitCode;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    ctx.out.error(`unexpected error: ${err.message}${verbose ? '' : ' (run with --verbose for details)'}`);
    if (verbose && err.stack) ctx.out.error(err.stack);
    return 1;
  }
}
