/** A Node service: what detection learns about it, and what its templates read. */
import type { NodePackageManager } from '../../src/config/types.js';
import type { Fact } from '../../src/detect/fact.js';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';
export type NodeFramework = 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs';
/** Meta-frameworks and site builders; kept apart from {@link NodeFramework}, which names server libraries. */
export type NodeWebFramework = 'next' | 'nuxt' | 'remix' | 'react-router' | 'sveltekit' | 'astro' | 'tanstack-start' | 'vite' | 'docusaurus' | 'gatsby' | 'cra' | 'angular' | 'vue-cli' | 'eleventy' | 'vitepress';
/**
 * How the app runs in production: 'server' (a Node process of its own: Express & co, or a plain
 * `node file.js`), 'ssr' (a framework's Node server renders pages), 'static' (the build emits files any
 * web server can serve; no Node at run time).
 */
export type NodeAppKind = 'server' | 'ssr' | 'static';

export interface NodeFacts {
  /** Relative path of the service inside the repo ("." for the root). */
  path: string;
  /** package.json "name", sanitised to a lowercase slug when possible. */
  name?: Fact<string>;
  packageManager: Fact<PackageManager>;
  /** Exact version from package.json `packageManager` ("pnpm@9.1.0" gives "9.1.0"). */
  packageManagerVersion?: Fact<string>;
  /** yarn only: "classic" (v1) or "berry" (v2+). */
  yarnFlavor?: Fact<'classic' | 'berry'>;
  /** Major Node version the app asks for, e.g. "22". */
  nodeVersion?: Fact<string>;
  framework?: Fact<NodeFramework>;
  /** The lockfile's name, when one exists. */
  lockfile?: Fact<string>;
  /** Build command, e.g. "npm run build", when package.json has a build script. */
  build?: Fact<string>;
  /** Test command, e.g. "npm test", when package.json has a real test script. */
  test?: Fact<string>;
  /** The command that starts the server in production, exec-form friendly, e.g. "node src/server.js". */
  start?: Fact<string>;
  port?: Fact<number>;
  /** The variable the server reads its port from when not PORT (`process.env.SERVER_PORT || 4000`): the kit sets it. */
  portEnv?: Fact<string>;
  healthPath?: Fact<string>;
  /** See {@link NodeAppKind}. Undefined for a library or anything else with nothing to run or serve. */
  kind?: Fact<NodeAppKind>;
  webFramework?: Fact<NodeWebFramework>;
  /**
   * What the build emits, relative to the service: the site for 'static' ("dist", "build", "out",
   * "public", ...), the server bundle for 'ssr' (".next/standalone", ".output", "build", "dist").
   */
  outputDir?: Fact<string>;
  /**
   * A site whose build writes outside its package (Vite's `outDir: "../backend/app/frontend"`): the
   * repo path it writes to. The app there serves it, so the site is no service of its own.
   */
  builtInto?: Fact<string>;
  /** A static site's base path ("/docs"): the path its pages and assets are linked under. */
  basePath?: Fact<string>;
  /** A site builder in the dependencies but no script that builds the site: why it is no service (the message init prints). */
  unbuilt?: Fact<string>;
  /** A VS Code extension, a mobile or desktop app: what it is. No service, whatever its scripts build. */
  clientApp?: Fact<string>;
  /** A workspace package another one depends on (`apps/web/package.json depends on @acme/ui`): a library, whatever it imports. */
  importedBy?: Fact<true>;
  /** Workspace sites whose build output this server serves (its code names `client/dist`): its image builds them. */
  serves?: Fact<string[]>;
  /** The variable that makes the build skip validating the server's env (@t3-oss/env's skipValidation): the build stage sets it. */
  skipEnvValidation?: Fact<string>;
  /** A workspace root whose start script runs its packages' scripts (`turbo run start`): the tool's name. No service itself. */
  delegatesStart?: Fact<string>;
  /** Next.js only: `output` in next.config; 'default' when unset (the Dockerfile needs 'standalone'). */
  nextOutput?: Fact<'standalone' | 'export' | 'default'>;
  /**
   * The environment variable the SSR server reads its bind address from (HOSTNAME for Next, HOST for
   * the others): a container must set it to 0.0.0.0.
   */
  hostEnv?: Fact<string>;
  /** Workspace package directories (repo-relative, sorted) when this package.json or pnpm-workspace.yaml declares workspaces. */
  workspaces?: Fact<string[]>;
  /**
   * For a package inside a workspace: the workspace root's path ("." for the repo root). The image
   * must be built from there, where the lockfile is.
   */
  workspaceRoot?: Fact<string>;
  /**
   * What this service's detection noticed but could not decide (no lockfile, several lockfiles,
   * `lts/*` in .nvmrc, ...). detectNode always sets it; detectRepo copies it into RepoFacts.warnings.
   */
  warnings?: string[];
  /** Prisma: a schema to generate the client from, its provider, migrations to deploy. */
  prisma?: Fact<PrismaFacts>;
  /** The dependency patches directory the install applies (pnpm patchedDependencies, patch-package), relative to the install root. */
  patches?: Fact<string>;
  /** The install root's .npmrc holds settings and no credential: the image copies it with the manifests. */
  npmrc?: Fact<true>;
}

/** The service view's `node` field: what its templates read. */
export interface NodeStackView {
  packageManager: NodePackageManager;
  lockfile: string;
  /** The repo has no lockfile: the image and CI run a plain install (lockfile is package.json then). */
  noLockfile: boolean;
  /** The install root's .npmrc (settings only) goes into the build context and is copied with the manifests. */
  npmrc: boolean;
  manifests: string;
  installAll: string;
  installProd: string;
  prune: string;
  /** The prune reinstalls from pnpm's store: its RUN mounts the store's cache. */
  pruneCache: boolean;
  cacheDir: string;
  setupNodeCache: string;
  pmInstall: string | null;
  usesPnpm: boolean;
  next: boolean;
  nuxt: boolean;
  /** Prisma: the command that generates its client once the sources are copied, else null. */
  prismaGenerate: string | null;
  /** Prisma: what is copied before the install (the schema's folder, or the schema file), else null. */
  prismaCopy: string | null;
  /** The build stage installs every dependency: there is a build, or the Prisma CLI (a dev tool) generates the client. */
  fullInstall: boolean;
  /** Nuxt, TanStack Start with Nitro: the self-contained .output, no node_modules at run time. */
  nitro: boolean;
  /** SvelteKit, Astro, Remix, React Router: their server bundle plus production node_modules. */
  bundleSsr: boolean;
  /** Remix / React Router serve public/ beside the build. */
  copyPublic: boolean;
  /** The variable the SSR server reads its bind address from (HOSTNAME for Next.js, HOST for the others). */
  hostEnv: string | null;
  /** Files `find` keeps in the workspace manifests stage. */
  manifestKeep: string;
  /** Set to 1 in the build stage: the env schema the build imports skips validating the server's variables. */
  skipEnvValidation: string | null;
  /** The dependency patches directory, copied with the manifests before the install (outside a workspace's manifests stage). */
  patches: string | null;
}

/** What a meta-framework or site builder means for the image (stacks/node/detect-web.ts). */
export interface WebFacts {
  webFramework?: Fact<NodeWebFramework>;
  /** Undefined when the framework is set up for a platform a container cannot run (adapter-auto, a Vercel adapter...). */
  kind?: Fact<'ssr' | 'static'>;
  outputDir?: Fact<string>;
  nextOutput?: Fact<'standalone' | 'export' | 'default'>;
  /** The framework's production server command (plain `node ...`, or a bin under node_modules/.bin). */
  start?: Fact<string>;
  port?: Fact<number>;
  hostEnv?: Fact<string>;
  /** A health route defined by a route file (app/api/health/route.ts, server/api/health.get.ts, ...). */
  healthPath?: Fact<string>;
  /** The package.json script that builds what is deployed, when it is not `build` (Nuxt 2's `generate`). */
  buildScript?: Fact<string>;
  /** A Vite project in library mode (`build.lib`): a package, not a site. */
  library?: Fact<boolean>;
  /** A static site's base path ("/docs"), from its config: the image serves it there. */
  basePath?: Fact<string>;
}

export interface WebInput {
  dir: string;
  at: (file: string) => string;
  /** dependencies and devDependencies, merged (dependencies win). */
  deps: Record<string, string>;
  /** The package.json field each dependency came from. */
  depField: (dep: string) => 'dependencies' | 'devDependencies';
  /** `<package.json> <field>.<dep>: "<version>"`, the workspace root's for a dependency kept there. */
  depEvidence?: (dep: string) => string;
  scripts: Record<string, string>;
  /** peerDependencies: a framework here makes the package a library for that framework's apps. */
  peers?: Record<string, string>;
  /** package.json declares an entry to import (main, module or exports). */
  importable?: 'main' | 'module' | 'exports';
}

/** Prisma in a Node service (stacks/node/prisma.ts). */
export interface PrismaFacts {
  /** The schema file or folder, relative to the service. */
  schema: string;
  /** The datasource's provider: postgresql, mysql, sqlite... */
  provider: string | null;
  /** prisma/migrations holds migrations: `prisma migrate deploy` applies them. */
  migrations: boolean;
  /** The prisma CLI is a production dependency, so the runtime image has it for migrate deploy. */
  cliInProd: boolean;
}
