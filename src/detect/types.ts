/**
 * What detection learned about a repository. Every fact carries the evidence that decided it,
 * so the CLI can show the user why before anything is written.
 */
export interface Fact<T> {
  value: T;
  /** Human-readable reason, e.g. "package-lock.json present" or "src/server.js:12 app.listen(PORT || 3000)". */
  evidence: string;
}

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';
export type NodeFramework = 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs';

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
  healthPath?: Fact<string>;
  /**
   * What this service's detection noticed but could not decide (no lockfile, several lockfiles,
   * `lts/*` in .nvmrc, ...). detectNode always sets it; detectRepo copies it into RepoFacts.warnings.
   */
  warnings?: string[];
}

export interface EnvVarFact {
  name: string;
  /** Every place it is read, as "file:line". */
  locations: string[];
}

export interface GitFacts {
  /** The branch production deploys from: remote HEAD, else current branch, else init.defaultBranch. */
  defaultBranch?: Fact<string>;
  /** Local and remote-tracking branch names (without "origin/"). */
  branches: string[];
  isRepo: boolean;
}

export interface RepoFacts {
  root: string;
  node?: NodeFacts;
  git: GitFacts;
  env: EnvVarFact[];
  /** Things detection noticed but could not decide; shown to the user. */
  warnings: string[];
}
