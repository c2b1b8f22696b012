/** A Go service: what detection learns about it, and what its templates read. */
import type { Fact } from '../../src/detect/fact.js';

/** A web UI the binary embeds (`//go:embed`), built by a package.json of the module. */
export interface GoFrontendFacts {
  /** The package.json's directory, module-relative ("ui", "web"). */
  path: string;
  /** The command that builds it, run in that directory ("yarn build", "pnpm run release"). */
  build: string;
  /** Where the build writes, module-relative: the directory go:embed reads. */
  output: string;
  packageManager: 'npm' | 'pnpm' | 'yarn';
  packageManagerVersion?: string;
  /** Node major version for the build stage. */
  languageVersion: string;
  lockfile: boolean;
}

export interface GoFacts {
  path: string;
  /** go.mod `module` path. */
  module?: Fact<string>;
  /** go.mod `go` line as written, e.g. "1.22" or "1.22.3". */
  goVersion?: Fact<string>;
  /** go.mod `toolchain` line without the "go" prefix, e.g. "1.22.5". */
  toolchain?: Fact<string>;
  /** The package `go build` builds, e.g. "." or "./cmd/api". */
  mainPackage?: Fact<string>;
  /** Every main package found (same form as mainPackage), sorted; more than one is warned about. */
  mainPackages: string[];
  /** The arguments that start its server when that is a subcommand (`serve --http=0.0.0.0:8090`). */
  serve?: Fact<string>;
  /** A name for the binary: the cmd/<name> directory, else the module path's last element. */
  name?: Fact<string>;
  /** `import "C"` (or a dependency that needs cgo): a static CGO_ENABLED=0 build will not work. */
  cgo: Fact<boolean>;
  port?: Fact<number>;
  /** The variable the app reads its port from when it is not PORT (`WHOAMI_PORT_NUMBER`, viper's `MEMOS_PORT`): the kit sets it to the port. */
  portEnv?: Fact<string>;
  /** The variable the app reads its listen address (host:port) from (`LISTEN_ADDR`): the kit sets it to 0.0.0.0:<port>. */
  listenAddrEnv?: Fact<string>;
  healthPath?: Fact<string>;
  /** A web UI the binary embeds, built with Node first. */
  frontend?: Fact<GoFrontendFacts>;
  warnings: string[];
}

/** The service view's `go` field: what its templates read. */
export interface GoStackView {
  mainPackage: string;
  binary: string;
  binaryPath: string;
  /** CMD after the ENTRYPOINT binary (JSON array), or null. */
  args: string | null;
  probeLines: string[];
  probePath: string;
  /** distroless's nonroot uid:gid. */
  user: string;
  /** CGO_ENABLED=1, linked against glibc: runs on distroless/cc. */
  cgo: boolean;
  /** The embedded web UI's Node stage, or null. */
  frontend: GoFrontendView | null;
}

export interface GoFrontendView {
  image: string;
  /** The package's directory in the build stage: /src/ui. */
  workdir: string;
  /** The package's files in the build context: `ui/` (or `.`). */
  source: string;
  pmInstall: string | null;
  manifests: string;
  cacheDir: string;
  installAll: string;
  build: string;
  /** Module-relative output directory, copied to the same place in the Go build stage. */
  output: string;
  /** Node major of the stage and the CI step. */
  languageVersion: string;
  /** The package's directory from the repository root, for the CI step. */
  ciDir: string;
  /** The package's directory as a .dockerignore prefix: `ui/`, or nothing at the root. */
  ignoreDir: string;
}
