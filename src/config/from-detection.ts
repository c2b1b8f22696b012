/**
 * Detected services -> service configs, the part of `init` that decides (pure: no disk, no
 * prompts). Detection says what it found and why; these functions turn it into config values,
 * with the defaults a senior engineer would pick when detection found nothing.
 */
import { slugify } from '../detect/shared.js';
import type { DetectedService, EnvVarFact, Fact, GoFacts, NodeFacts, PythonFacts } from '../detect/types.js';
import { goVersionFor } from '../plan/stacks.js';
import { GO_DEFAULT, NODE_LTS_MAJOR, PYTHON_DEFAULT } from '../versions.js';
import type { AddonsConfig, Framework, NodePackageManager, ServiceConfig } from './types.js';

/** What `init` asks (or reads from flags) per service; everything else comes from detection. */
export interface ServiceAnswers {
  port: number;
  healthPath: string;
  /** Undefined for a static site (nginx is the server). */
  start?: string;
  build: string | null;
  test: string | null;
  languageVersion?: string;
}

/** A detected value with its evidence, as a string for prompts and flags. */
export interface Detected {
  value: string;
  evidence: string;
}

const str = <T>(f: Fact<T> | undefined): Detected | undefined => (f ? { value: String(f.value), evidence: f.evidence } : undefined);

/** The per-service questions and what detection already answers. */
export interface ServiceQuestions {
  port: Detected | undefined;
  healthPath: Detected | undefined;
  /** Undefined when the stack has no start command to ask for (static sites). */
  start: Detected | undefined;
  needsStart: boolean;
  /** What --yes takes when detection found nothing. */
  fallback: { port: string; healthPath: string; start?: string };
}

/** Ports the runtimes default to, when the code names none. */
const DEFAULT_PORTS = { node: 3000, python: 8000, go: 8080, static: 8080 } as const;

/** A site nginx serves: the kit writes the server, so port and health route are the kit's own. */
export function servedByNginx(s: DetectedService): boolean {
  return s.stack === 'static' || (s.stack === 'node' && s.facts.kind?.value === 'static');
}

export function questionsFor(s: DetectedService): ServiceQuestions {
  if (servedByNginx(s)) {
    const fixed = { value: '8080', evidence: 'nginx in the image listens where the kit configures it' };
    return { port: fixed, healthPath: { value: '/healthz', evidence: 'the nginx config the kit writes answers it' }, start: undefined, needsStart: false, fallback: { port: '8080', healthPath: '/healthz' } };
  }
  switch (s.stack) {
    case 'node':
      return { port: str(s.facts.port), healthPath: str(s.facts.healthPath), start: str(s.facts.start), needsStart: true, fallback: { port: String(DEFAULT_PORTS.node), healthPath: '/health' } };
    case 'python': {
      // Gradio has no health route of its own; its page answers 200 once it is up.
      const health = str(s.facts.healthPath) ?? (s.facts.framework.value === 'gradio' ? { value: '/', evidence: "Gradio's page (it has no health route of its own)" } : undefined);
      return { port: str(s.facts.port), healthPath: health, start: str(s.facts.start), needsStart: true, fallback: { port: String(DEFAULT_PORTS.python), healthPath: '/health' } };
    }
    case 'go':
      // The binary is the command: nothing to ask (a --start flag still sets name and arguments).
      return { port: str(s.facts.port), healthPath: str(s.facts.healthPath), start: undefined, needsStart: false, fallback: { port: String(DEFAULT_PORTS.go), healthPath: '/healthz' } };
    default:
      throw new Error('unreachable');
  }
}

/**
 * The Python version of the image: an exact pin wins (.python-version, `==3.12`); a minimum
 * (`>=3.11`) with no upper bound gets the newest supported Python, which satisfies it.
 */
export function pythonVersionFor(f: PythonFacts['pythonVersion']): string {
  if (!f) return PYTHON_DEFAULT;
  const minimum = /\(a minimum/.test(f.evidence);
  const upperBound = /<|~=|\^|~/.test(/"([^"]*)"/.exec(f.evidence)?.[1] ?? '');
  if (minimum && !upperBound && Number(f.value.split('.')[1]) <= Number(PYTHON_DEFAULT.split('.')[1])) return PYTHON_DEFAULT;
  return f.value;
}

/** The language version detection implies, before any flag. */
export function detectedLanguageVersion(s: DetectedService): { value: string; evidence: string } | undefined {
  switch (s.stack) {
    case 'node':
      return s.facts.nodeVersion ? { value: s.facts.nodeVersion.value, evidence: s.facts.nodeVersion.evidence } : { value: NODE_LTS_MAJOR, evidence: 'no version in the repo: the current LTS' };
    case 'python': {
      const v = pythonVersionFor(s.facts.pythonVersion);
      return { value: v, evidence: s.facts.pythonVersion ? `${s.facts.pythonVersion.evidence}${v !== s.facts.pythonVersion.value ? `; ${v} satisfies it` : ''}` : 'no version in the repo: the newest supported Python' };
    }
    case 'go': {
      const v = goVersionFor(s.facts.goVersion?.value);
      return { value: v, evidence: s.facts.goVersion ? `${s.facts.goVersion.evidence} (a minimum${v !== GO_DEFAULT ? '' : `; Go ${GO_DEFAULT} builds it`})` : `no go line: Go ${GO_DEFAULT}` };
    }
    default:
      return undefined;
  }
}

function pythonTestCommand(f: PythonFacts, hasPytest: boolean): string | null {
  if (!hasPytest) return null;
  const prefix = { uv: 'uv run ', poetry: 'poetry run ', pipenv: 'pipenv run ', pip: 'python -m ' }[f.packageManager.value];
  return `${prefix}pytest`;
}

/**
 * One service's config. `name` is its config name; `answers` hold the asked values (flags,
 * prompts or --yes defaults); `hasPytest` comes from the repo (detectPythonTests).
 */
export function serviceFromDetection(s: DetectedService, name: string, answers: ServiceAnswers, opts: { hasPytest?: boolean } = {}): ServiceConfig {
  const base = { name, path: s.path };
  switch (s.stack) {
    case 'node':
      return nodeService(s.facts, base, answers);
    case 'python':
      return pythonService(s.facts, base, answers, opts.hasPytest ?? false);
    case 'go':
      return goService(s.facts, base, answers);
    case 'static':
      return { ...base, stack: 'static', ...(s.facts.root.value !== '.' ? { outputDir: s.facts.root.value } : {}), port: answers.port, healthPath: answers.healthPath };
  }
}

function nodeService(f: NodeFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  const kind = f.kind?.value ?? 'server';
  const web = f.webFramework?.value;
  const svc: Partial<ServiceConfig> = { ...base, stack: 'node', framework: (f.framework?.value ?? 'none') as Framework };
  // A server keeps the shape configs had before kinds existed (kind: server is the default).
  if (kind !== 'server') svc.kind = kind;
  if (web && kind !== 'server') svc.webFramework = web;
  if (kind !== 'server' && f.outputDir && web !== 'next' && web !== 'nuxt') svc.outputDir = f.outputDir.value;
  if (kind === 'static' && !svc.outputDir) svc.outputDir = 'dist';
  if (f.workspaceRoot) svc.workspaceRoot = f.workspaceRoot.value;
  svc.packageManager = f.packageManager.value as NodePackageManager;
  svc.packageManagerVersion = f.packageManagerVersion?.value ?? null;
  svc.languageVersion = a.languageVersion ?? f.nodeVersion?.value ?? NODE_LTS_MAJOR;
  svc.build = a.build;
  svc.test = a.test;
  if (kind !== 'static' && a.start) svc.start = a.start;
  svc.port = a.port;
  svc.healthPath = a.healthPath;
  return svc as ServiceConfig;
}

function pythonService(f: PythonFacts, base: { name: string; path: string }, a: ServiceAnswers, hasPytest: boolean): ServiceConfig {
  const svc: Partial<ServiceConfig> = { ...base, stack: 'python', framework: f.framework.value as Framework };
  svc.server = f.server?.value ?? 'python';
  if (f.entrypoint && /^[A-Za-z0-9_.:/()-]+$/.test(f.entrypoint.value)) svc.entrypoint = f.entrypoint.value;
  if (f.django) {
    svc.collectstatic = f.django.collectstatic.value;
    if (f.django.migrations.value) svc.migrate = 'python manage.py migrate --noinput';
  }
  svc.packageManager = f.packageManager.value;
  svc.packageManagerVersion = null;
  svc.languageVersion = a.languageVersion ?? pythonVersionFor(f.pythonVersion);
  svc.test = a.test !== undefined && a.test !== null ? a.test : pythonTestCommand(f, hasPytest);
  if (a.start) svc.start = a.start;
  svc.port = a.port;
  svc.healthPath = a.healthPath;
  return svc as ServiceConfig;
}

function goService(f: GoFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  return {
    ...base,
    stack: 'go',
    mainPackage: f.mainPackage?.value ?? '.',
    languageVersion: a.languageVersion ?? goVersionFor(f.goVersion?.value),
    test: a.test ?? 'go test ./...',
    // The binary is named after cmd/<name> or the module; `start` is that name (and any arguments).
    start: a.start ?? (f.name?.value ? slugify(f.name.value) || 'app' : 'app'),
    port: a.port,
    healthPath: a.healthPath,
  };
}

/** Add-ons the code asks for: it reads DATABASE_URL (or PG*) or REDIS_URL. */
export function addonsFromEnv(env: EnvVarFact[]): { addons: AddonsConfig; evidence: string[] } {
  const addons: AddonsConfig = {};
  const evidence: string[] = [];
  const pg = env.find((e) => /^(DATABASE_URL|POSTGRES_[A-Z_]+|PG(HOST|DATABASE|USER|PASSWORD))$/.test(e.name));
  if (pg) {
    addons.postgres = true;
    evidence.push(`postgres: the code reads ${pg.name} (${pg.locations[0] ?? ''})`);
  }
  const redis = env.find((e) => /^REDIS_(URL|HOST)$/.test(e.name));
  if (redis) {
    addons.redis = true;
    evidence.push(`redis: the code reads ${redis.name} (${redis.locations[0] ?? ''})`);
  }
  return { addons, evidence };
}

/** Config names for the services: "app" alone; several are named after their directories. */
export function serviceNames(services: Array<Pick<DetectedService, 'path' | 'stack'>>): string[] {
  if (services.length === 1) return ['app'];
  const base = services.map((s) => (s.path === '.' ? 'app' : slugify(s.path.split('/').pop() ?? s.path) || 'app'));
  return base.map((b, i) => {
    const clash = base.filter((x) => x === b).length > 1;
    if (!clash) return b;
    const s = services[i]!;
    const samePath = services.filter((o) => o.path === s.path).length > 1;
    return samePath ? `${b}-${s.stack}` : slugify(s.path.replace(/\//g, '-'));
  });
}
