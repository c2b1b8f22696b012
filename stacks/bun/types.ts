/** A Bun service: what detection learns about it, and what its templates read. */
import type { WebFramework } from '../../src/config/types.js';
import type { Fact } from '../../src/detect/fact.js';

export type BunFramework = 'hono' | 'elysia';

export interface BunFacts {
  path: string;
  /** bun.lock (text, Bun 1.2+) or bun.lockb (binary), when one exists. */
  lockfile?: Fact<string>;
  /** bunfig.toml beside package.json: it can change how `bun install` resolves, so the image copies it with the manifests. */
  bunfig?: Fact<boolean>;
  /** Bun minor version, e.g. "1.3", from package.json `packageManager` or `.bun-version`. */
  bunVersion?: Fact<string>;
  name?: Fact<string>;
  framework?: Fact<BunFramework>;
  build?: Fact<string>;
  test?: Fact<string>;
  /** `bun run <file>` (or `bun <file>`): the server, exec form, without a package script's shell in between. */
  start?: Fact<string>;
  port?: Fact<number>;
  /** The variable the server reads its port from when not PORT (`Bun.env.APP_PORT ?? 3000`, `process.env.port`): the kit sets it. */
  portEnv?: Fact<string>;
  healthPath?: Fact<string>;
  /**
   * 'static': a site builder (Vite & co, read by the Node detector) emits files nginx serves; bun
   * installs and builds, nothing of bun runs in production. Undefined for a server.
   */
  kind?: Fact<'static'>;
  webFramework?: Fact<WebFramework>;
  /** A static site's build output, relative to the service (e.g. "dist"). */
  outputDir?: Fact<string>;
  /** The site's base path (see NodeFacts.basePath). */
  basePath?: Fact<string>;
  /** A site built into another directory (see NodeFacts.builtInto): no service of its own. */
  builtInto?: Fact<string>;
  /** A site builder without a build script (see NodeFacts.unbuilt): no service. */
  unbuilt?: Fact<string>;
  /** A static site in a bun workspace: the root's path, where bun.lock is; the image builds from there. */
  workspaceRoot?: Fact<string>;
  warnings: string[];
}

/** The service view's `bun` field: what its templates read. */
export interface BunStackView {
  /** What the install step copies before the source: package.json, the lockfile, bunfig.toml. */
  manifests: string;
  /** CMD in exec form, after tini. */
  startArgs: string;
  cacheDir: string;
  user: string;
  /** Files `find` keeps in a workspace site's manifests stage (each package.json, the lockfile, bunfig.toml). */
  manifestKeep: string;
}
