import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { envFromFacts, slugify } from '../../config/from-answers.js';
import {
  addonsFromEnv,
  detectedLanguageVersion,
  questionsFor,
  servedByNginx,
  serviceFromDetection,
  serviceNames,
  withPort,
  type ServiceAnswers,
  type ServiceQuestions,
} from '../../config/from-detection.js';
import { configSchema, parseConfig } from '../../config/load.js';
import { CONFIG_FILE, type AddonsConfig, type DeployKitConfig, type ServiceConfig } from '../../config/types.js';
import { renderNewConfig, updateConfig } from '../../config/write.js';
import { detectRepo } from '../../detect/index.js';
import { detectPythonTests } from '../../detect/python-tests.js';
import type { DetectedService, RepoFacts } from '../../detect/types.js';
import { GO_DEFAULT, NODE_EOL_MAJORS, PYTHON_DEFAULT, PYTHON_EOL_MINORS } from '../../versions.js';
import { helpText, parse, type CommandSpec } from '../args.js';
import { CancelledError, UsageError, UserError } from '../../errors.js';
import { applyAndReport, planChanges } from '../regenerate.js';
import { repairInterruptedApply, repoRoot } from '../repo.js';
import type { CliContext, CommandContext } from '../main.js';
import { readConfig } from './generate.js';

export const spec: CommandSpec = {
  name: 'init',
  summary: 'Detect the stack, ask what detection cannot answer, write deploy-kit.yaml and the kit.',
  usage: 'create-deploy-kit [dir] [options]   (or: deploy-kit init [dir] [options])',
  maxPositionals: 1,
  options: {
    yes: { type: 'boolean', short: 'y' },
    name: { type: 'string' },
    services: { type: 'string' },
    stack: { type: 'string', multiple: true },
    port: { type: 'string', multiple: true },
    'health-path': { type: 'string', multiple: true },
    branch: { type: 'string' },
    'staging-branch': { type: 'string' },
    start: { type: 'string', multiple: true },
    build: { type: 'string', multiple: true },
    test: { type: 'string', multiple: true },
    'node-version': { type: 'string' },
    'python-version': { type: 'string' },
    'go-version': { type: 'string' },
    addons: { type: 'string' },
    ci: { type: 'string' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  help: {
    yes: 'Accept detected values and defaults; never prompt',
    name: 'Project name (lowercase letters, digits, dashes)',
    services: 'Which detected services to deploy, by name or path, comma-separated (default: all)',
    stack: 'For a directory deployable as two stacks: <path>=<stack> (node, python, go or static)',
    port: 'Port the app listens on (1-65535); with several services <service>=<port>, once per service',
    'health-path': 'HTTP path that answers 200 when healthy (default /health with --yes); <service>=<path> with several',
    branch: 'Production branch (default: the repository\'s real default branch)',
    'staging-branch': 'Optional staging branch',
    start: 'Production start command, e.g. "node dist/server.js"; <service>=<command> with several',
    build: 'Build command (detected from package.json; "none" for no build); <service>=<command> with several',
    test: 'Test command CI runs (detected; "none" for no tests); <service>=<command> with several',
    'node-version': 'Major Node.js version of Node images (default: the .nvmrc/engines one, else the current LTS)',
    'python-version': 'Python minor version of Python images, e.g. 3.13 (default: the pinned one, else the newest supported)',
    'go-version': 'Go minor version of Go build images, e.g. 1.27 (default: the newest, which builds older go.mod versions)',
    addons: 'Compose add-ons: postgres, redis, both comma-separated, or "none" (default: what the code reads, e.g. DATABASE_URL)',
    ci: 'CI provider: github or gitlab (default: gitlab when the repo has .gitlab-ci.yml, else github)',
    force: 'Replace existing files that deploy-kit did not write',
    'dry-run': 'Show what would be written as a diff; write nothing',
  },
};

const schemaDefs = () => configSchema().definitions as Record<string, { pattern?: string; description?: string }>;
const patternOf = (def: string) => new RegExp(schemaDefs()[def]!.pattern!, 'u');
const EXEC_FORM = /^[^\s;&|`$<>\\"']+( +[^\s;&|`$<>\\"']+)*$/;

/** Validators shared by flags and prompts; each returns the problem, or undefined. */
const check = {
  name: (v: string) => (patternOf('slug').test(v) ? undefined : `"${v}" is not a valid name: ${schemaDefs().slug!.description}`),
  port: (v: string) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : `"${v}" is not a port (1-65535)`),
  healthPath: (v: string) => (/^\/[A-Za-z0-9._~/-]*$/.test(v) ? undefined : `"${v}" is not a path; it starts with / (e.g. /health)`),
  branch: (v: string) => (patternOf('branch').test(v) ? undefined : `"${v}" is not a valid git branch name`),
  start: (v: string) =>
    EXEC_FORM.test(v) ? undefined : `"${v}" must be one command without shell syntax (it runs in exec form); put anything more in a script and start that`,
  command: (v: string) => (v.trim() ? undefined : 'an empty command; pass "none" for no command'),
  nodeVersion: (v: string) => (/^\d{1,3}$/.test(v) ? undefined : `"${v}" is not a Node.js major version (e.g. 26)`),
  pythonVersion: (v: string) => (/^3\.\d{1,2}$/.test(v) ? undefined : `"${v}" is not a Python minor version (e.g. ${PYTHON_DEFAULT})`),
  goVersion: (v: string) => (/^1\.\d{1,3}$/.test(v) ? undefined : `"${v}" is not a Go minor version (e.g. ${GO_DEFAULT})`),
  addons: (v: string) => (v === 'none' || v.split(',').every((a) => ['postgres', 'redis'].includes(a.trim())) ? undefined : `"${v}" is not a list of add-ons: postgres, redis (comma-separated) or none`),
  ci: (v: string) => (v === 'github' || v === 'gitlab' ? undefined : `"${v}" is not a CI provider: github or gitlab`),
  stack: (v: string) => (/^[^=]+=(node|python|go|static)$/.test(v) ? undefined : `"${v}" is not <path>=<stack> (node, python, go or static)`),
};

/** Flags that may name their service (`--port api=8000`) and how each value is checked. */
const PER_SERVICE: Array<[string, keyof typeof check]> = [
  ['port', 'port'], ['health-path', 'healthPath'], ['start', 'start'], ['build', 'command'], ['test', 'command'],
];

interface Field {
  /** Answer key: project keys (name, branch) or `<service>.<port|healthPath|start>`. */
  key: string;
  /** The flag that answers it, as the user types it (`--port`, or `--port web=` with several services). */
  flag: string;
  label: string;
  detected?: { value: string; evidence: string } | undefined;
  /** What --yes falls back to when detection found nothing. */
  fallback?: string | undefined;
  validate: (v: string) => string | undefined;
  /** The value from flags, when given. */
  given?: string | undefined;
}

type Values = Record<string, unknown>;

/** A flag's values as a list (string options may repeat). */
function list(values: Values, flag: string): string[] {
  const v = values[flag];
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * The value of a per-service flag for one service: `--port api=8000` names it; a bare
 * `--port 8000` is for a lone service. With several services a bare value is ambiguous.
 */
function perService(values: Values, flag: string, service: string, names: string[]): string | undefined {
  let found: string | undefined;
  for (const item of list(values, flag)) {
    const m = /^([a-z0-9][a-z0-9-]*)=(.*)$/s.exec(item);
    if (m && names.includes(m[1]!)) {
      if (m[1] === service) found = m[2];
    } else if (names.length === 1) {
      found = item;
    } else {
      throw new UsageError(`--${flag} "${item}": there are several services (${names.join(', ')}); name one: --${flag} <service>=<value>`);
    }
  }
  return found;
}

/** A detected service with the name it gets in the config and what init asks about it. */
interface Candidate {
  service: DetectedService;
  name: string;
  questions: ServiceQuestions;
}

function rows(entries: Array<[string, { value: unknown; evidence: string } | undefined]>, indent = ''): string[] {
  return entries.map(([k, f]) => `${indent}${k.padEnd(15)} ${f ? `${String(f.value)}  (${f.evidence})` : 'not found'}`);
}

const fact = <T>(value: T, evidence: string) => ({ value, evidence });

function serviceRows(c: Candidate, indent: string): string[] {
  const s = c.service;
  switch (s.stack) {
    case 'node': {
      const n = s.facts;
      return rows(
        [
          ['package manager', n.packageManager],
          ['node version', detectedLanguageVersion(s)],
          ...(n.kind && n.kind.value !== 'server' ? ([['kind', n.kind], ['web framework', n.webFramework], ['output', n.outputDir]] as Array<[string, { value: unknown; evidence: string } | undefined]>) : [['framework', n.framework]] as Array<[string, { value: unknown; evidence: string } | undefined]>),
          ...(n.workspaceRoot ? ([['workspace root', n.workspaceRoot]] as Array<[string, { value: unknown; evidence: string } | undefined]>) : []),
          ['build', n.build],
          ['test', n.test],
          ...(n.kind?.value === 'static' ? [] : ([['start', n.start], ['port', n.port], ['health path', n.healthPath]] as Array<[string, { value: unknown; evidence: string } | undefined]>)),
        ],
        indent,
      );
    }
    case 'python': {
      const p = s.facts;
      const entries: Array<[string, { value: unknown; evidence: string } | undefined]> = [
        ['package manager', p.packageManager],
        ['python version', detectedLanguageVersion(s)],
        ['framework', p.framework.evidence ? p.framework : fact(p.framework.value, 'no web framework')],
        ['server', p.server],
        ['entrypoint', p.entrypoint],
        ['start', p.start],
        ['port', p.port],
        ['health path', p.healthPath],
      ];
      if (p.django) entries.push(['collectstatic', p.django.collectstatic], ['migrations', p.django.migrations]);
      return rows(entries, indent);
    }
    case 'go': {
      const g = s.facts;
      return rows([['module', g.module], ['go version', detectedLanguageVersion(s)], ['main package', g.mainPackage], ['cgo', g.cgo], ['port', g.port], ['health path', g.healthPath]], indent);
    }
    case 'static':
      return rows([['site root', s.facts.root]], indent);
  }
}

function warningsOf(s: DetectedService): string[] {
  return s.stack === 'node' ? (s.facts.warnings ?? []) : s.facts.warnings;
}

function describeFacts(facts: RepoFacts, candidates: Candidate[], project: { addons: string[]; ci: { value: string; evidence: string } }): string {
  const lines: string[] = [];
  const single = candidates.length === 1 && candidates[0]!.service.path === '.';
  for (const c of candidates) {
    if (!single) lines.push(`service "${c.name}" (${c.service.path}): ${c.service.stack}, ${c.service.evidence}`);
    lines.push(...serviceRows(c, single ? '' : '  '));
    for (const w of warningsOf(c.service)) lines.push(`${single ? '' : '  '}warning: ${w}`);
  }
  lines.push(...rows([['default branch', facts.git.defaultBranch], ['ci', project.ci]]));
  if (facts.env.length) lines.push(`${'env vars'.padEnd(15)} ${facts.env.map((e) => e.name).join(', ')}`);
  if (project.addons.length) lines.push(`${'add-ons'.padEnd(15)} ${project.addons.join('; ')}`);
  for (const w of facts.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

function optionalCommand(flag: string | undefined, detected: { value: string } | undefined): string | null {
  if (flag !== undefined) return flag === 'none' || flag === '' ? null : flag;
  return detected?.value ?? null;
}

export async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(spec, argv, ctx.invocation);
  if (values.help) {
    ctx.out.print(helpText(spec));
    return 0;
  }
  checkInitFlags(values);
  const dryRun = Boolean(values['dry-run']);
  const root = repoRoot(ctx.cwd, positionals[0], !dryRun);
  if (!dryRun) repairInterruptedApply(root, ctx.out);
  if (existsSync(join(root, CONFIG_FILE))) return reinit(ctx, root, values, dryRun);
  const fresh = await newConfig(ctx, root, values);
  if (fresh.prompts && !dryRun && !(await fresh.prompts.confirm(`Write deploy-kit.yaml and the kit to ${root}?`, fresh.io))) {
    throw new CancelledError();
  }
  const changes = await planChanges(root, fresh.config, { force: Boolean(values.force) }, [{ path: CONFIG_FILE, content: fresh.configText }]);
  const code = applyAndReport(root, changes, ctx.out, dryRun);
  if (!dryRun && code === 0) {
    const done = `Wrote ${CONFIG_FILE} and the kit. Next: read DEPLOY.md; after editing ${CONFIG_FILE}, run \`npx deploy-kit generate\`.`;
    if (fresh.prompts) fresh.prompts.outro(done, fresh.io);
    else ctx.out.print(done);
  }
  return code;
}

/** Flags are checked before anything else, so a bad one costs nothing. */
export function checkInitFlags(values: Values): void {
  const flagChecks: Array<[string, keyof typeof check]> = [
    ['name', 'name'], ['branch', 'branch'], ['staging-branch', 'branch'], ['node-version', 'nodeVersion'],
    ['python-version', 'pythonVersion'], ['go-version', 'goVersion'], ['addons', 'addons'], ['ci', 'ci'], ['stack', 'stack'],
  ];
  for (const [f, c] of [...flagChecks, ...PER_SERVICE]) {
    for (const v of list(values, f)) {
      // `<service>=<value>`: check the value; a start command may itself hold "=" (node --x=y a.js).
      const m = /^([a-z0-9][a-z0-9-]*)=(.*)$/s.exec(v);
      const value = PER_SERVICE.some(([p]) => p === f) && m && check[c](v) ? m[2]! : v;
      const problem = c === 'command' && (value === 'none' || value === '') ? undefined : check[c](value);
      if (problem) throw new UsageError(`--${f}: ${problem}`);
    }
  }
}

export interface NewConfig {
  config: DeployKitConfig;
  configText: string;
  prompts: typeof import('../../prompts/index.js') | undefined;
  io: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream };
}

/** The root package.json that detection did not list as a service (no start script, no framework): asked about as a Node server, as before stacks existed. */
function bareRootNode(facts: RepoFacts): DetectedService | undefined {
  return facts.node ? { path: '.', stack: 'node', evidence: 'package.json (a Node server, once its start command is known)', facts: facts.node } : undefined;
}

/** Detected services, minus those --services leaves out, with one stack per directory. */
function chooseServices(facts: RepoFacts, values: Values, root: string): Candidate[] {
  let detected = facts.services?.length ? facts.services : [bareRootNode(facts)].filter((s): s is DetectedService => s !== undefined);
  if (detected.length === 0) {
    throw new UserError(
      `nothing to deploy found: no package.json in ${root} (nor pyproject.toml, requirements.txt, Pipfile, go.mod or index.html, at its top or in apps/*, services/*, packages/*). Run it in the app's directory (or pass that directory).`,
    );
  }
  // A directory deployable as two stacks: --stack <path>=<stack> says which.
  const picks = new Map(list(values, 'stack').map((v) => v.split('=') as [string, string]));
  const byPath = new Map<string, DetectedService[]>();
  for (const s of detected) byPath.set(s.path, [...(byPath.get(s.path) ?? []), s]);
  const ambiguous: string[] = [];
  detected = detected.filter((s) => {
    const same = byPath.get(s.path) ?? [];
    if (same.length < 2) return true;
    const pick = picks.get(s.path) ?? picks.get(`./${s.path}`);
    if (pick === undefined) {
      if (!ambiguous.includes(s.path)) ambiguous.push(s.path);
      return false;
    }
    return pick === s.stack;
  });
  if (ambiguous.length) {
    throw new UsageError(
      `${ambiguous.map((p) => `${p === '.' ? 'the repository root' : p} is deployable as ${(byPath.get(p) ?? []).map((s) => s.stack).join(' and ')}`).join('; ')}: say which one runs`,
      `pass ${ambiguous.map((p) => `--stack ${p}=${(byPath.get(p) ?? [])[0]?.stack ?? 'node'}`).join(' ')}`,
    );
  }
  const names = serviceNames(detected);
  let candidates = detected.map((service, i) => ({ service, name: names[i]!, questions: questionsFor(service) }));
  const only = typeof values.services === 'string' ? values.services.split(',').map((s) => s.trim().replace(/^\.\//, '')).filter(Boolean) : undefined;
  if (only) {
    const unknown = only.filter((o) => !candidates.some((c) => c.name === o || c.service.path === o));
    if (unknown.length) {
      throw new UsageError(`--services: ${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not a detected service; detected: ${candidates.map((c) => `${c.name} (${c.service.path})`).join(', ')}`);
    }
    candidates = candidates.filter((c) => only.includes(c.name) || only.includes(c.service.path));
    // One service left keeps its directory's name only when it is not at the root.
    if (candidates.length === 1 && candidates[0]!.service.path === '.') candidates[0]!.name = 'app';
  }
  return candidates;
}

/** Stacks and setups the kit cannot build yet: refused with what to do instead. */
function refuse(c: Candidate): void {
  const s = c.service;
  const where = s.path === '.' ? '' : ` (${s.path}; leave it out with --services)`;
  if (s.stack === 'node' && s.facts.packageManager.value === 'bun') {
    throw new UserError(`${s.facts.packageManager.evidence}${where}: bun images are not supported yet; use npm, pnpm or yarn (classic).`);
  }
  if (s.stack === 'node' && s.facts.yarnFlavor?.value === 'berry') {
    throw new UserError(`${s.facts.yarnFlavor.evidence}${where}: Yarn Berry (2+) is not supported yet; npm, pnpm and Yarn classic are.`);
  }
  if (s.stack === 'go' && s.facts.cgo.value) {
    throw new UserError(`${s.facts.cgo.evidence}${where}: cgo needs libc at run time, and the Go image is a static binary on distroless; build without cgo (a pure-Go driver) to use the kit.`);
  }
}

/**
 * Detection + flags + prompts -> a validated config for a repo without one. Writes nothing;
 * `init` and `add` (on a repo with no kit yet) both start here.
 */
export async function newConfig(ctx: CliContext, root: string, values: Values): Promise<NewConfig> {
  const flag = (k: string) => values[k] as string | undefined;
  const facts = await detectRepo(root);
  const candidates = chooseServices(facts, values, root);
  candidates.forEach(refuse);
  const names = candidates.map((c) => c.name);
  const single = candidates.length === 1;

  const detectedAddons = addonsFromEnv(facts.env);
  const addonFlag = flag('addons');
  const addons: AddonsConfig =
    addonFlag === undefined ? detectedAddons.addons : addonFlag === 'none' ? {} : Object.fromEntries(addonFlag.split(',').map((a) => [a.trim(), true]));
  const gitlab = existsSync(join(root, '.gitlab-ci.yml')) && !existsSync(join(root, '.github', 'workflows'));
  const ci = flag('ci')
    ? { value: flag('ci')!, evidence: '--ci' }
    : gitlab
      ? { value: 'gitlab', evidence: '.gitlab-ci.yml present' }
      : { value: 'github', evidence: 'default (no .gitlab-ci.yml)' };

  const interactive = ctx.interactive && !values.yes;
  const io = { input: ctx.input, output: ctx.output };
  const prompts = interactive ? await import('../../prompts/index.js') : undefined;
  const summary = describeFacts(facts, candidates, { addons: addonFlag === undefined ? detectedAddons.evidence : Object.keys(addons).map((a) => `${a}: --addons`), ci });
  if (prompts) prompts.intro('deploy-kit', io);
  if (prompts) prompts.note(summary, 'Detected', io);
  else ctx.out.print(`Detected in ${root}:\n${summary.replace(/^/gm, '  ')}`);

  // The questions, in the order they are asked. A lone service keeps the order init always had.
  const project = {
    name: { key: 'name', flag: '--name', label: 'Project name', detected: projectName(facts, candidates), fallback: slugify(basename(root)) || 'app', validate: check.name, given: flag('name') } satisfies Field,
    branch: { key: 'branch', flag: '--branch', label: 'Production branch', detected: facts.git.defaultBranch, validate: check.branch, given: flag('branch') } satisfies Field,
  };
  const serviceFields = (c: Candidate): Field[] => {
    const q = c.questions;
    const of = single ? '' : ` of "${c.name}"`;
    const flagOf = (f: string) => (single ? `--${f}` : `--${f} ${c.name}=`);
    const fields: Field[] = [
      { key: `${c.name}.port`, flag: flagOf('port'), label: `Port the app listens on${of}`, detected: q.port, fallback: q.fallback.port, validate: check.port, given: perService(values, 'port', c.name, names) },
      { key: `${c.name}.healthPath`, flag: flagOf('health-path'), label: `Health check path${of}`, detected: q.healthPath, fallback: q.fallback.healthPath, validate: check.healthPath, given: perService(values, 'health-path', c.name, names) },
    ];
    if (q.needsStart) fields.push({ key: `${c.name}.start`, flag: flagOf('start'), label: `Production start command${of}`, detected: q.start, fallback: q.fallback.start, validate: check.start, given: perService(values, 'start', c.name, names) });
    return fields;
  };
  // A site nginx serves has its port and health route fixed by the kit: nothing to ask.
  const asked = (c: Candidate) => serviceFields(c).filter((f) => !servedByNginx(c.service) || f.given !== undefined);
  const fields: Field[] = single
    ? (() => {
        const [port, health, start] = asked(candidates[0]!);
        return [project.name, ...[port, health].filter((f): f is Field => f !== undefined), project.branch, ...(start ? [start] : [])];
      })()
    : [project.name, project.branch, ...candidates.flatMap(asked)];

  const resolved: Record<string, string> = {};
  const missing: Field[] = [];
  const toAsk: Field[] = [];
  for (const f of fields) {
    if (f.given !== undefined) resolved[f.key] = f.given;
    else if (interactive) toAsk.push(f);
    else if (f.detected && !f.validate(f.detected.value)) resolved[f.key] = f.detected.value;
    else if (f.key === 'name' || (values.yes && f.fallback !== undefined)) {
      resolved[f.key] = f.fallback!;
      // --yes took a default for something the code did not say: show it, it may be wrong (a worker has no port).
      if (f.key !== 'name') ctx.out.error(`note: ${f.label.toLowerCase()} not found in the code; using ${f.fallback} (${f.flag}${f.flag.endsWith('=') ? '' : ' '}<value> to change it)`);
    } else missing.push(f);
  }
  if (missing.length > 0) {
    const example = (f: Field) => `${f.flag}${f.flag.endsWith('=') ? '' : ' '}<${f.label.replace(/ of ".*"$/, '').toLowerCase()}>`;
    throw new UsageError(
      `missing answers that detection could not find, and no terminal to ask: ${missing.map((f) => f.flag).join(', ')}`,
      `pass them as flags, e.g. deploy-kit init ${missing.map(example).join(' ')}`,
    );
  }
  let staging = flag('staging-branch') ?? null;
  if (prompts) {
    const answers = await prompts.ask(
      [
        ...toAsk.map((f) => ({ key: f.key, message: f.label, initial: f.detected?.value ?? f.fallback, validate: f.validate })),
        ...(staging === null ? [{ key: 'staging', message: 'Staging branch (leave empty for none)', optional: true, validate: check.branch }] : []),
      ],
      io,
    );
    Object.assign(resolved, answers);
    if (answers.staging) staging = answers.staging;
  }

  const services = await Promise.all(candidates.map((c) => buildService(ctx, root, c, values, resolved, names)));
  const config: DeployKitConfig = {
    version: 1,
    name: resolved.name!,
    services,
    branches: { production: resolved.branch!, staging },
    ci: { provider: ci.value as DeployKitConfig['ci']['provider'] },
    targets: [{ type: 'compose' }],
    ...(addons.postgres || addons.redis ? { addons } : {}),
    // PORT is documented when some service reads it (a site nginx serves does not).
    env: envFromFacts(facts.env, services.find((svc) => !servedByNginxConfig(svc))?.port),
  };
  if (config.branches.production === config.branches.staging) throw new UsageError('--staging-branch must differ from the production branch');
  const configText = renderNewConfig(config);
  parseConfig(configText); // the file we write must load back: same checks as a hand edit
  return { config, configText, prompts, io };
}

function servedByNginxConfig(s: ServiceConfig): boolean {
  return s.stack === 'static' || (s.stack === 'node' && s.kind === 'static');
}

/** The project name: the root package's or pyproject's name, else the directory's. */
function projectName(facts: RepoFacts, candidates: Candidate[]): { value: string; evidence: string } | undefined {
  if (facts.node?.name) return { value: slugify(facts.node.name.value), evidence: facts.node.name.evidence };
  const root = candidates.find((c) => c.service.path === '.')?.service;
  if (root?.stack === 'python' && root.facts.name) return { value: slugify(root.facts.name.value), evidence: root.facts.name.evidence };
  if (root?.stack === 'go' && root.facts.module) return { value: slugify(root.facts.module.value.split('/').filter((p) => !/^v\d+$/.test(p)).pop() ?? ''), evidence: root.facts.module.evidence };
  return undefined;
}

/** One service's config from its detection, the resolved answers and the per-stack flags. */
async function buildService(ctx: CliContext, root: string, c: Candidate, values: Values, resolved: Record<string, string>, names: string[]): Promise<ServiceConfig> {
  const s = c.service;
  const flag = (f: string) => perService(values, f, c.name, names);
  const version =
    s.stack === 'node' ? (values['node-version'] as string | undefined) : s.stack === 'python' ? (values['python-version'] as string | undefined) : s.stack === 'go' ? (values['go-version'] as string | undefined) : undefined;
  const languageVersion = version ?? detectedLanguageVersion(s)?.value;
  if (s.stack === 'node' && languageVersion && NODE_EOL_MAJORS.has(languageVersion)) {
    ctx.out.error(`warning: ${c.name}: Node.js ${languageVersion} is past end of life; the image uses it because the repo asks for it. Upgrade and set languageVersion in ${CONFIG_FILE}.`);
  }
  if (s.stack === 'python' && languageVersion && PYTHON_EOL_MINORS.has(languageVersion)) {
    ctx.out.error(`warning: ${c.name}: Python ${languageVersion} is past end of life; the image uses it because the repo asks for it. Upgrade and set languageVersion in ${CONFIG_FILE}.`);
  }
  if (s.stack === 'node' && s.facts.webFramework?.value === 'next' && s.facts.nextOutput?.value !== 'standalone' && s.facts.kind?.value === 'ssr') {
    ctx.out.error(`warning: ${c.name}: the Next.js config does not set output: 'standalone'; the image build stops until it does (${s.facts.nextOutput?.evidence ?? 'no next.config'}).`);
  }
  const port = Number(resolved[`${c.name}.port`] ?? c.questions.fallback.port);
  const detectedPort = Number(c.questions.port?.value ?? port);
  let start = resolved[`${c.name}.start`] ?? flag('start');
  // A Python server's port is in its command line: keep the two in step.
  if (s.stack === 'python' && start && resolved[`${c.name}.start`] === c.questions.start?.value) start = withPort(start, detectedPort, port);
  const answers: ServiceAnswers = {
    port,
    healthPath: resolved[`${c.name}.healthPath`] ?? c.questions.fallback.healthPath,
    ...(start ? { start } : {}),
    build: s.stack === 'node' ? optionalCommand(flag('build'), s.facts.build) : null,
    test: s.stack === 'node' ? optionalCommand(flag('test'), s.facts.test) : flag('test') !== undefined ? optionalCommand(flag('test'), undefined) : (undefined as unknown as null),
    ...(languageVersion ? { languageVersion } : {}),
  };
  if (s.stack === 'go' && answers.test === undefined) delete (answers as Partial<ServiceAnswers>).test;
  const hasPytest = s.stack === 'python' && flag('test') === undefined ? Boolean(await detectPythonTests(root, s.path)) : false;
  const svc = serviceFromDetection(s, c.name, answers, { hasPytest });
  if (s.stack === 'python' && flag('test') !== undefined) svc.test = optionalCommand(flag('test'), undefined);
  return svc;
}

/** init in a repo that already has deploy-kit.yaml: apply flag changes (comments kept), regenerate. */
async function reinit(ctx: CliContext, root: string, values: Record<string, unknown>, dryRun: boolean): Promise<number> {
  const { config, document } = await readConfig(root);
  const changes: Array<[Array<string | number>, unknown]> = [];
  const set = (flagName: string, path: Array<string | number>, conv: (v: string) => unknown = (v) => v) => {
    const v = values[flagName];
    if (typeof v === 'string') changes.push([path, conv(v)]);
  };
  const names = config.services.map((s) => s.name);
  // Per-service flags: `--port api=8000`, or a bare value for a lone service.
  const each = (flagName: string, key: string, conv: (v: string) => unknown = (v) => v) => {
    config.services.forEach((svc, i) => {
      const v = perService(values, flagName, svc.name, names);
      if (v !== undefined) changes.push([['services', i, key], conv(v)]);
    });
  };
  // A language version flag goes to every service of its stack.
  const version = (flagName: string, stack: string) => {
    const v = values[flagName];
    if (typeof v === 'string') config.services.forEach((svc, i) => svc.stack === stack && changes.push([['services', i, 'languageVersion'], v]));
  };
  set('name', ['name']);
  each('port', 'port', Number);
  each('health-path', 'healthPath');
  each('start', 'start');
  each('build', 'build', (v) => (v === 'none' ? null : v));
  each('test', 'test', (v) => (v === 'none' ? null : v));
  version('node-version', 'node');
  version('python-version', 'python');
  version('go-version', 'go');
  set('branch', ['branches', 'production']);
  set('staging-branch', ['branches', 'staging']);
  set('ci', ['ci', 'provider']);
  set('addons', ['addons'], (v) => (v === 'none' ? {} : Object.fromEntries(v.split(',').map((a) => [a.trim(), true]))));
  let configText: string | undefined;
  let next = config;
  if (changes.length) {
    configText = updateConfig(document, changes);
    next = parseConfig(configText).config;
  }
  ctx.out.print(`${CONFIG_FILE} exists: ${changes.length ? 'updating it with the flags given, then ' : ''}regenerating the kit from it.`);
  const planned = await planChanges(root, next, { force: Boolean(values.force) }, configText ? [{ path: CONFIG_FILE, content: configText }] : []);
  return applyAndReport(root, planned, ctx.out, dryRun);
}
