import type { CommandName } from './context.js';
import { main } from './main.js';
import { processOut } from './output.js';

/** Runs the CLI against this process: argv, terminals, exit code. */
export async function runCli(bin: string, defaultCommand?: CommandName): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
  process.exitCode = await main(
    { argv: process.argv.slice(2), cwd: process.cwd(), out: processOut(), interactive, input: process.stdin, output: process.stdout },
    bin,
    defaultCommand,
  );
}
