/** What `init` takes from a Bun service's facts. */
import type { ServiceConfig } from '../../src/config/types.js';
import { BUN_DEFAULT } from '../../src/versions.js';
import { nginxQuestions } from '../nginx.js';
import { detected, TCP_HEALTH } from '../shared.js';
import type { Detected, ServiceAnswers, ServiceQuestions } from '../types.js';
import type { BunFacts } from './types.js';

/** Bun.serve's own default port (it also reads PORT). */
const DEFAULT_PORT = 3000;

/** A bun package is a service when there is a file for bun to run, or a site its build emits. */
export function bunDeployable(f: BunFacts): string | undefined {
  if (f.kind) return `static: ${f.kind.evidence}${f.lockfile ? `; ${f.lockfile.evidence}` : ''}`;
  if (!f.start) return undefined;
  return `${f.start.value}: ${f.start.evidence}${f.lockfile ? `; ${f.lockfile.evidence}` : ''}`;
}

export function bunQuestions(f: BunFacts): ServiceQuestions {
  if (f.kind?.value === 'static') return nginxQuestions();
  return {
    port: detected(f.port),
    healthPath: detected(f.healthPath),
    start: detected(f.start),
    needsStart: true,
    fallback: { port: String(DEFAULT_PORT), healthPath: TCP_HEALTH },
  };
}

export function bunLanguageVersion(f: BunFacts): Detected {
  return f.bunVersion ? { value: f.bunVersion.value, evidence: f.bunVersion.evidence } : { value: BUN_DEFAULT, evidence: `no bun version pinned: Bun ${BUN_DEFAULT}` };
}

export function bunConfig(f: BunFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  if (f.kind?.value === 'static') {
    const site: ServiceConfig = { ...base, stack: 'bun', kind: 'static', port: a.port };
    if (f.webFramework) site.webFramework = f.webFramework.value;
    site.outputDir = f.outputDir?.value ?? 'dist';
    if (f.basePath) site.basePath = f.basePath.value;
    if (f.workspaceRoot) site.workspaceRoot = f.workspaceRoot.value;
    return { ...site, languageVersion: a.languageVersion ?? f.bunVersion?.value ?? BUN_DEFAULT, build: a.build, test: a.test, healthPath: a.healthPath };
  }
  return {
    ...base,
    stack: 'bun',
    framework: f.framework?.value ?? 'none',
    languageVersion: a.languageVersion ?? f.bunVersion?.value ?? BUN_DEFAULT,
    build: a.build,
    test: a.test,
    start: a.start ?? f.start?.value ?? 'bun run index.ts',
    port: a.port,
    ...(f.portEnv ? { portEnv: f.portEnv.value } : {}),
    healthPath: a.healthPath,
  };
}
