/** An Elixir service: what detection learns about it, and what its templates read. */
import type { Fact } from '../../src/detect/fact.js';

/** `plug`: a Plug app served by Bandit or Cowboy without Phoenix. */
export type ElixirFramework = 'phoenix' | 'plug';

export interface ElixirFacts {
  path: string;
  /** mix.exs `app: :name`: the OTP application, and the default release name. */
  app?: Fact<string>;
  /** The release `mix release` builds: the app, or the first of mix.exs `releases:`. */
  release?: Fact<string>;
  /** An umbrella's child app (`in_umbrella`, `lockfile: "../../mix.lock"`): built from the umbrella root, not on its own. */
  umbrellaChild?: Fact<string>;
  /** Hex package metadata and no `releases:`: a library published to Hex, not an app to deploy. */
  hexPackage?: Fact<boolean>;
  /** mix.lock present. */
  lockfile?: Fact<string>;
  /** Names of the dependencies mix.exs declares (an empty list: nothing for Hex to fetch). */
  deps: string[];
  /** "X.Y" of Elixir: .tool-versions, else the newest supported release mix.exs `elixir:` allows. */
  elixirVersion?: Fact<string>;
  /** The OTP major: .tool-versions `erlang`, or the `-otp-NN` of its elixir line. */
  otpVersion?: Fact<string>;
  framework?: Fact<ElixirFramework>;
  /** bandit or cowboy (plug_cowboy). */
  server?: Fact<string>;
  /** An OTP application callback (`mod:` in mix.exs): something that runs, not a library. */
  application?: Fact<string>;
  /** Phoenix's endpoint module, e.g. MyAppWeb.Endpoint. */
  endpoint?: Fact<string>;
  /** config/runtime.exs: read when the release boots (env vars go there). */
  runtimeConfig?: Fact<boolean>;
  /** Compile-time config files copied before the dependencies compile. */
  compileConfig: string[];
  /** mix.exs has an `assets.deploy` alias (Phoenix's esbuild/tailwind/phx.digest). */
  assets?: Fact<boolean>;
  /** Ecto with a SQL adapter (postgrex, myxql, ecto_sqlite3). */
  ecto?: Fact<string>;
  /** A `<App>.Release` module with migrate/0: migrations through the release's eval. */
  releaseModule?: Fact<string>;
  port?: Fact<number>;
  /** The variable the endpoint's http port is read from, when it is not PORT (`HEXPM_PORT`). */
  portEnv?: Fact<string>;
  /** The variable the Ecto repo's URL is read from, when it is not DATABASE_URL (postgrex only: the add-on's URL goes there). */
  databaseUrlEnv?: Fact<string>;
  healthPath?: Fact<string>;
  warnings: string[];
}

/** The service view's `elixir` field: what its templates read. */
export interface ElixirStackView {
  release: string;
  phoenix: boolean;
  /** Hex dependencies to fetch and compile (false: mix.exs declares none, so no Hex is needed). */
  deps: boolean;
  /** mix.lock is copied with mix.exs. */
  lockfile: boolean;
  /** Compile-time config files copied before deps compile, space-separated, or "". */
  compileConfig: string;
  /** Build-stage command after `mix compile` (Phoenix's `mix assets.deploy`), or null. */
  assetsBuild: string | null;
  otpVersion: string;
  /** Debian release of both stages. */
  debian: string;
  /** GitHub Actions cache of deps/ and _build/: paths from the repo root, key on mix.lock, and the key's prefix. */
  ciCachePaths: string[];
  ciCacheKey: string;
  ciCachePrefix: string;
  /** The start command in exec form (JSON array). */
  startArgs: string;
}
