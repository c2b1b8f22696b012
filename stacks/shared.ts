/** Helpers the stack modules share. */
import type { Fact } from '../src/detect/fact.js';
import type { Detected, Probe } from './types.js';

/** A detected value with its evidence, as a string for prompts and flags. */
export function detected<T>(f: Fact<T> | undefined): Detected | undefined {
  return f ? { value: String(f.value), evidence: f.evidence } : undefined;
}

/**
 * The health-path answer for "no route": the probes connect to the port over TCP. What --yes takes
 * when the code serves no health route; a route is never invented.
 */
export const TCP_HEALTH = 'tcp';

/** The three forms of a probe from its argv and its shell command line. */
export function probeForms(argv: string[], shell: string): Probe {
  return { healthCheckArgs: JSON.stringify(argv), composeHealthTest: JSON.stringify(['CMD', ...argv]), healthProbeShell: shell };
}

/** `dir/file`, or `file` at the repo root (`dir` is ""). */
export function inDir(dir: string, file: string): string {
  return dir ? `${dir}/${file}` : file;
}
