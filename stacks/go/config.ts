/** What `init` takes from a Go service's facts. */
import type { ServiceConfig } from '../../src/config/types.js';
import { slugify } from '../../src/detect/shared.js';
import { GO_DEFAULT } from '../../src/versions.js';
import { TCP_HEALTH, detected } from '../shared.js';
import type { Detected, ServiceAnswers, ServiceQuestions } from '../types.js';
import type { GoFacts, GoFrontendFacts } from './types.js';
import type { GoFrontendConfig } from '../../src/config/types.js';

/** The port Go servers conventionally take, when the code names none. */
const DEFAULT_PORT = 8080;

/** A Go module is a service when it has a main package to build. */
export function goDeployable(f: GoFacts): string | undefined {
  return f.mainPackage ? `main package ${f.mainPackage.value}: ${f.mainPackage.evidence}` : undefined;
}

export function goQuestions(f: GoFacts): ServiceQuestions {
  // The binary is the command: nothing to ask (a --start flag still sets name and arguments).
  return {
    port: detected(f.port),
    healthPath: detected(f.healthPath),
    start: undefined,
    needsStart: false,
    fallback: { port: String(DEFAULT_PORT), healthPath: TCP_HEALTH },
  };
}

/** The go.mod `go` line is a minimum: the newest Go builds it, unless it asks for something newer still. */
function goVersionFor(goLine: string | undefined): string {
  const minor = goLine?.split('.').slice(0, 2).join('.');
  if (!minor || !/^1\.\d+$/.test(minor)) return GO_DEFAULT;
  return Number(minor.split('.')[1]) > Number(GO_DEFAULT.split('.')[1]) ? minor : GO_DEFAULT;
}

export function goLanguageVersion(f: GoFacts): Detected {
  const v = goVersionFor(f.goVersion?.value);
  return {
    value: v,
    evidence: f.goVersion ? `${f.goVersion.evidence} (a minimum${v !== GO_DEFAULT ? '' : `; Go ${GO_DEFAULT} builds it`})` : `no go line: Go ${GO_DEFAULT}`,
  };
}

export function goConfig(f: GoFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  return {
    ...base,
    stack: 'go',
    mainPackage: f.mainPackage?.value ?? '.',
    // cgo: CGO_ENABLED=1 on the Debian golang image, run on distroless/cc (glibc).
    ...(f.cgo.value ? { cgo: true } : {}),
    // The embedded web UI: built with Node before go build.
    ...(f.frontend ? { frontend: frontendConfig(f.frontend.value) } : {}),
    languageVersion: a.languageVersion ?? goVersionFor(f.goVersion?.value),
    test: a.test ?? 'go test ./...',
    // The binary is named after cmd/<name> or the module; `start` is that name (and any arguments).
    start: a.start ?? [f.name?.value ? slugify(f.name.value) || 'app' : 'app', ...(f.serve ? [f.serve.value] : [])].join(' '),
    port: a.port,
    ...(f.portEnv ? { portEnv: f.portEnv.value } : {}),
    ...(f.listenAddrEnv ? { listenAddrEnv: f.listenAddrEnv.value } : {}),
    ...(a.healthPath !== undefined ? { healthPath: a.healthPath } : {}),
  };
}

function frontendConfig(f: GoFrontendFacts): GoFrontendConfig {
  const { lockfile, ...rest } = f;
  return { ...rest, ...(lockfile ? {} : { lockfile: false }) };
}
