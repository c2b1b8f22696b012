import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { configFromAnswers, DEFAULTS, slugify, type InitAnswers } from '../../config/from-answers.js';
import { configSchema, parseConfig } from '../../config/load.js';
import { CONFIG_FILE, type DeployKitConfig, type Framework } from '../../config/types.js';
import { renderNewConfig, updateConfig } from '../../config/write.js';
import { detectRepo } from '../../detect/index.js';
import type { RepoFacts } from '../../detect/types.js';
import { NODE_EOL_MAJORS } from '../../versions.js';
import { helpText, parse, type CommandSpec } from '../args.js';
import { CancelledError, UsageError, UserError } from '../errors.js';
import { applyAndReport, planChanges, targetDir } from '../kit.js';
import type { CliContext } from '../main.js';
import { readConfig } from './generate.js';

export const spec: CommandSpec = {
  name: 'init',
  summary: 'Detect the stack, ask what detection cannot answer, write deploy-kit.yaml and the kit.',
  usage: 'create-deploy-kit [dir] [options]   (or: deploy-kit init [dir] [options])',
  maxPositionals: 1,
  options: {
    yes: { type: 'boolean', short: 'y' },
    name: { type: 'string' },
    port: { type: 'string' },
    'health-path': { type: 'string' },
    branch: { type: 'string' },
    'staging-branch': { type: 'string' },
    start: { type: 'string' },
    build: { type: 'string' },
    test: { type: 'string' },
    'node-version': { type: 'string' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  help: {
    yes: 'Accept detected values and defaults; never prompt',
    name: 'Project name (lowercase letters, digits, dashes)',
    port: 'Port the app listens on (1-65535)',
    'health-path': 'HTTP path that answers 200 when healthy (default /health with --yes)',
    branch: 'Production branch (default: the repository\'s real default branch)',
    'staging-branch': 'Optional staging branch',
    start: 'Production start command, e.g. "node dist/server.js"',
    build: 'Build command (detected from package.json; "none" for no build)',
    test: 'Test command CI runs (detected from package.json; "none" for no tests)',
    'node-version': 'Major Node.js version of the image (default: the .nvmrc/engines one, else the current LTS)',
    force: 'Replace existing files that deploy-kit did not write',
    'dry-run': 'Show what would be written as a diff; write nothing',
  },
};

const schemaDefs = () => configSchema().definitions as Record<string, { pattern?: string; description?: string }>;
const patternOf = (def: string) => new RegExp(schemaDefs()[def]!.pattern!, 'u');

/** Validators shared by flags and prompts; each returns the problem, or undefined. */
const check = {
  name: (v: string) => (patternOf('slug').test(v) ? undefined : `"${v}" is not a valid name: ${schemaDefs().slug!.description}`),
  port: (v: string) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : `"${v}" is not a port (1-65535)`),
  healthPath: (v: string) => (/^\/[A-Za-z0-9._~/-]*$/.test(v) ? undefined : `"${v}" is not a path; it starts with / (e.g. /health)`),
  branch: (v: string) => (patternOf('branch').test(v) ? undefined : `"${v}" is not a valid git branch name`),
  start: (v: string) =>
    /^[^\s;&|`$<>\\"']+( +[^\s;&|`$<>\\"']+)*$/.test(v)
      ? undefined
      : `"${v}" must be one command without shell syntax (it runs in exec form); put anything more in a script and start that`,
  nodeVersion: (v: string) => (/^\d{1,3}$/.test(v) ? undefined : `"${v}" is not a Node.js major version (e.g. 26)`),
};

interface Field {
  key: 'name' | 'port' | 'healthPath' | 'branch' | 'start';
  flag: string;
  label: string;
  detected?: { value: string; evidence: string };
  /** What --yes falls back to when detection found nothing. */
  fallback?: string;
  validate: (v: string) => string | undefined;
}

function fields(facts: RepoFacts, root: string): Field[] {
  const node = facts.node!;
  const str = <T>(f?: { value: T; evidence: string }) => (f ? { value: String(f.value), evidence: f.evidence } : undefined);
  const detectedName = node.name ? { value: slugify(node.name.value), evidence: node.name.evidence } : undefined;
  return [
    { key: 'name', flag: '--name', label: 'Project name', detected: detectedName, fallback: slugify(basename(root)) || 'app', validate: check.name },
    { key: 'port', flag: '--port', label: 'Port the app listens on', detected: str(node.port), fallback: String(DEFAULTS.port), validate: check.port },
    { key: 'healthPath', flag: '--health-path', label: 'Health check path', detected: str(node.healthPath), fallback: DEFAULTS.healthPath, validate: check.healthPath },
    { key: 'branch', flag: '--branch', label: 'Production branch', detected: str(facts.git.defaultBranch), validate: check.branch },
    { key: 'start', flag: '--start', label: 'Production start command', detected: str(node.start), validate: check.start },
  ];
}

function describeFacts(facts: RepoFacts): string {
  const n = facts.node!;
  const rows: Array<[string, { value: unknown; evidence: string } | undefined]> = [
    ['package manager', n.packageManager],
    ['node version', n.nodeVersion],
    ['framework', n.framework],
    ['build', n.build],
    ['test', n.test],
    ['start', n.start],
    ['port', n.port],
    ['health path', n.healthPath],
    ['default branch', facts.git.defaultBranch],
  ];
  const lines = rows.map(([k, f]) => `${k.padEnd(15)} ${f ? `${String(f.value)}  (${f.evidence})` : 'not found'}`);
  if (facts.env.length) lines.push(`${'env vars'.padEnd(15)} ${facts.env.map((e) => e.name).join(', ')}`);
  for (const w of facts.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

function optionalCommand(flag: string | undefined, detected: { value: string } | undefined): string | null {
  if (flag !== undefined) return flag === 'none' || flag === '' ? null : flag;
  return detected?.value ?? null;
}

export async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(spec, argv);
  if (values.help) {
    ctx.out.print(helpText(spec));
    return 0;
  }
  checkInitFlags(values);
  const dryRun = Boolean(values['dry-run']);
  const root = targetDir(ctx.cwd, positionals[0], !dryRun);
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
export function checkInitFlags(values: Record<string, unknown>): void {
  const flagChecks: Array<[string, keyof typeof check]> = [
    ['name', 'name'], ['port', 'port'], ['health-path', 'healthPath'], ['branch', 'branch'],
    ['staging-branch', 'branch'], ['start', 'start'], ['node-version', 'nodeVersion'],
  ];
  for (const [f, c] of flagChecks) {
    const v = values[f];
    const problem = typeof v === 'string' ? check[c](v) : undefined;
    if (problem) throw new UsageError(`--${f}: ${problem}`);
  }
}

export interface NewConfig {
  config: DeployKitConfig;
  configText: string;
  prompts: typeof import('../../prompts/index.js') | undefined;
  io: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream };
}

/**
 * Detection + flags + prompts -> a validated config for a repo without one. Writes nothing;
 * `init` and `add` (on a repo with no kit yet) both start here.
 */
export async function newConfig(ctx: CliContext, root: string, values: Record<string, unknown>): Promise<NewConfig> {
  const flag = (k: string) => values[k] as string | undefined;
  const facts = await detectRepo(root);
  if (!facts.node) {
    throw new UserError(`no package.json in ${root}: deploy-kit writes kits for Node.js apps today. Run it in the app's directory (or pass that directory).`);
  }
  if (facts.node.packageManager.value === 'bun') {
    throw new UserError(`${facts.node.packageManager.evidence}: bun images are not supported yet; use npm, pnpm or yarn (classic).`);
  }
  if (facts.node.yarnFlavor?.value === 'berry') {
    throw new UserError(`${facts.node.yarnFlavor.evidence}: Yarn Berry (2+) is not supported yet; npm, pnpm and Yarn classic are.`);
  }
  const interactive = ctx.interactive && !values.yes;
  const io = { input: ctx.input, output: ctx.output };
  const prompts = interactive ? await import('../../prompts/index.js') : undefined;
  if (prompts) prompts.intro('deploy-kit', io);
  if (prompts) prompts.note(describeFacts(facts), 'Detected', io);
  else ctx.out.print(`Detected in ${root}:\n${describeFacts(facts).replace(/^/gm, '  ')}`);

  const resolved: Record<string, string> = {};
  const missing: Field[] = [];
  const toAsk: Field[] = [];
  for (const f of fields(facts, root)) {
    const fromFlag = flag(f.flag.slice(2));
    if (fromFlag !== undefined) resolved[f.key] = fromFlag;
    else if (interactive) toAsk.push(f);
    else if (f.detected && !f.validate(f.detected.value)) resolved[f.key] = f.detected.value;
    else if (f.key === 'name' || (values.yes && f.fallback !== undefined)) resolved[f.key] = f.fallback!;
    else missing.push(f);
  }
  if (missing.length > 0) {
    throw new UsageError(
      `missing answers that detection could not find, and no terminal to ask: ${missing.map((f) => f.flag).join(', ')}`,
      `pass them as flags, e.g. deploy-kit init ${missing.map((f) => `${f.flag} <${f.label.toLowerCase()}>`).join(' ')}`,
    );
  }
  let staging = flag('staging-branch') ?? null;
  if (prompts) {
    const answers = await prompts.ask(
      [
        ...toAsk.map((f) => ({ key: f.key, message: f.label, initial: f.detected?.value ?? f.fallback, validate: f.validate })),
        ...(staging === null
          ? [{ key: 'staging', message: 'Staging branch (leave empty for none)', optional: true, validate: check.branch }]
          : []),
      ],
      io,
    );
    Object.assign(resolved, answers);
    if (answers.staging) staging = answers.staging;
  }
  const node = facts.node;
  const nodeVersion = flag('node-version') ?? node.nodeVersion?.value ?? DEFAULTS.nodeVersion;
  if (NODE_EOL_MAJORS.has(nodeVersion)) {
    ctx.out.error(`warning: Node.js ${nodeVersion} is past end of life; the image uses it because the repo asks for it. Upgrade and set languageVersion in ${CONFIG_FILE}.`);
  }
  const answers: InitAnswers = {
    name: resolved.name!,
    port: Number(resolved.port),
    healthPath: resolved.healthPath!,
    branch: resolved.branch!,
    stagingBranch: staging,
    start: resolved.start!,
    build: optionalCommand(flag('build'), node.build),
    test: optionalCommand(flag('test'), node.test),
    packageManager: node.packageManager.value as InitAnswers['packageManager'],
    packageManagerVersion: node.packageManagerVersion?.value ?? null,
    nodeVersion,
    framework: (node.framework?.value ?? 'none') as Framework,
  };
  if (answers.branch === answers.stagingBranch) throw new UsageError('--staging-branch must differ from the production branch');
  const config = configFromAnswers(answers, facts);
  const configText = renderNewConfig(config);
  parseConfig(configText); // the file we write must load back: same checks as a hand edit
  return { config, configText, prompts, io };
}

/** init in a repo that already has deploy-kit.yaml: apply flag changes (comments kept), regenerate. */
async function reinit(ctx: CliContext, root: string, values: Record<string, unknown>, dryRun: boolean): Promise<number> {
  const { config, document } = await readConfig(root);
  const changes: Array<[Array<string | number>, unknown]> = [];
  const set = (flagName: string, path: Array<string | number>, conv: (v: string) => unknown = (v) => v) => {
    const v = values[flagName];
    if (typeof v === 'string') changes.push([path, conv(v)]);
  };
  set('name', ['name']);
  set('port', ['services', 0, 'port'], Number);
  set('health-path', ['services', 0, 'healthPath']);
  set('start', ['services', 0, 'start']);
  set('build', ['services', 0, 'build'], (v) => (v === 'none' ? null : v));
  set('test', ['services', 0, 'test'], (v) => (v === 'none' ? null : v));
  set('node-version', ['services', 0, 'languageVersion']);
  set('branch', ['branches', 'production']);
  set('staging-branch', ['branches', 'staging']);
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
