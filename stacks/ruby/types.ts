/** A Ruby service: what detection learns about it, and what its templates read. */
import type { Fact } from '../../src/detect/fact.js';

export type RubyFramework = 'rails' | 'sinatra' | 'hanami' | 'rack';

export interface RubyFacts {
  path: string;
  /** Gemfile.lock, with the Bundler that wrote it. */
  lockfile?: Fact<string>;
  /** "X.Y", from .ruby-version, the Gemfile's `ruby` line or Gemfile.lock's RUBY VERSION. */
  rubyVersion?: Fact<string>;
  framework?: Fact<RubyFramework>;
  /** The Rails version in Gemfile.lock, e.g. "7.2.1". */
  railsVersion?: Fact<string>;
  puma?: Fact<boolean>;
  /** Gems the image acts on: bootsnap (precompiled cache), pg and mysql2 (their C libraries). */
  gems: string[];
  /** Rails with an asset pipeline (propshaft, sprockets-rails): `assets:precompile` at build. */
  assets?: Fact<boolean>;
  /** Rails with a database to prepare: `db:prepare` as a release step. */
  migrations?: Fact<boolean>;
  start?: Fact<string>;
  port?: Fact<number>;
  healthPath?: Fact<string>;
  warnings: string[];
}

/** The service view's `ruby` field: what its templates read. */
export interface RubyStackView {
  rails: boolean;
  bootsnap: boolean;
  /** Build-stage command run with a dummy secret (Rails' assets:precompile), or null. */
  assetsBuild: string | null;
  /** apt packages the build stage adds for native gems (beyond build-essential). */
  buildPackages: string;
  /** apt packages the runtime needs (jemalloc, the C libraries native gems link). */
  runtimePackages: string;
  /** Directories Rails writes to, owned by the app user. */
  writableDirs: string;
  /** Those of them a tmpfs covers at run time (the stack's `writable`), mode 0700 in the image. */
  tmpfsDirs: string;
  server: string;
  /** The start command in exec form (JSON array). */
  startArgs: string;
}
