/**
 * What a stack is to deploy-kit: one module per language or runtime (stacks/<stack>/), listed in
 * stacks/index.ts. A stack detects itself in a directory, turns what it found into a service's
 * config, and gives the templates its view: images, probe, CI steps, Dockerfile.
 */
import type { NodeKind, ServiceConfig } from '../src/config/types.js';
import type { BunStackView } from './bun/types.js';
import type { DenoStackView } from './deno/types.js';
import type { DotnetStackView } from './dotnet/types.js';
import type { ElixirStackView } from './elixir/types.js';
import type { GoStackView } from './go/types.js';
import type { JavaStackView } from './java/types.js';
import type { NodeStackView } from './node/types.js';
import type { PhpStackView } from './php/types.js';
import type { PythonStackView } from './python/types.js';
import type { RubyStackView } from './ruby/types.js';
import type { RustStackView } from './rust/types.js';

/** The `stack` key of a service in deploy-kit.yaml. */
export type StackId = ServiceConfig['stack'];

/** The runtime an image ends with; it decides the probe, the user and the signal handling. */
export type Runtime = 'node' | 'python' | 'go' | 'nginx' | 'bun' | 'deno' | 'rust' | 'ruby' | 'java' | 'dotnet' | 'php' | 'elixir';

/** The same health probe in three forms: HEALTHCHECK, compose `test` and a `docker exec` command line. */
export interface Probe {
  healthCheckArgs: string;
  composeHealthTest: string;
  healthProbeShell: string;
}

/** A detected value with its evidence, as a string for prompts and flags. */
export interface Detected {
  value: string;
  evidence: string;
}

/** The per-service questions `init` asks and what detection already answers. */
export interface ServiceQuestions {
  port: Detected | undefined;
  healthPath: Detected | undefined;
  /** Undefined when the stack has no start command to ask for (static sites). */
  start: Detected | undefined;
  needsStart: boolean;
  /** What --yes takes when detection found nothing. */
  /** healthPath: a route, or TCP_HEALTH when the code serves none (never an invented route). */
  fallback: { port: string; healthPath: string; start?: string };
}

/** What `init` asks (or reads from flags) per service; everything else comes from detection. */
export interface ServiceAnswers {
  port: number;
  /** Undefined: no route, the probes connect over TCP. */
  healthPath?: string;
  /** Undefined for a static site (nginx is the server). */
  start?: string;
  build: string | null;
  test: string | null;
  languageVersion?: string;
}

/** What `init` reads from the repo beside detection, for the stacks that use it. */
export interface ConfigExtras {
  /** python: tests exist and pytest is declared (CI runs it). */
  hasPytest?: boolean;
}

export interface NginxStackView {
  /** Repo path of the generated nginx.conf. */
  confFile: string;
  immutablePaths: string[];
  spa: boolean;
  user: string;
  /** "an Astro site", "a static site": the site's kind in headers and the runbook. */
  siteName: string;
  /** The path the site is built for ("/docs"), or "" at the root. */
  basePath: string;
  /** Where the image holds the site's files: nginx's root, plus the base path. */
  docroot: string;
}

/**
 * Handlebars partials of the service's stack, by slot: the generic templates call
 * `{{> (lookup stackPartials "githubTestSteps")}}`. Each names `stacks/<stack>/<file>` for
 * `stacks/<stack>/templates/<file>.hbs` (see stacks/templates.ts).
 */
export interface StackPartials {
  /** GitHub Actions steps between checkout and the test command: setup, install, build, lint. */
  githubTestSteps: string;
  /** GitLab test job `variables:` lines: where the package caches go. */
  gitlabTestVariables: string;
  /** GitLab test job `script:` lines before the test command. */
  gitlabTestScript: string;
  /** .dockerignore lines for what the stack installs, caches and builds. */
  dockerignore: string;
  /** DEPLOY.md's rows for the service's image (and the files it runs with), before its .dockerignore row. */
  runbookFiles: string;
}

/**
 * Per-stack template data: how the service builds, runs, probes its health and is tested in CI.
 * Every field is always defined (null or false when it does not apply): templates compile in
 * strict mode, where a missing field is an error.
 */
export interface StackFields {
  runtime: Runtime;
  runtimeNode: boolean;
  runtimePython: boolean;
  runtimeGo: boolean;
  runtimeNginx: boolean;
  /** The service has a test job in CI (a static site without a build has nothing to test). */
  testJob: boolean;
  languageVersion: string;
  /** Image of the build stage (and of GitLab's test job). */
  baseImage: string;
  /** Image of the final stage. */
  runtimeImage: string;
  /** Repo path of the lockfile CI keys its cache on, or null. */
  lockfilePath: string | null;
  /** Repo paths GitLab's test job keys its cache on (empty without a test job). */
  ciCacheFiles: string[];
  /** Human summary of the image for the runbook. */
  imageSummary: string;
  /** What the app runs as, for the runbook. */
  runsAs: string;
  /** The final image's user as numeric `uid:gid` (Kubernetes' runAsUser/runAsGroup, the Space's uid 1000). */
  user: string;
  /**
   * Directories under the app's directory the app writes at run time: tmpfs mounts on the
   * read-only root filesystem (compose) and emptyDirs (Kubernetes), beside /tmp.
   */
  writable: string[];
  /**
   * DATABASE_URL as compose gives it with the postgres add-on, when the stack's drivers need
   * another form than `postgresql://user:password@host/db` (JDBC); null for that default.
   */
  postgresUrl: string | null;
  /** Seconds the app may take to start before failed probes count (compose's start_period, Fly's grace_period). */
  startPeriod: number;
  /**
   * `NAME=value` pairs the CI smoke test runs the image with: throwaway values for what the app
   * refuses to boot without (Phoenix's SECRET_KEY_BASE), never real secrets. Shell words.
   */
  smokeEnv: string[];
  /**
   * The CI test job's PostgreSQL service, or null: why the tests need it and with what user, as its
   * comment (Phoenix's generated config/test.exs connects as postgres/postgres to localhost).
   */
  testPostgres: string | null;
  tiniNeeded: boolean;
  stackPartials: StackPartials;
  node: NodeStackView | null;
  python: PythonStackView | null;
  go: GoStackView | null;
  nginx: NginxStackView | null;
  bun: BunStackView | null;
  deno: DenoStackView | null;
  rust: RustStackView | null;
  ruby: RubyStackView | null;
  java: JavaStackView | null;
  dotnet: DotnetStackView | null;
  php: PhpStackView | null;
  elixir: ElixirStackView | null;
}

/** The sub-views, one per stack (and nginx, the runtime two stacks share): null unless it is the service's. */
type SubViews = 'node' | 'python' | 'go' | 'nginx' | 'bun' | 'deno' | 'rust' | 'ruby' | 'java' | 'dotnet' | 'php' | 'elixir';

/** Fields the registry defaults, so a stack's view() sets them only where they differ. */
type Defaulted = 'writable' | 'postgresUrl' | 'startPeriod' | 'smokeEnv' | 'testPostgres';

/** What a stack's view() returns; the registry adds the runtime flags, the partials and the null sub-views. */
export type StackView = Omit<StackFields, SubViews | 'runtime' | 'runtimeNode' | 'runtimePython' | 'runtimeGo' | 'runtimeNginx' | 'stackPartials' | Defaulted> &
  Partial<Pick<StackFields, SubViews | Defaulted>>;

/** Where a service sits: `dir` in the repo ("" for the root), and the Node workspace root it builds from, if any. */
export interface ServiceDirs {
  dir: string;
  workspaceDir: string | null;
}

/** What every stack's facts have. */
export interface StackFactsBase {
  /** Relative path of the service inside the repo ("." for the root). */
  path: string;
  /** What detection noticed but could not decide; shown before anything is written. */
  warnings?: string[];
}

/** What a stack's detector may know about the repo beyond its own directory. */
export interface DetectContext {
  /** Every stack's manifests: a fallback stack (a plain site) steps aside where one is present. */
  manifests: readonly string[];
}

/**
 * One stack: detection, facts -> config, config -> view. Methods are pure but for detect(), which
 * reads the directory. A new stack is a folder with such a module (plus its templates in
 * stacks/<stack>/templates/), a line in STACKS (stacks/index.ts) and its branch in the schema.
 */
export interface Stack<F extends StackFactsBase = StackFactsBase> {
  readonly id: StackId;
  /** Files that make a direct subdirectory of the repo root a candidate service. */
  readonly manifests: readonly string[];
  /** Tried only where no stack listed before it found a service (a site with no build is the last guess). */
  readonly fallback?: boolean;

  /** Facts about `root/path`, or undefined when the stack is not there; throws on a manifest it cannot read. */
  detect(root: string, path: string, context: DetectContext): Promise<F | undefined>;
  /** Why these facts are something to deploy (the service's evidence), or undefined for a library or a tool. */
  deployable(facts: F): string | undefined;
  /**
   * Why facts deployable() turned down still matter to the user, said once as a repo warning (a
   * site built into another app's directory), else undefined for a library or a tool.
   */
  notDeployed?(facts: F): string | undefined;
  /**
   * Whether this service takes in another one detected at the same path, which then is no service
   * of its own (a PHP app's package.json that only builds its assets: its image runs that build).
   */
  absorbs?(facts: F, other: { stack: StackId; facts: StackFactsBase }): boolean;
  /**
   * The repo-relative path of a Node package this service builds into its own image (a Go binary's
   * embedded web UI): the site found there is then no service of its own.
   */
  embeds?(facts: F): string | undefined;
  /** The config `kind` the facts imply, for stacks with kinds (node: server, ssr or static). */
  kindOf?(facts: F): NodeKind | undefined;

  /** init: the questions for the service and what detection answers. */
  questions(facts: F): ServiceQuestions;
  /** init: the language version detection implies, before any flag. */
  languageVersion(facts: F): Detected | undefined;
  /** init: the service's config from its facts and the answers. */
  toConfig(facts: F, base: { name: string; path: string }, answers: ServiceAnswers, extras: ConfigExtras): ServiceConfig;

  /** The runtime the image ends with. */
  runtime(s: Pick<ServiceConfig, 'kind'>): Runtime;
  /** A health probe that needs nothing the runtime image lacks. */
  probe(s: Pick<ServiceConfig, 'kind' | 'port' | 'healthPath'>): Probe;
  /** Everything stack-specific in the service's template view. */
  view(s: ServiceConfig, dirs: ServiceDirs): StackView;
  /** The service's Dockerfile template (a file under stacks/<stack>/templates/). */
  dockerfile(s: Pick<ServiceConfig, 'kind'>): string;
}
