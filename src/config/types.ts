/** The typed form of deploy-kit.yaml; `schema/deploy-kit.schema.json` is the contract. */
export type Stack = 'node' | 'python' | 'go' | 'static' | 'bun' | 'deno' | 'rust' | 'ruby' | 'java' | 'dotnet' | 'php' | 'elixir';
export type NodeServerFramework = 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs';
export type PythonWebFramework = 'fastapi' | 'starlette' | 'django' | 'flask' | 'streamlit' | 'gradio';
export type BunServerFramework = 'hono' | 'elysia';
export type DenoServerFramework = 'hono' | 'oak';
export type RustWebFramework = 'axum' | 'actix-web' | 'rocket';
export type RubyWebFramework = 'rails' | 'sinatra' | 'hanami' | 'rack';
export type JavaWebFramework = 'spring-boot' | 'quarkus' | 'micronaut';
export type PhpWebFramework = 'laravel' | 'symfony' | 'slim';
/** elixir: `plug` is a Plug app under Bandit or Cowboy without Phoenix. */
export type ElixirWebFramework = 'phoenix' | 'plug';
export type Framework =
  | NodeServerFramework
  | PythonWebFramework
  | BunServerFramework
  | DenoServerFramework
  | RustWebFramework
  | RubyWebFramework
  | JavaWebFramework
  | 'aspnetcore'
  | PhpWebFramework
  | ElixirWebFramework
  | 'none';
export type NodePackageManager = 'npm' | 'pnpm' | 'yarn';
export type PythonPackageManagerName = 'uv' | 'poetry' | 'pipenv' | 'pip';
export type ConfigPackageManager = NodePackageManager | PythonPackageManagerName | 'maven' | 'gradle';
export type NodeKind = 'server' | 'ssr' | 'static';
export type WebFramework =
  | 'next'
  | 'nuxt'
  | 'remix'
  | 'react-router'
  | 'sveltekit'
  | 'astro'
  | 'tanstack-start'
  | 'vite'
  | 'docusaurus'
  | 'gatsby'
  | 'cra'
  | 'angular'
  | 'vue-cli'
  | 'eleventy'
  | 'vitepress';
export type PythonServer = 'uvicorn' | 'gunicorn' | 'streamlit' | 'python';
export type CiProvider = 'github' | 'gitlab';

/**
 * One service. Which keys apply depends on `stack` (the schema says which, and refuses the rest):
 * node needs packageManager, languageVersion and (unless kind is static) start; bun languageVersion
 * and start (a server) or build and outputDir (kind static); python needs
 * packageManager, languageVersion and start; go needs languageVersion and mainPackage.
 */
export interface ServiceConfig {
  name: string;
  path: string;
  stack: Stack;
  framework?: Framework;
  /** node: server (default), ssr or static. bun: server (default) or static. */
  kind?: NodeKind;
  /** node: meta-framework or site builder; bun (kind static): the site builder. */
  webFramework?: WebFramework;
  /** node, python (pip), elixir: false when the repo has no lockfile (a plain install of package.json / the pyproject project). */
  lockfile?: boolean;
  /** node: the Prisma schema (file or folder) when the app uses Prisma: copied before the install, generated in the image, OpenSSL at run time. */
  prisma?: string;
  /** node: the dependency patches directory the install applies, relative to the install root. */
  patches?: string;
  /** node (ssr, static): the variable the build's env schema skips validation on (@t3-oss/env), set to 1 in the build stage. */
  skipEnvValidation?: string;
  /** node: the install root's .npmrc holds settings only (no credential): the image copies it with the manifests. */
  npmrc?: boolean;
  /** node, bun (kind static): what the build emits; static: the directory to serve. */
  outputDir?: string;
  /** static sites: unknown paths serve index.html. */
  spa?: boolean;
  /** node and bun (kind static): the path the site is built for (`/docs`); the image serves it there. */
  basePath?: string;
  /**
   * node, python (uv), bun (kind static): the workspace root the image is built from (a Node or bun workspace,
   * a uv workspace whose uv.lock covers the member).
   */
  workspaceRoot?: string;
  packageManager?: ConfigPackageManager;
  packageManagerVersion?: string | null;
  languageVersion?: string;
  build?: string | null;
  test?: string | null;
  start?: string;
  /** Migrations, run as their own step before a release. */
  migrate?: string | null;
  /** python: the serving process. */
  server?: PythonServer;
  /** python: what the server loads. */
  entrypoint?: string;
  /** python (pip): files requirements.txt includes beyond requirements*.txt, copied before the install. */
  requirementIncludes?: string[];
  /** python: the repo does not declare the server the start command runs; the image installs it, pinned. */
  installServer?: boolean;
  /** python (django): collectstatic in the build stage. */
  collectstatic?: boolean;
  /** python (django): DJANGO_SETTINGS_MODULE set in the image, e.g. "config.settings.production". */
  settingsModule?: string;
  /** python (django): the directory holding manage.py when it is not the service's root (`src`). */
  manageDir?: string;
  /** ruby: gems in Gemfile.lock the image acts on (bootsnap: precompiled cache; pg, mysql2: their C libraries). */
  gems?: string[];
  /** java: the framework's version from the build file (Spring Boot's decides how its jar is split into layers). */
  frameworkVersion?: string;
  /** java: the migration tool the framework runs when the app starts (no release step; DEPLOY.md says so). */
  migrateOnStart?: 'flyway' | 'liquibase';
  /** dotnet: the project to restore and publish, relative to the service's path. */
  project?: string;
  /** php: extensions the image builds (docker-php-ext-install or PECL) beyond those the official image ships. */
  extensions?: string[];
  /** php: the directory Apache serves when it is not `public` (`.` for an index.php at the root). */
  documentRoot?: string;
  /** php: the variable the app's settings check to log to php://stdout (Slim-Skeleton's `docker`): the image sets it to `true`. */
  stdoutLogEnv?: string;
  /** elixir: the Erlang/OTP major of the build image, e.g. "29". */
  otpVersion?: string;
  /** elixir: false when mix.exs declares no dependencies (no Hex, no deps.get). */
  mixDeps?: boolean;
  /** elixir: compile-time config files copied before the dependencies compile. */
  compileConfig?: string[];
  /** go: the package to build. */
  mainPackage?: string;
  /** go: build with cgo (CGO_ENABLED=1) and run on a glibc distroless image. */
  cgo?: boolean;
  /** go: a web UI the binary embeds, built with Node before `go build`. */
  frontend?: GoFrontendConfig;
  port: number;
  /** The variable the app reads its port from when it is not PORT (hexpm's HEXPM_PORT): set to `port` beside PORT. */
  portEnv?: string;
  /** The variable the app reads its listen address from (miniflux's LISTEN_ADDR): set to `0.0.0.0:<port>` beside PORT. */
  listenAddrEnv?: string;
  /** The variable the app reads its PostgreSQL URL from when it is not DATABASE_URL: the add-on's URL goes there. */
  databaseUrlEnv?: string;
  /** Absent: no route to probe; the checks connect to the port over TCP. */
  healthPath?: string;
}

/** Backing services compose runs beside the app. */
export interface AddonsConfig {
  postgres?: boolean;
  redis?: boolean;
}

export interface EnvVarConfig {
  name: string;
  required?: boolean;
  secret?: boolean;
  description?: string;
  example?: string;
}

/** compose.yaml for local runs and single-host use. */
export interface ComposeTargetConfig {
  type: 'compose';
}

/** An endpoint verify.sh checks through the public URL after a deploy. */
export interface SmokeTestConfig {
  path: string;
  /** Expected HTTP status; default 200. */
  status?: number;
}

/**
 * A Docker host over SSH: registry image, nginx in front, blue-green deploy.sh, rollback.sh,
 * verify.sh. Optional fields have defaults (see the schema); `projectView` applies them.
 */
export interface VpsTargetConfig {
  type: 'vps';
  domain: string;
  environment?: string;
  stagingDomain?: string | null;
  stagingEnvironment?: string;
  service?: string;
  appDir?: string;
  sshUser?: string;
  bluePort?: number;
  greenPort?: number;
  keepReleases?: number;
  monitoring?: boolean;
  rateLimit?: number | null;
  smokeTests?: SmokeTestConfig[];
}

/** Colors a Hugging Face Space card may use. */
export type HfSpaceColor = 'red' | 'yellow' | 'green' | 'blue' | 'indigo' | 'purple' | 'pink' | 'gray';

/** A Hugging Face Docker Space the workflow pushes the service to. */
export interface HfSpacesTargetConfig {
  type: 'hf-spaces';
  /** `<owner>/<space>`. */
  space: string;
  service?: string;
  title?: string;
  emoji?: string;
  colorFrom?: HfSpaceColor;
  colorTo?: HfSpaceColor;
}

/** GitHub Pages: a static build deployed with the official Pages actions. */
export interface GithubPagesTargetConfig {
  type: 'github-pages';
  service?: string;
  /** "" (root) or "/path"; absent: what configure-pages reports. */
  basePath?: string;
}

/** Vercel, driven by its CLI from CI: previews on pull requests, production on the production branch. */
export interface VercelTargetConfig {
  type: 'vercel';
  domain: string;
  service?: string;
  prComments?: boolean;
}

/** Netlify, driven by its CLI from CI: previews on pull requests, production on the production branch. */
export interface NetlifyTargetConfig {
  type: 'netlify';
  service?: string;
  prComments?: boolean;
}

/** Fly.io Machines: fly.toml and a flyctl deploy workflow. */
export interface FlyTargetConfig {
  type: 'fly';
  app: string;
  stagingApp?: string;
  primaryRegion?: string;
  strategy?: 'rolling' | 'bluegreen';
  service?: string;
  minMachinesRunning?: number;
  autoStop?: boolean;
  memoryMb?: number;
}

/** Kubernetes: kustomize base and overlays, applied by CI or synced by Argo CD. */
export interface KubernetesTargetConfig {
  type: 'kubernetes';
  domain: string;
  stagingDomain?: string | null;
  service?: string;
  namespace?: string;
  stagingNamespace?: string;
  ingressClassName?: string;
  clusterIssuer?: string | null;
  replicas?: number;
  stagingReplicas?: number;
  maxReplicas?: number;
  imageRepository?: string | null;
  gitops?: 'none' | 'argocd';
  repoUrl?: string | null;
}

export type TargetConfig =
  | ComposeTargetConfig
  | VpsTargetConfig
  | HfSpacesTargetConfig
  | GithubPagesTargetConfig
  | VercelTargetConfig
  | NetlifyTargetConfig
  | FlyTargetConfig
  | KubernetesTargetConfig;

export interface DeployKitConfig {
  version: 1;
  /** The deploy-kit version that last wrote the kit (absent in kits written before it was recorded). */
  deployKit?: string;
  name: string;
  services: ServiceConfig[];
  branches: { production: string; staging?: string | null };
  ci: { provider: CiProvider; imageScan?: boolean };
  targets: TargetConfig[];
  security?: SecurityConfig;
  addons?: AddonsConfig;
  env?: EnvVarConfig[];
}

/** Supply-chain checks of the deployed images. */
export interface SecurityConfig {
  /** Attest each image in CI and refuse, at deploy time, an image whose attestation does not verify. */
  verifyImages?: boolean;
  /** `owner/name` of the GitHub repository whose workflow builds the images (what the VPS host checks against). */
  repository?: string;
}

export const CONFIG_FILE = 'deploy-kit.yaml';
export const STATE_DIR = '.deploy-kit';
export const SCHEMA_FILE = `${STATE_DIR}/deploy-kit.schema.json`;

/** go: the embedded web UI's build (deploy-kit.yaml `frontend`). */
export interface GoFrontendConfig {
  path: string;
  build: string;
  output: string;
  packageManager: 'npm' | 'pnpm' | 'yarn';
  packageManagerVersion?: string;
  languageVersion: string;
  lockfile?: boolean;
}
