/** A Rust service: what detection learns about it, and what its templates read. */
import type { Fact } from '../../src/detect/fact.js';

export type RustFramework = 'axum' | 'actix-web' | 'rocket';

export interface RustFacts {
  path: string;
  /** Cargo.lock, with its format version ("version = 3"). */
  lockfile?: Fact<string>;
  /** Workspace members (directories, globs expanded) when Cargo.toml has a [workspace]. */
  workspaceMembers: string[];
  /** The package that holds the binary, e.g. "api". */
  package?: Fact<string>;
  /** The binary target `cargo build --bin` builds (a [[bin]] name, src/main.rs's package name, src/bin/<name>). */
  binary?: Fact<string>;
  /** Every binary target found, sorted; more than one is warned about. */
  binaries: string[];
  /** rust-toolchain.toml's (or rust-toolchain's) channel, e.g. "1.85" or "1.85.0"; "stable" is not kept. */
  toolchain?: Fact<string>;
  /** [package] rust-version: the minimum the crate builds with. */
  rustVersion?: Fact<string>;
  edition?: Fact<string>;
  framework?: Fact<RustFramework>;
  port?: Fact<number>;
  healthPath?: Fact<string>;
  warnings: string[];
}

/** The service view's `rust` field: what its templates read. */
export interface RustStackView {
  binary: string;
  binaryPath: string;
  /** CMD after the ENTRYPOINT binary (JSON array), or null. */
  args: string | null;
  /** The std-only health probe's source, one line per printf argument (no single quotes). */
  probeLines: string[];
  probePath: string;
  /** tini from Debian's tini package (its static build), copied into the runtime image. */
  tini: string;
  /** Rocket binds 127.0.0.1:8000 unless told otherwise. */
  rocket: boolean;
  /** distroless's nonroot uid:gid. */
  user: string;
}
