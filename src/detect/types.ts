/**
 * What detection learned about a repository. Each stack's own facts live in its folder
 * (stacks/<stack>/types.ts); this file joins them into one service type and the repo's facts.
 */
import type { BunFacts } from '../../stacks/bun/types.js';
import type { DenoFacts } from '../../stacks/deno/types.js';
import type { DotnetFacts } from '../../stacks/dotnet/types.js';
import type { ElixirFacts } from '../../stacks/elixir/types.js';
import type { GoFacts } from '../../stacks/go/types.js';
import type { JavaFacts } from '../../stacks/java/types.js';
import type { NodeFacts } from '../../stacks/node/types.js';
import type { PhpFacts } from '../../stacks/php/types.js';
import type { PythonFacts } from '../../stacks/python/types.js';
import type { RubyFacts } from '../../stacks/ruby/types.js';
import type { RustFacts } from '../../stacks/rust/types.js';
import type { StaticFacts } from '../../stacks/static/types.js';
import type { ForeignSite } from '../../stacks/static/foreign.js';

import type { Fact } from './fact.js';

export type { Fact } from './fact.js';
export type * from '../../stacks/bun/types.js';
export type * from '../../stacks/deno/types.js';
export type * from '../../stacks/dotnet/types.js';
export type * from '../../stacks/elixir/types.js';
export type * from '../../stacks/go/types.js';
export type * from '../../stacks/java/types.js';
export type * from '../../stacks/node/types.js';
export type * from '../../stacks/php/types.js';
export type * from '../../stacks/python/types.js';
export type * from '../../stacks/ruby/types.js';
export type * from '../../stacks/rust/types.js';
export type * from '../../stacks/static/types.js';

export interface EnvVarFact {
  name: string;
  /** Every place it is read, as "file:line". */
  locations: string[];
  /** The database a Prisma datasource reads this URL for (postgresql, mysql, sqlite...). */
  provider?: string;
  /** The code refuses to run without it (Elixir's `System.fetch_env!`, `System.get_env("X") || raise`); absent otherwise. */
  required?: true;
}

export interface GitFacts {
  /** The branch production deploys from: remote HEAD, else current branch, else init.defaultBranch. */
  defaultBranch?: Fact<string>;
  /** Local and remote-tracking branch names (without "origin/"). */
  branches: string[];
  isRepo: boolean;
}

/** The stacks detection knows; each is a module in stacks/, listed in stacks/index.ts. */

interface ServiceBase<S extends string, F> {
  /** Relative path of the service inside the repo ("." for the root). */
  path: string;
  stack: S;
  /** Why this directory counts as a deployable service (and not a library or a tool). */
  evidence: string;
  facts: F;
}

/**
 * One deployable service of the repo; switch on `stack` to get its facts. Node sites built to static
 * files are `stack: 'node'` with `facts.kind.value === 'static'`; `stack: 'static'` has no build.
 */
export type DetectedService =
  ServiceBase<'node', NodeFacts> | ServiceBase<'python', PythonFacts> | ServiceBase<'go', GoFacts> | ServiceBase<'static', StaticFacts>
  | ServiceBase<'bun', BunFacts>
  | ServiceBase<'deno', DenoFacts>
  | ServiceBase<'rust', RustFacts>
  | ServiceBase<'ruby', RubyFacts>
  | ServiceBase<'java', JavaFacts>
  | ServiceBase<'dotnet', DotnetFacts>
  | ServiceBase<'php', PhpFacts>
  | ServiceBase<'elixir', ElixirFacts>;

export interface RepoFacts {
  root: string;
  node?: NodeFacts;
  /** Every deployable service found (root, apps/*, services/*, packages/*, workspaces, manifests in direct subdirectories), sorted by path. */
  services?: DetectedService[];
  git: GitFacts;
  env: EnvVarFact[];
  /** Sites of a generator deploy-kit does not build (Hugo, Jekyll, MkDocs), where no service was found. */
  foreignSites?: ForeignSite[];
  /** Things detection noticed but could not decide; shown to the user. */
  warnings: string[];
}
