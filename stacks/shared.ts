/** Helpers the stack modules share. */
import type { Fact } from '../src/detect/fact.js';
import type { ServiceConfig } from '../src/config/types.js';
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

/**
 * The app's own port and listen-address variables (deploy-kit.yaml portEnv, listenAddrEnv) with
 * the values the kit sets beside PORT: the port, and `0.0.0.0:<port>` (every interface).
 */
export function appPortEnv(s: Pick<ServiceConfig, 'port' | 'portEnv' | 'listenAddrEnv'>): { name: string; value: string }[] {
  return [
    ...(s.portEnv ? [{ name: s.portEnv, value: String(s.port) }] : []),
    ...(s.listenAddrEnv ? [{ name: s.listenAddrEnv, value: `0.0.0.0:${s.port}` }] : []),
  ];
}
