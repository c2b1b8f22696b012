/** What `init` takes from a Rust service's facts. */
import type { ServiceConfig } from '../../src/config/types.js';
import { RUST_DEFAULT } from '../../src/versions.js';
import { TCP_HEALTH, detected } from '../shared.js';
import type { Detected, ServiceAnswers, ServiceQuestions } from '../types.js';
import type { RustFacts } from './types.js';

/** The port each framework's own examples use when the code names none (Rocket's default is 8000). */
function defaultPort(f: RustFacts): number {
  if (f.framework?.value === 'rocket') return 8000;
  if (f.framework?.value === 'axum') return 3000;
  return 8080;
}

/** A Cargo package is a service when it has a binary target to build. */
export function rustDeployable(f: RustFacts): string | undefined {
  return f.binary ? `binary ${f.binary.value}: ${f.binary.evidence}` : undefined;
}

export function rustQuestions(f: RustFacts): ServiceQuestions {
  // The binary is the command: nothing to ask (a --start flag still sets the binary and its arguments).
  return {
    port: detected(f.port),
    healthPath: detected(f.healthPath),
    start: undefined,
    needsStart: false,
    fallback: { port: String(defaultPort(f)), healthPath: TCP_HEALTH },
  };
}

const minor = (v: string): number => Number(v.split('.')[1]);

/** rust-toolchain.toml's channel as written; else the default, unless `rust-version` asks for something newer. */
function rustVersionFor(f: RustFacts): string {
  if (f.toolchain) return f.toolchain.value;
  const rv = f.rustVersion?.value.split('.').slice(0, 2).join('.');
  return rv && /^1\.\d+$/.test(rv) && minor(rv) > minor(RUST_DEFAULT) ? rv : RUST_DEFAULT;
}

export function rustLanguageVersion(f: RustFacts): Detected {
  const v = rustVersionFor(f);
  if (f.toolchain) return { value: v, evidence: f.toolchain.evidence };
  if (f.rustVersion) return { value: v, evidence: `${f.rustVersion.evidence} (a minimum${v === RUST_DEFAULT ? `; Rust ${RUST_DEFAULT} builds it` : ''})` };
  return { value: v, evidence: `no rust-toolchain.toml or rust-version: Rust ${RUST_DEFAULT}` };
}

export function rustConfig(f: RustFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  return {
    ...base,
    stack: 'rust',
    ...(f.framework ? { framework: f.framework.value } : {}),
    languageVersion: a.languageVersion ?? rustVersionFor(f),
    test: a.test ?? 'cargo test --locked',
    // `start` is the binary cargo builds (and any arguments).
    start: a.start ?? f.binary?.value ?? base.name,
    port: a.port,
    ...(a.healthPath !== undefined ? { healthPath: a.healthPath } : {}),
  };
}
