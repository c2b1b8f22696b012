/**
 * THE list of stacks, and the lookups the rest of deploy-kit asks it: detection walks STACKS,
 * `init` asks the stack of a detected service for its questions and config, the planner and the
 * generators ask the stack of a configured service for its view, probe, runtime and Dockerfile.
 * Nothing outside stacks/ should switch on a stack's name for these.
 */
import type { ServiceConfig } from '../src/config/types.js';
import type { DetectedService } from '../src/detect/types.js';
import { bun } from './bun/index.js';
import { deno } from './deno/index.js';
import { dotnet } from './dotnet/index.js';
import { elixir } from './elixir/index.js';
import { go } from './go/index.js';
import { java } from './java/index.js';
import { node } from './node/index.js';
import { php } from './php/index.js';
import { python } from './python/index.js';
import { ruby } from './ruby/index.js';
import { rust } from './rust/index.js';
import { staticSite } from './static/index.js';
import { stackPartials } from './templates.js';
import type { Probe, Runtime, Stack, StackFields, StackId } from './types.js';

export type * from './types.js';

/**
 * Every stack, in the order detection tries them at a path (and lists services found at the same
 * path). A fallback stack comes after the ones it steps aside for.
 */
export const STACKS: readonly Stack[] = [node, bun, deno, python, go, rust, ruby, java, dotnet, php, elixir, staticSite];

/** Every stack's manifests: a direct subdirectory of the root holding one is a candidate service. */
export const MANIFESTS: readonly string[] = STACKS.flatMap((s) => s.manifests);

export function stackOf(id: StackId): Stack {
  const stack = STACKS.find((s) => s.id === id);
  if (!stack) throw new Error(`unknown stack ${JSON.stringify(id)}: one of ${STACKS.map((s) => s.id).join(', ')}`);
  return stack;
}

/** The runtime a service's image ends with. */
export function runtimeOf(s: Pick<ServiceConfig, 'stack' | 'kind'>): Runtime {
  return stackOf(s.stack).runtime(s);
}

/**
 * A site nginx serves: a Node site built to static files, or files served as they are. The kit
 * writes the server, so port and health route are its own; GitHub Pages and the static hosts
 * can serve it too.
 */
export function servedByNginx(s: Pick<ServiceConfig, 'stack' | 'kind'> | DetectedService): boolean {
  if (!('facts' in s)) return runtimeOf(s) === 'nginx';
  // A detected service: the kind its facts imply decides, as it will in its config.
  const stack = stackOf(s.stack);
  const kind = stack.kindOf?.(s.facts);
  return stack.runtime(kind ? { kind } : {}) === 'nginx';
}

/** The service's health probe as HEALTHCHECK arguments, a compose `test` and a shell command line. */
export function probe(s: Pick<ServiceConfig, 'stack' | 'kind' | 'port' | 'healthPath'>): Probe {
  return stackOf(s.stack).probe(s);
}

/**
 * Everything stack-specific about one service's template view. `dir` is its directory in the
 * repo ("" for the root); `workspaceDir` the Node or uv workspace root it builds from, when it has one.
 */
export function stackFields(s: ServiceConfig, dir: string, workspaceDir: string | null): StackFields {
  const stack = stackOf(s.stack);
  const runtime = stack.runtime(s);
  return {
    runtime,
    runtimeNode: runtime === 'node',
    runtimePython: runtime === 'python',
    runtimeGo: runtime === 'go',
    runtimeNginx: runtime === 'nginx',
    stackPartials: stackPartials(stack.id),
    writable: [],
    postgresUrl: null,
    startPeriod: 20,
    smokeEnv: [],
    testPostgres: null,
    node: null,
    python: null,
    go: null,
    nginx: null,
    bun: null,
    deno: null,
    rust: null,
    ruby: null,
    java: null,
    dotnet: null,
    php: null,
    elixir: null,
    ...stack.view(s, { dir, workspaceDir }),
  };
}

/** The Dockerfile template for a service (its stack's, and per kind for Node). */
export function dockerfileTemplate(s: Pick<ServiceConfig, 'stack' | 'kind'>): string {
  return stackOf(s.stack).dockerfile(s);
}
