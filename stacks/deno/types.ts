/** A Deno service: what detection learns about it, and what its templates read. */
import type { Fact } from '../../src/detect/fact.js';

export type DenoFramework = 'hono' | 'oak';

export interface DenoFacts {
  path: string;
  /** deno.json or deno.jsonc. */
  config: Fact<string>;
  /** deno.lock, when one exists: `deno install --frozen` refuses a stale one. */
  lockfile?: Fact<string>;
  framework?: Fact<DenoFramework>;
  test?: Fact<string>;
  /** `deno run <flags> <file>`: the server, with the permissions it asks for. */
  start?: Fact<string>;
  /** Why there is no service though a start task exists: its file is a build output (Fresh 2's _fresh/server.js). */
  unbuilt?: string;
  port?: Fact<number>;
  /** The variable the server reads its port from when not PORT (`Deno.env.get("APP_PORT") ?? 8000`): the kit sets it. */
  portEnv?: Fact<string>;
  healthPath?: Fact<string>;
  warnings: string[];
}

/** The service view's `deno` field: what its templates read. */
export interface DenoStackView {
  /** The file `deno cache` compiles in the build stage: the start command's last argument. */
  entry: string;
  /** CMD after the image's tini entrypoint: `run --cached-only <flags> <file>` as a JSON array. */
  cmd: string;
  user: string;
}
