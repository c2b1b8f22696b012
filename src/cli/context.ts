/** What the CLI hands every command: kept apart from main.ts so commands never import the module that loads them. */
import type { Out } from './output.js';

export interface CliContext {
  argv: string[];
  cwd: string;
  out: Out;
  /** Whether prompts may be shown (stdin and stdout are terminals). */
  interactive: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** What a command module gets: the context, plus how the user invoked it, for hints that repeat the command line. */
export interface CommandContext extends CliContext {
  /** e.g. `deploy-kit plan`, or `npm create deploy-kit --` (npm passes flags on only after a `--`). */
  invocation: string;
}

export type CommandName = 'init' | 'generate' | 'plan' | 'check' | 'add' | 'remove' | 'doctor';
