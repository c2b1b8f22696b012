import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Returned instead of a result when the program does not exist (spawn ENOENT/EACCES). */
export const MISSING = Symbol('missing');

/**
 * Runs a program to completion, feeding `input` on stdin. Never throws for a non-zero exit:
 * the checkers turn output into findings. Resolves to MISSING when the program cannot be started.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: { input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult | typeof MISSING> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    // Our own timer (not spawn's `timeout`), unref'd and always cleared: spawn's lingers after an
    // ENOENT and keeps the process alive for its full duration.
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    timer.unref();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT' || error.code === 'EACCES') resolve(MISSING);
      else reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    // A program that exits before reading stdin (or is missing) makes the write fail with EPIPE;
    // the exit code and stderr already say what happened.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
