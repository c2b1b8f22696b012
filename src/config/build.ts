/**
 * deploy-kit.yaml's content from what init learned: the detected services chosen for the kit and
 * the values the user gave (flags or prompts) or --yes took. Pure: no prompts, no disk; the
 * caller detects, asks, and writes. patchesFromValues is the same for a config that exists.
 */
import type { EnvVarFact } from '../detect/types.js';
import { NODE_EOL_MAJORS, PHP_EOL_MINORS, PYTHON_EOL_MINORS } from '../versions.js';
import type { Candidate } from './choose-services.js';
import { publicPrefixed } from './build-env.js';
import { envFromFacts } from './from-answers.js';
import { detectedLanguageVersion, serviceFromDetection, type ServiceAnswers } from './from-detection.js';
import { movePort } from './start-command.js';
import { servedByNginx } from '../../stacks/index.js';
import { TCP_HEALTH } from '../../stacks/shared.js';
import { VERSION } from '../version.js';
import { CONFIG_FILE, type AddonsConfig, type DeployKitConfig, type EnvVarConfig, type ServiceConfig } from './types.js';

/** Values for one service, as typed: `build` and `test` take "none" (or "") for no command. */
export interface ServiceValues {
  port?: string;
  healthPath?: string;
  start?: string;
  build?: string;
  test?: string;
}

/** Language versions given for every service of a stack. */
export interface LanguageVersions {
  node?: string | undefined;
  python?: string | undefined;
  go?: string | undefined;
  bun?: string | undefined;
  deno?: string | undefined;
  rust?: string | undefined;
  ruby?: string | undefined;
  java?: string | undefined;
  dotnet?: string | undefined;
  php?: string | undefined;
  elixir?: string | undefined;
}

/** What the user gave, the same for a new config and for one being patched. */
export interface GivenValues {
  name?: string | undefined;
  branch?: string | undefined;
  stagingBranch?: string | undefined;
  ci?: string | undefined;
  /** "postgres", "redis", both comma-separated, or "none". */
  addons?: string | undefined;
  versions: LanguageVersions;
  /** By service name. */
  services: Record<string, ServiceValues>;
}

/** One chosen service and its values: the answers to its questions, then the other values given for it. */
export interface ServiceChoice {
  candidate: Candidate;
  values: ServiceValues;
  /** Whether the service's tests run with pytest (the caller looks at its files). */
  hasPytest: boolean;
}

export interface BuildInput {
  name: string;
  services: ServiceChoice[];
  branches: DeployKitConfig['branches'];
  ci: DeployKitConfig['ci']['provider'];
  addons: AddonsConfig;
  versions: LanguageVersions;
  /** The env vars the code reads: documented in .env.example. */
  env: EnvVarFact[];
}

/** The add-ons a value of --addons asks for. */
export function parseAddons(value: string): AddonsConfig {
  return value === 'none' ? {} : Object.fromEntries(value.split(',').map((a) => [a.trim(), true]));
}

/** An optional command: "none" (or empty) for none, else the given one, else the detected one. */
function optionalCommand(given: string | undefined, detected: { value: string } | undefined): string | null {
  if (given !== undefined) return given === 'none' || given === '' ? null : given;
  return detected?.value ?? null;
}

/** One service's config from its detection and values, with the warnings worth showing about it. */
function buildService(choice: ServiceChoice, versions: LanguageVersions): { service: ServiceConfig; warnings: string[] } {
  const { candidate: c, values } = choice;
  const s = c.service;
  const warnings: string[] = [];
  const version = s.stack === 'static' ? undefined : versions[s.stack];
  const languageVersion = version ?? detectedLanguageVersion(s)?.value;
  const pastEndOfLife = (runtime: string) =>
    `${c.name}: ${runtime} ${languageVersion} is past end of life; the image uses it because the repo asks for it. ` +
    `Upgrade and set languageVersion in ${CONFIG_FILE}.`;
  if (s.stack === 'node' && languageVersion && NODE_EOL_MAJORS.has(languageVersion)) warnings.push(pastEndOfLife('Node.js'));
  if (s.stack === 'python' && languageVersion && PYTHON_EOL_MINORS.has(languageVersion)) warnings.push(pastEndOfLife('Python'));
  if (s.stack === 'php' && languageVersion && PHP_EOL_MINORS.has(languageVersion)) warnings.push(pastEndOfLife('PHP'));
  if (s.stack === 'node' && s.facts.webFramework?.value === 'next' && s.facts.nextOutput?.value !== 'standalone' && s.facts.kind?.value === 'ssr') {
    const evidence = s.facts.nextOutput?.evidence ?? 'no next.config';
    warnings.push(`${c.name}: the Next.js config does not set output: 'standalone'; the image build stops until it does (${evidence}).`);
  }
  const port = Number(values.port ?? c.questions.fallback.port);
  const detectedPort = Number(c.questions.port?.value ?? port);
  let start = values.start;
  // A Python server's port is in its command line: keep the two in step (unless the command was given).
  if (s.stack === 'python' && start && start === c.questions.start?.value) start = movePort(start, detectedPort, port) ?? start;
  const healthPath = values.healthPath ?? c.questions.fallback.healthPath;
  const answers: ServiceAnswers = {
    port,
    ...(healthPath === TCP_HEALTH ? {} : { healthPath }),
    ...(start ? { start } : {}),
    build:
      s.stack === 'node' || s.stack === 'bun'
        ? optionalCommand(values.build, s.facts.build)
        : s.stack === 'php'
          ? optionalCommand(values.build, s.facts.assets)
          : null,
    // Null leaves the stack's own default (pytest when the repo has tests, `go test ./...`).
    test: optionalCommand(values.test, s.stack === 'node' || s.stack === 'bun' || s.stack === 'deno' || s.stack === 'php' ? s.facts.test : undefined),
    ...(languageVersion ? { languageVersion } : {}),
  };
  return { service: serviceFromDetection(s, c.name, answers, { hasPytest: choice.hasPytest }), warnings };
}

/** The whole config, keys in the order deploy-kit.yaml shows them, and the warnings to show about it. */
export function buildConfig(input: BuildInput): { config: DeployKitConfig; warnings: string[] } {
  const built = input.services.map((choice) => buildService(choice, input.versions));
  const services = built.map((b) => b.service);
  // A PHP app's log switch (stdoutLogEnv) is set by the image: .env.example says so.
  const imageSets = new Set(services.flatMap((svc) => (svc.stdoutLogEnv ? [svc.stdoutLogEnv] : [])));
  const described = (e: EnvVarConfig): EnvVarConfig =>
    imageSets.has(e.name) ? { ...e, description: `The image sets it to true, so the app logs to stdout. ${e.description ?? ''}`.trim() } : e;
  const config: DeployKitConfig = {
    version: 1,
    deployKit: VERSION,
    name: input.name,
    services,
    branches: input.branches,
    ci: { provider: input.ci },
    targets: [{ type: 'compose' }],
    ...(input.addons.postgres || input.addons.redis ? { addons: input.addons } : {}),
    // PORT is documented when some service reads it (a site nginx serves does not).
    env: envFromFacts(input.env, services.find((svc) => !servedByNginx(svc))?.port).map(described),
  };
  return { config, warnings: [...built.flatMap((b) => b.warnings), ...publicSecretWarnings(config)] };
}

/** A build-time variable whose name looks like a secret's: its value would be in the files every browser downloads. */
function publicSecretWarnings(config: DeployKitConfig): string[] {
  const env = config.env ?? [];
  return config.services.flatMap((svc) =>
    publicPrefixed(svc, env)
      .filter((name) => env.find((e) => e.name === name)?.secret)
      .map(
        (name) =>
          `${svc.name}: ${name} looks like a secret, but the ${svc.webFramework ?? ''} build would inline it into the files every browser ` +
          'downloads, so the kit does not pass it to the build. Keep a secret in server code, under a name without the public prefix; ' +
          `if the value is public after all, set secret: false on ${name} under env: in ${CONFIG_FILE}.`,
      ),
  );
}

/** A change to an existing deploy-kit.yaml: the YAML path and its new value. */
export type ConfigPatch = [Array<string | number>, unknown];

/** The changes the given values make to an existing config, in a stable order; an empty list when none were given. */
export function patchesFromValues(config: DeployKitConfig, given: GivenValues): ConfigPatch[] {
  const patches: ConfigPatch[] = [];
  const none = (v: string) => (v === 'none' ? null : v);
  const each = (key: keyof ServiceValues, conv: (v: string) => unknown) => {
    config.services.forEach((svc, i) => {
      const v = given.services[svc.name]?.[key];
      if (v !== undefined) patches.push([['services', i, key], conv(v)]);
    });
  };
  // A language version goes to every service of its stack.
  const version = (v: string | undefined, stack: ServiceConfig['stack']) => {
    if (v !== undefined) config.services.forEach((svc, i) => svc.stack === stack && patches.push([['services', i, 'languageVersion'], v]));
  };
  if (given.name !== undefined) patches.push([['name'], given.name]);
  each('port', Number);
  each('healthPath', (v) => v);
  each('start', (v) => v);
  each('build', none);
  each('test', none);
  version(given.versions.node, 'node');
  version(given.versions.python, 'python');
  version(given.versions.go, 'go');
  if (given.branch !== undefined) patches.push([['branches', 'production'], given.branch]);
  if (given.stagingBranch !== undefined) patches.push([['branches', 'staging'], given.stagingBranch]);
  if (given.ci !== undefined) patches.push([['ci', 'provider'], given.ci]);
  if (given.addons !== undefined) patches.push([['addons'], parseAddons(given.addons)]);
  return patches;
}
