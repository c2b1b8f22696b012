/** What `init` takes from an Elixir service's facts. */
import type { ServiceConfig } from '../../src/config/types.js';
import { ELIXIR_DEFAULT, ELIXIR_OTP, defaultOtp } from '../../src/versions.js';
import { TCP_HEALTH, detected } from '../shared.js';
import type { Detected, ServiceAnswers, ServiceQuestions } from '../types.js';
import type { ElixirFacts } from './types.js';

/** Phoenix's, Bandit's and Plug.Cowboy's default port alike. */
const DEFAULT_PORT = 4000;

/** An Elixir project is a service when it serves HTTP (Phoenix, Plug) or starts an OTP application. */
export function elixirDeployable(f: ElixirFacts): string | undefined {
  // Its lockfile and deps live in the umbrella root, outside its own build context.
  if (f.umbrellaChild) return undefined;
  if (f.hexPackage) return undefined;
  if (f.framework) return `${f.framework.value} app: ${f.framework.evidence}`;
  return f.application ? `OTP application ${f.application.value}: ${f.application.evidence}` : undefined;
}

/** The release's start command: `bin/<release> start` (run from /app in the image). */
const startOf = (release: string): string => `bin/${release} start`;

export function elixirQuestions(f: ElixirFacts): ServiceQuestions {
  const release = f.release?.value;
  return {
    port: detected(f.port),
    healthPath: detected(f.healthPath),
    start: release ? { value: startOf(release), evidence: f.release!.evidence } : undefined,
    needsStart: true,
    fallback: { port: String(DEFAULT_PORT), healthPath: TCP_HEALTH, ...(release ? { start: startOf(release) } : {}) },
  };
}

export function elixirLanguageVersion(f: ElixirFacts): Detected {
  if (f.elixirVersion) return { value: f.elixirVersion.value, evidence: f.elixirVersion.evidence };
  return { value: ELIXIR_DEFAULT, evidence: `no .tool-versions or mix.exs elixir requirement: Elixir ${ELIXIR_DEFAULT}` };
}

/** The OTP major: the repo's, if the Elixir minor supports it, else the newest that minor supports. */
export function elixirOtp(f: ElixirFacts, minor: string): string {
  const range = ELIXIR_OTP[minor];
  const asked = f.otpVersion ? Number(f.otpVersion.value) : undefined;
  if (asked !== undefined && (!range || (asked >= range.min && asked <= range.max))) return String(asked);
  return defaultOtp(minor);
}

export function elixirConfig(f: ElixirFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  const languageVersion = a.languageVersion ?? f.elixirVersion?.value ?? ELIXIR_DEFAULT;
  const release = f.release?.value ?? base.name.replace(/-/g, '_');
  return {
    ...base,
    stack: 'elixir',
    framework: f.framework?.value ?? 'none',
    languageVersion,
    otpVersion: elixirOtp(f, languageVersion),
    ...(f.deps.length === 0 ? { mixDeps: false } : {}),
    ...(f.deps.length > 0 && !f.lockfile ? { lockfile: false } : {}),
    ...(f.compileConfig.length > 0 ? { compileConfig: f.compileConfig } : {}),
    build: a.build ?? (f.assets ? 'mix assets.deploy' : null),
    test: a.test ?? 'mix test',
    start: a.start ?? startOf(release),
    ...(f.releaseModule ? { migrate: `bin/${release} eval ${f.releaseModule.value}.migrate` } : {}),
    port: a.port,
    ...(f.portEnv ? { portEnv: f.portEnv.value } : {}),
    ...(f.databaseUrlEnv ? { databaseUrlEnv: f.databaseUrlEnv.value } : {}),
    ...(a.healthPath !== undefined ? { healthPath: a.healthPath } : {}),
  };
}
