import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The container engine for the e2e tiers: `docker` against whatever DOCKER_HOST names (CI sets
 * one up with the project's container-engine script; here it is podman's Docker-compatible socket).
 */
const PODMAN_SOCK = '/run/podman/podman.sock';
if (!process.env.DOCKER_HOST && existsSync(PODMAN_SOCK)) process.env.DOCKER_HOST = `unix://${PODMAN_SOCK}`;

/** The engine's version, or undefined when none answers. */
export function engine(): string | undefined {
  const r = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** What to do when the engine is missing, said without naming anything outside this repository. */
export const ENGINE_HINT = 'set up a container engine and export DOCKER_HOST (see .ci/run, which CI uses)';

/** Skips the suite (with why) when no engine answers; under CI that is a failure, not a skip. */
export function engineOrSkip(tier: string): boolean {
  if (engine()) return false;
  return skipOrThrow(tier, `no container engine answers \`docker version\` (${ENGINE_HINT})`);
}

/** The images in `refs` that this engine does not have locally. */
export function missingImages(refs: string[]): string[] {
  return [...new Set(refs)].filter((ref) => spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { stdio: 'ignore' }).status !== 0);
}

/**
 * Skips (with why) when the engine lacks a base image a build needs: a build would try to pull
 * it, and a pull error says nothing about the code under test. Under CI it is a failure:
 * .ci/run loads every image that scripts/engine-images.mjs lists before the tests run.
 */
export function imagesOrSkip(tier: string, refs: string[]): boolean {
  const missing = missingImages(refs);
  if (missing.length === 0) return false;
  return skipOrThrow(tier, `base image(s) ${missing.join(', ')} not on this engine (load them as .ci/run does: node scripts/engine-images.mjs lists them)`);
}

function skipOrThrow(tier: string, reason: string): true {
  const why = `${tier}: skipped: ${reason}`;
  if (process.env.CI) throw new Error(`${why}; CI must not skip this tier`);
  console.log(why);
  return true;
}

/** The external images a Dockerfile needs: FROM and --from= references that are not its own stages. */
export function baseImages(dockerfile: string): string[] {
  const froms = [...dockerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/gim)];
  const stages = new Set(froms.map((m) => m[2]?.toLowerCase()).filter(Boolean));
  const refs = [...froms.map((m) => m[1]!), ...[...dockerfile.matchAll(/--from=(\S+)/g)].map((m) => m[1]!)];
  return [...new Set(refs.filter((ref) => !stages.has(ref.toLowerCase()) && !/^\d+$/.test(ref)))];
}

/** The image's HEALTHCHECK test. podman's Docker API omits it from inspect; podman itself has it. */
export function healthcheckOf(tag: string, inspect: { Config: { Healthcheck?: { Test?: string[] } | null } }): string[] {
  const viaApi = inspect.Config.Healthcheck?.Test;
  if (viaApi?.length) return viaApi;
  const r = spawnSync('podman', ['image', 'inspect', tag, '--format', '{{json .Config.Healthcheck}}'], { encoding: 'utf8' });
  return r.status === 0 ? ((JSON.parse(r.stdout) as { Test?: string[] } | null)?.Test ?? []) : [];
}

/** Polls `url` until it answers 2xx; returns how long that took. */
export async function waitHealthy(url: string, ms: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return Date.now() - start;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${ms} ms`);
}

/** One build step as the engine printed it, and whether it came from the layer cache. */
export interface BuildStep {
  instruction: string;
  cached: boolean;
}

/**
 * Steps of a build log: buildah prints `[2/3] STEP 4/7: RUN ...` (or `STEP 4/7: ...` for one
 * stage), then `--> Using cache <id>` for a step it did not run again, and `--> <id>` when a step
 * is done. Stages build in parallel, so their lines interleave: a result line belongs to the
 * latest step still open (FROM steps print no result), not simply to the last step printed.
 */
export function buildSteps(log: string): BuildStep[] {
  const steps: Array<BuildStep & { open: boolean }> = [];
  const latestOpen = () => [...steps].reverse().find((s) => s.open);
  for (const raw of log.split('\n')) {
    const line = raw.trim();
    const m = /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: (.*)$/.exec(line);
    if (m) {
      const instruction = m[1] ?? '';
      steps.push({ instruction, cached: false, open: !/^FROM\b/.test(instruction) });
    } else if (/^--> Using cache\b/.test(line)) {
      const s = latestOpen();
      if (s) s.cached = true;
    } else if (/^--> [0-9a-f]{6,}$/.test(line)) {
      const s = latestOpen();
      if (s) s.open = false;
    }
  }
  return steps.map(({ instruction, cached }) => ({ instruction, cached }));
}

/** Size in bytes of a local image. */
export function imageSize(ref: string): number {
  return Number((JSON.parse(docker('image', 'inspect', ref)) as Array<{ Size: number }>)[0]?.Size ?? 0);
}

/** The uid PID 1 of a container runs as, read from the host (works for images without `id`, e.g. distroless). */
export function containerUid(name: string): string {
  // A local (rootful) engine: the container's PID 1 is a host process with the same uid.
  if ((process.env.DOCKER_HOST ?? '').startsWith('unix://')) {
    const pid = docker('inspect', '--format', '{{.State.Pid}}', name).trim();
    const uid = /^Uid:\s+(\d+)/m.exec(spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout ?? '')?.[1];
    if (uid !== undefined) return uid;
  }
  // Elsewhere, ask inside the container (images with a shell).
  return docker('exec', name, 'id', '-u').trim();
}

/** Whether the engine is podman (its Docker API names itself so in `docker version`). */
function enginePodman(): boolean {
  return spawnSync('docker', ['version'], { encoding: 'utf8' }).stdout.includes('Podman Engine');
}

/**
 * A service's tmpfs mounts as compose.yaml lists them (`path[:options]`), as `docker run` options
 * on this engine: as they are on Docker; podman refuses `uid=`/`gid=` and takes `U` (the mount is
 * the container user's) in their place, which is what deploy.sh's lib.sh passes it.
 */
export function tmpfsRunArgs(mounts: string[], podman = enginePodman()): string[] {
  return mounts.flatMap((spec) => {
    const [path, options] = spec.split(/:(.*)/s) as [string, string | undefined];
    if (!podman || !options || !/(^|,)[ug]id=/.test(options)) return ['--tmpfs', spec];
    return ['--tmpfs', `${path}:${['U', ...options.split(',').filter((o) => !/^[ug]id=/.test(o))].join(',')}`];
  });
}

/** `<octal mode> <uid>:<gid>` of each path, read inside a running container (images with coreutils). */
export function ownerAndMode(name: string, paths: string[]): string[] {
  return docker('exec', name, 'stat', '-c', '%a %u:%g', ...paths).trim().split('\n');
}
