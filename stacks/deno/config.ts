/** What `init` takes from a Deno service's facts. */
import type { ServiceConfig } from '../../src/config/types.js';
import { DENO_DEFAULT } from '../../src/versions.js';
import { detected, TCP_HEALTH } from '../shared.js';
import type { Detected, ServiceAnswers, ServiceQuestions } from '../types.js';
import type { DenoFacts } from './types.js';

/** Deno.serve's own default port. */
const DEFAULT_PORT = 8000;

/** A Deno project is a service when there is a file to run. */
export function denoDeployable(f: DenoFacts): string | undefined {
  return f.start ? `${f.start.value}: ${f.start.evidence}` : undefined;
}

export function denoQuestions(f: DenoFacts): ServiceQuestions {
  return {
    port: detected(f.port),
    healthPath: detected(f.healthPath),
    start: detected(f.start),
    needsStart: true,
    fallback: { port: String(DEFAULT_PORT), healthPath: TCP_HEALTH },
  };
}

export function denoLanguageVersion(_f: DenoFacts): Detected {
  return { value: DENO_DEFAULT, evidence: `deno.json pins no Deno version: Deno ${DENO_DEFAULT}` };
}

export function denoConfig(f: DenoFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  return {
    ...base,
    stack: 'deno',
    framework: f.framework?.value ?? 'none',
    languageVersion: a.languageVersion ?? DENO_DEFAULT,
    test: a.test,
    start: a.start ?? f.start?.value ?? 'deno run --allow-net --allow-env main.ts',
    port: a.port,
    ...(f.portEnv ? { portEnv: f.portEnv.value } : {}),
    healthPath: a.healthPath,
  };
}
