import type { CommandName } from './context.js';
import { main } from './main.js';
import { processOut } from './output.js';

/** Runs the CLI against this process: argv, terminals, exit code. */
export async function runCli(bin: string, defaultCommand?: CommandName): Promise<void> {
  // `deploy-kit plan | head`: the reader left, so there is nobody to print to. Stop quietly, as
  // other command-line tools do, instead of crashing with an EPIPE stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
  process.exitCode = await main(
    { argv: process.argv.slice(2), cwd: process.cwd(), out: processOut(), interactive, input: process.stdin, output: process.stdout },
    bin,
    defaultCommand,
  );
}
