/**
 * init's flags: the spec, the validators that flags and prompts share, and the typed values the
 * config builder takes. `add` on a repo without a kit runs init first, so it takes them too.
 */
import { configSchema } from '../config/load.js';
import type { GivenValues, ServiceValues } from '../config/build.js';
import { UsageError } from '../errors.js';
import { GO_DEFAULT, PYTHON_DEFAULT } from '../versions.js';
import { STACKS } from '../../stacks/index.js';
import type { CommandSpec } from './args.js';

/** Every stack `--stack` may pick (the root of a Maven build that also has a package.json is java). */
const STACK_IDS: readonly string[] = STACKS.map((s) => s.id);

export const INIT_SPEC: CommandSpec = {
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
    stack: `For a directory deployable as two stacks: <path>=<stack> (${STACK_IDS.join(', ')})`,
    port: 'Port the app listens on (1-65535); with several services <service>=<port>, once per service',
    'health-path': 'HTTP path that answers 200 when healthy, or tcp to probe the port (--yes: the route in the code, else tcp); <service>=<path> with several',
    branch: "Production branch (default: the repository's real default branch)",
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

/** Parsed flag values, as args.parse returns them. */
export type FlagValues = Record<string, unknown>;

const schemaDefs = () => configSchema().definitions as Record<string, { pattern?: string; description?: string }>;
const patternOf = (def: string) => new RegExp(schemaDefs()[def]!.pattern!, 'u');
const EXEC_FORM = /^[^\s;&|`$<>\\"']+( +[^\s;&|`$<>\\"']+)*$/;

const ADDONS = ['postgres', 'redis'];

/** Validators shared by flags and prompts; each returns the problem, or undefined. */
export const answerValidators = {
  name: (v: string) => (patternOf('slug').test(v) ? undefined : `"${v}" is not a valid name: ${schemaDefs().slug!.description}`),
  port: (v: string) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : `"${v}" is not a port (1-65535)`),
  healthPath: (v: string) =>
    v === 'tcp' || /^\/[A-Za-z0-9._~/-]*$/.test(v) ? undefined : `"${v}" is not a path; it starts with / (e.g. /health), or is tcp (no route: probe the port)`,
  branch: (v: string) => (patternOf('branch').test(v) ? undefined : `"${v}" is not a valid git branch name`),
  start: (v: string) =>
    EXEC_FORM.test(v)
      ? undefined
      : `"${v}" must be one command without shell syntax (it runs in exec form); put anything more in a script and start that`,
  command: (v: string) => (v.trim() ? undefined : 'an empty command; pass "none" for no command'),
  nodeVersion: (v: string) => (/^\d{1,3}$/.test(v) ? undefined : `"${v}" is not a Node.js major version (e.g. 26)`),
  pythonVersion: (v: string) => (/^3\.\d{1,2}$/.test(v) ? undefined : `"${v}" is not a Python minor version (e.g. ${PYTHON_DEFAULT})`),
  goVersion: (v: string) => (/^1\.\d{1,3}$/.test(v) ? undefined : `"${v}" is not a Go minor version (e.g. ${GO_DEFAULT})`),
  addons: (v: string) =>
    v === 'none' || v.split(',').every((a) => ADDONS.includes(a.trim()))
      ? undefined
      : `"${v}" is not a list of add-ons: postgres, redis (comma-separated) or none`,
  ci: (v: string) => (v === 'github' || v === 'gitlab' ? undefined : `"${v}" is not a CI provider: github or gitlab`),
  stack: (v: string) => {
    const m = /^[^=]+=(.+)$/.exec(v);
    return m && STACK_IDS.includes(m[1]!) ? undefined : `"${v}" is not <path>=<stack> (${STACK_IDS.join(', ')})`;
  },
};

type Validator = keyof typeof answerValidators;

/** Flags that may name their service (`--port api=8000`), the ServiceValues key each fills, and how it is checked. */
const PER_SERVICE: Array<[string, keyof ServiceValues, Validator]> = [
  ['port', 'port', 'port'],
  ['health-path', 'healthPath', 'healthPath'],
  ['start', 'start', 'start'],
  ['build', 'build', 'command'],
  ['test', 'test', 'command'],
];

/** A flag's values as a list (string options may repeat). */
export function list(values: FlagValues, flag: string): string[] {
  const v = values[flag];
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function str(values: FlagValues, flag: string): string | undefined {
  const v = values[flag];
  return typeof v === 'string' ? v : undefined;
}

/** Flags are checked before anything else, so a bad one costs nothing. */
export function validateInitFlags(values: FlagValues): void {
  const plain: Array<[string, Validator]> = [
    ['name', 'name'],
    ['branch', 'branch'],
    ['staging-branch', 'branch'],
    ['node-version', 'nodeVersion'],
    ['python-version', 'pythonVersion'],
    ['go-version', 'goVersion'],
    ['addons', 'addons'],
    ['ci', 'ci'],
    ['stack', 'stack'],
  ];
  const perService = PER_SERVICE.map(([flag, , validator]): [string, Validator] => [flag, validator]);
  for (const [f, c] of [...plain, ...perService]) {
    for (const v of list(values, f)) {
      // `<service>=<value>`: check the value; a start command may itself hold "=" (node --x=y a.js).
      const m = /^([a-z0-9][a-z0-9-]*)=(.*)$/s.exec(v);
      const value = perService.some(([p]) => p === f) && m && answerValidators[c](v) ? m[2]! : v;
      const problem = c === 'command' && (value === 'none' || value === '') ? undefined : answerValidators[c](value);
      if (problem) throw new UsageError(`--${f}: ${problem}`);
    }
  }
}

/**
 * The value of a per-service flag for one service: `--port api=8000` names it; a bare
 * `--port 8000` is for a lone service. With several services a bare value is ambiguous.
 */
function perService(values: FlagValues, flag: string, service: string, names: string[]): string | undefined {
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

/** The flags as typed values, per-service ones matched to the services `names` (a usage error when one is ambiguous). */
export function givenValues(values: FlagValues, names: string[]): GivenValues {
  const services: Record<string, ServiceValues> = {};
  for (const name of names) {
    const own: ServiceValues = {};
    for (const [flag, key] of PER_SERVICE) {
      const v = perService(values, flag, name, names);
      if (v !== undefined) own[key] = v;
    }
    services[name] = own;
  }
  return {
    name: str(values, 'name'),
    branch: str(values, 'branch'),
    stagingBranch: str(values, 'staging-branch'),
    ci: str(values, 'ci'),
    addons: str(values, 'addons'),
    versions: { node: str(values, 'node-version'), python: str(values, 'python-version'), go: str(values, 'go-version') },
    services,
  };
}
