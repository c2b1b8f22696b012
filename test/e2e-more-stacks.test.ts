/**
 * Tier 4 for the stacks added after the first four (test/fixtures/e2e/; e2e-stacks.test.ts has
 * Node, Python and Go): a tiny real app of each goes through `deploy-kit init --yes` like a
 * user's repo, and the Dockerfile it gets is built on a real engine, run with the hardening
 * compose and deploy.sh use (read-only root, compose.yaml's tmpfs mounts, no capabilities,
 * no-new-privileges), must run as its non-root uid, answer its health route, pass its own
 * HEALTHCHECK command (the engine here does not run it on a timer) and stop on SIGTERM well
 * before the kill. Its own tmpfs mounts (Laravel's storage/, Ruby's tmp/) must be its uid's
 * alone, mode 0700, and writable by it. A rebuild
 * after a source-only change must take the dependency install from the cache. PHP's stop signal
 * is Apache's graceful SIGWINCH (the image's STOPSIGNAL): a plain SIGTERM is sent to it too.
 *
 * Each image's build time, size and size above its runtime base image are printed.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BUN_DEFAULT,
  bunImage,
  COMPOSER_IMAGE,
  defaultOtp,
  DENO_DEFAULT,
  denoImage,
  DISTROLESS_CC_IMAGE,
  ELIXIR_DEFAULT,
  elixirImage,
  elixirRuntimeImage,
  JAVA_DEFAULT,
  javaBuildImage,
  javaRuntimeImage,
  PHP_DEFAULT,
  phpApacheImage,
  RUBY_DEFAULT,
  rubyImage,
  RUST_DEFAULT,
  rustImage,
} from '../src/versions.js';
import { parse } from 'yaml';
import {
  baseImages,
  buildSteps,
  containerUid,
  docker,
  engineOrSkip,
  healthcheckOf,
  imageSize,
  imagesOrSkip,
  ownerAndMode,
  tmpfsRunArgs,
  waitHealthy,
} from './_engine.js';
import { cli, git, ROOT } from './_repo.js';

const TIER = 'e2e-more-stacks';
const noEngine = engineOrSkip(TIER);

interface App {
  fixture: string;
  /** The stack init must choose for it. */
  stack: string;
  /** The base images its Dockerfile needs, from the versions table (scripts/engine-images.mjs lists them for CI). */
  images: string[];
  /** The image the final stage starts from, for the size above it. */
  runtimeBase: string;
  uid: string;
  port: number;
  health: string;
  /** A request beyond the health route, and what its body must contain. */
  page: { path: string; contains: string | RegExp };
  /** Extra `docker run` options, e.g. a memory limit the app must size itself to. */
  runArgs?: string[];
  /**
   * Writable paths beyond /tmp (the stack's `writable`): compose.yaml must mount each as a tmpfs
   * owned by the app's uid with mode 0700, and this test runs the image with compose's mounts.
   */
  tmpfs?: string[];
  /** The image has the `tmpfs` directories itself (for a run without the mounts): they must be the app's, mode 0700. */
  imageDirs?: boolean;
  /** The image's STOPSIGNAL is not SIGTERM: a second container must stop on SIGTERM too (Kubernetes sends it). */
  sigterm?: boolean;
  /** The service's directory when it is not the root: its Dockerfile is there, the build context stays the root. */
  serviceDir?: string;
  /** A file the host's build left in the directory, which the kit's ignore file must keep out of the image. */
  stale?: string;
  /** Rebuild check: the source file to touch, and the dependency steps that must come from the cache. */
  rebuild?: { touch: string; comment: string; cached: RegExp[] };
}

const APPS: App[] = [
  {
    // Hono from npm, installed by bun from bun.lock; bun runs the TypeScript itself.
    fixture: 'bun-hono',
    stack: 'bun',
    images: [bunImage(BUN_DEFAULT)],
    runtimeBase: bunImage(BUN_DEFAULT),
    uid: '1000',
    port: 3000,
    health: '/health',
    page: { path: '/', contains: '"version":"e2e"' },
    rebuild: {
      touch: 'src/index.ts',
      comment: '// touched',
      cached: [/^COPY package\.json bun\.lock/, /bun install --frozen-lockfile --production$/, /apt-get install .*tini/],
    },
  },
  {
    // Hono from npm through deno.json's import map, locked in deno.lock; run with --cached-only.
    fixture: 'deno-hono',
    stack: 'deno',
    images: [denoImage(DENO_DEFAULT)],
    runtimeBase: denoImage(DENO_DEFAULT),
    uid: '1993',
    port: 8000,
    health: '/health',
    page: { path: '/', contains: '"version":"e2e"' },
    rebuild: { touch: 'main.ts', comment: '// touched', cached: [/^COPY deno\.json/, /^RUN deno install --frozen$/] },
  },
  {
    // A std-only Cargo workspace (a binary crate and the library it uses): no crates.io here.
    fixture: 'rust-std',
    stack: 'rust',
    images: [rustImage(RUST_DEFAULT), DISTROLESS_CC_IMAGE],
    runtimeBase: DISTROLESS_CC_IMAGE,
    uid: '65532',
    port: 8080,
    health: '/health',
    // The library's text: the real sources were built, not the skeleton's empty ones.
    page: { path: '/', contains: '"version":"e2e"' },
    rebuild: {
      touch: 'crates/greeting/src/lib.rs',
      comment: '// touched',
      cached: [/^COPY --from=skeleton/, /^RUN cargo build --release --locked --bin hello-api$/, /apt-get install .*tini/],
    },
  },
  {
    // An empty Gemfile and a standard-library HTTP server (TCPServer): RubyGems is unreachable here.
    fixture: 'ruby-std',
    stack: 'ruby',
    images: [rubyImage(RUBY_DEFAULT)],
    runtimeBase: rubyImage(RUBY_DEFAULT),
    uid: '1000',
    port: 8080,
    health: '/health',
    page: { path: '/', contains: '"version":"e2e"' },
    // Every Ruby service gets tmp/ as a tmpfs (Rack servers write pids and caches there).
    tmpfs: ['/app/tmp'],
    rebuild: {
      touch: 'app.rb',
      comment: '# touched',
      cached: [/^COPY Gemfile Gemfile\.lock/, /^RUN bundle install/, /apt-get install .*libjemalloc2/],
    },
  },
  {
    // A JDK-only HTTP server (com.sun.net.httpserver): Maven Central is unreachable here, so the
    // fixture's mvnw is a stand-in that compiles with javac. What this proves is the generated
    // Dockerfile around the build tool: the skeleton and dependency layers, the jar picked from
    // target/, the JRE stage's user, JAVA_TOOL_OPTIONS, the bash probe and SIGTERM.
    fixture: 'java-std',
    stack: 'java',
    images: [javaBuildImage(JAVA_DEFAULT), javaRuntimeImage(JAVA_DEFAULT)],
    runtimeBase: javaRuntimeImage(JAVA_DEFAULT),
    uid: '1000',
    port: 8080,
    health: '/health',
    // Under a 256 MiB limit the heap is about 75% of it (JAVA_TOOL_OPTIONS), not the JVM's default 25% (64 MiB).
    page: { path: '/', contains: /"version":"e2e","maxHeap":19\d{7}\}/ },
    runArgs: ['--memory', '256m'],
    rebuild: {
      touch: 'src/main/java/hello/Main.java',
      comment: '// touched',
      cached: [/^COPY --from=skeleton/, /mvnw -B -ntp dependency:go-offline$/, /userdel --remove ubuntu/],
    },
  },
  {
    // A Maven reactor whose mvnw and parent pom are only at the root, the runnable module in app/
    // (depending on core/): the image builds from the root with `-pl app -am` (the stand-in mvnw
    // refuses anything else) and takes the jar from app/target, where a stale jar of the host's own
    // build must be kept out by app/Dockerfile.dockerignore.
    fixture: 'java-maven-module',
    stack: 'java',
    images: [javaBuildImage(JAVA_DEFAULT), javaRuntimeImage(JAVA_DEFAULT)],
    runtimeBase: javaRuntimeImage(JAVA_DEFAULT),
    uid: '1000',
    port: 8080,
    health: '/health',
    page: { path: '/', contains: '{"version":"e2e","module":"core"}' },
    serviceDir: 'app',
    stale: 'app/target/app-0.9-stale.jar',
    rebuild: {
      touch: 'app/src/main/java/hello/Main.java',
      comment: '// touched',
      cached: [/^COPY --from=skeleton/, /mvnw -B -ntp -pl app -am dependency:go-offline$/],
    },
  },
  {
    // composer.json requires nothing (no packagist here); a PSR-4 class behind public/index.php,
    // served by Apache with mod_php as uid 1000; the stop signal is Apache's graceful SIGWINCH.
    fixture: 'php-plain',
    stack: 'php',
    images: [phpApacheImage(PHP_DEFAULT), COMPOSER_IMAGE],
    runtimeBase: phpApacheImage(PHP_DEFAULT),
    uid: '1000',
    port: 8080,
    health: '/health',
    page: { path: '/', contains: '"version":"e2e"' },
    sigterm: true,
    rebuild: {
      touch: 'src/Status.php',
      comment: '// touched',
      cached: [/^COPY composer\.json composer\.lock/, /composer install --no-dev/, /apache2ctl -t/],
    },
  },
  {
    // Laravel's layout with a stand-in artisan (no packagist here): the image runs `php artisan
    // optimize` at start as uid 1000 on a read-only root, writing storage/ and bootstrap/cache/
    // (tmpfs mounts), then execs Apache; /up answers 200 only once those caches exist.
    fixture: 'php-artisan',
    stack: 'php',
    images: [phpApacheImage(PHP_DEFAULT), COMPOSER_IMAGE],
    runtimeBase: phpApacheImage(PHP_DEFAULT),
    uid: '1000',
    port: 8080,
    health: '/up',
    page: { path: '/', contains: '"version":"e2e"' },
    tmpfs: ['/app/storage', '/app/bootstrap/cache'],
    imageDirs: true,
    sigterm: true,
  },
  {
    // A release with no dependencies (Hex is unreachable here) serving HTTP from OTP's :gen_tcp. It
    // reboots after reading config/runtime.exs, writing sys.config to RELEASE_TMP: on the read-only
    // root that works only because the image points RELEASE_TMP at the /tmp tmpfs.
    fixture: 'elixir-release',
    stack: 'elixir',
    images: [elixirImage(ELIXIR_DEFAULT, defaultOtp(ELIXIR_DEFAULT)), elixirRuntimeImage(defaultOtp(ELIXIR_DEFAULT))],
    runtimeBase: elixirRuntimeImage(defaultOtp(ELIXIR_DEFAULT)),
    uid: '1000',
    port: 8080,
    health: '/health',
    page: { path: '/', contains: '"version":"e2e"' },
    rebuild: {
      touch: 'lib/hello/server.ex',
      comment: '# touched',
      // Nothing to fetch without dependencies: the runtime stage's packages and user come from the cache.
      cached: [/apt-get install .*libstdc\+\+6/, /^RUN groupadd/],
    },
  },
];

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * The app's tmpfs mounts are its uid's alone, mode 0700 (/tmp stays the usual 1777): it writes
 * there, another uid cannot. The image's own directories under them are not world-writable.
 */
function assertAppOwned(app: App, name: string, tag: string): void {
  const paths = app.tmpfs!;
  assert.equal(ownerAndMode(name, ['/tmp', ...paths]), ['1777 0:0', ...paths.map(() => `700 ${app.uid}:${app.uid}`)], 'owner and mode of the tmpfs mounts');
  const mounted = docker('exec', name, 'cat', '/proc/mounts');
  for (const path of paths) {
    assert.match(mounted, new RegExp(`^tmpfs ${path} tmpfs \\S*mode=700,uid=${app.uid},gid=${app.uid}\\b`, 'm'), `${path} is a tmpfs of the app's uid`);
  }
  docker('exec', name, 'sh', '-c', 'for d; do touch "$d/e2e-written"; done', 'sh', ...paths);
  for (const path of paths) {
    const other = spawnSync('docker', ['exec', '--user', '4242:4242', name, 'touch', `${path}/e2e-other`], { encoding: 'utf8' });
    assert.is.not(other.status, 0, `uid 4242 cannot write to ${path}`);
  }
  const inImage = docker('run', '--rm', '--entrypoint', 'sh', tag, '-c', 'for d; do if [ -e "$d" ]; then stat -c "%a %u:%g %n" "$d"; fi; done', 'sh', ...paths);
  const expected = app.imageDirs ? paths.map((path) => `700 ${app.uid}:${app.uid} ${path}`) : [];
  assert.equal(inImage.trim().split('\n').filter(Boolean), expected, "the image's own directories: the app's, mode 0700");
}

APPS.forEach((app, index) => {
  const skip = noEngine || imagesOrSkip(TIER, app.images);
  const title =
    `${app.fixture}: init as ${app.stack}, build, run as uid ${app.uid}, health route and HEALTHCHECK, stop on SIGTERM` +
    (app.rebuild ? ', cached rebuild' : '');
  (skip ? test.skip : test)(title, async () => {
    const dir = mkdtempSync(join(tmpdir(), `dk-e2e-${app.fixture}-`));
    cpSync(join(ROOT, 'test', 'fixtures', 'e2e', app.fixture), dir, { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
    const init = cli('deploy-kit', ['init', '--yes'], dir);
    assert.is(init.code, 0, init.stderr);
    assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), new RegExp(`^\\s+stack: ${app.stack}$`, 'm'));
    const dockerfilePath = join(dir, app.serviceDir ?? '', 'Dockerfile');
    const dockerfile = readFileSync(dockerfilePath, 'utf8');
    if (app.stale) {
      mkdirSync(join(dir, app.stale, '..'), { recursive: true });
      writeFileSync(join(dir, app.stale), 'not a jar');
    }
    const compose = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    const mounts = Object.values(parse(compose).services as Record<string, { tmpfs: string[] }>)[0]!.tmpfs;
    const appOwned = `uid=${app.uid},gid=${app.uid},mode=0700`;
    assert.equal(mounts, ['/tmp', ...(app.tmpfs ?? []).map((path) => `${path}:${appOwned}`)], 'compose.yaml: /tmp, and the app-owned writable paths');
    // compose.yaml's mounts, as deploy.sh passes them to this engine.
    const writable = tmpfsRunArgs(mounts);
    const unchecked = baseImages(dockerfile).filter((image) => !app.images.includes(image));
    assert.equal(unchecked, [], `${app.fixture}: its Dockerfile needs images this test does not check for first: add them to its \`images\``);
    const tag = `deploy-kit-e2e/${app.fixture}:${process.pid}`;
    const name = `dk-e2e-${app.fixture}-${process.pid}`;
    const hostPort = 22000 + (process.pid % 9000) + index;
    const build = () => {
      // stdout and stderr into one file, so "--> Using cache" stays under the step it belongs to.
      const log = join(dir, '..', `${app.fixture}-build-${process.pid}.log`);
      const fd = openSync(log, 'w');
      const r = spawnSync('docker', ['build', '-t', tag, ...(app.serviceDir ? ['-f', dockerfilePath] : []), dir], { stdio: ['ignore', fd, fd] });
      closeSync(fd);
      const text = readFileSync(log, 'utf8');
      if (r.status !== 0) throw new Error(`docker build of ${app.fixture} failed:\n${text}`);
      return text;
    };
    const t0 = Date.now();
    build();
    const buildMs = Date.now() - t0;
    try {
      docker(
        'run', '--detach', '--name', name, '-p', `127.0.0.1:${hostPort}:${app.port}`, '-e', 'APP_VERSION=e2e',
        '--read-only', ...writable, '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
        ...(app.runArgs ?? []),
        tag,
      );
      const upMs = await waitHealthy(`http://127.0.0.1:${hostPort}${app.health}`, 90_000);
      const page = await fetch(`http://127.0.0.1:${hostPort}${app.page.path}`);
      assert.is(page.status, 200, `${app.page.path} answers`);
      assert.match(await page.text(), app.page.contains);
      assert.is(containerUid(name), app.uid, 'runs as the unprivileged user, not root');
      if (app.tmpfs) assertAppOwned(app, name, tag);
      const inspect = JSON.parse(docker('image', 'inspect', tag))[0];
      const hc = healthcheckOf(tag, inspect);
      assert.ok(hc[0] === 'CMD' && hc.length > 1, `exec-form HEALTHCHECK: ${JSON.stringify(hc)}`);
      // The engine does not run health checks on a timer: run the image's own probe, as docker would.
      // Up to the image's own --retries (3) attempts a second apart, as docker counts a container
      // unhealthy only after that many failures in a row (a release that restarts its VM once after
      // reading runtime config can drop the first connection).
      let probe = spawnSync('docker', ['exec', name, ...hc.slice(1)], { encoding: 'utf8' });
      for (let attempt = 1; attempt < 3 && probe.status !== 0; attempt++) {
        await new Promise((r) => setTimeout(r, 1000));
        probe = spawnSync('docker', ['exec', name, ...hc.slice(1)], { encoding: 'utf8' });
      }
      assert.is(probe.status, 0, `the HEALTHCHECK command passes in the running container: ${probe.stderr}`);
      const s0 = Date.now();
      docker('stop', '--time', '10', name);
      const stopMs = Date.now() - s0;
      assert.ok(stopMs < 8000, `SIGTERM reached the server (stopped in ${stopMs} ms, not after the 10 s kill)`);
      if (app.sigterm) {
        docker('rm', '--force', name);
        docker('run', '--detach', '--name', name, '-p', `127.0.0.1:${hostPort}:${app.port}`, '--read-only', ...writable, tag);
        await waitHealthy(`http://127.0.0.1:${hostPort}${app.health}`, 90_000);
        const t0 = Date.now();
        docker('kill', '--signal', 'TERM', name);
        docker('wait', name);
        const termMs = Date.now() - t0;
        assert.ok(termMs < 8000, `a plain SIGTERM stops it too (in ${termMs} ms)`);
      }
      const size = imageSize(tag);
      const baseSize = imageSize(app.runtimeBase);
      let rebuilt = '';
      if (app.rebuild) {
        // Unique per run: the same edit as an earlier run would be a layer the cache already has.
        appendFileSync(join(dir, app.rebuild.touch), `${app.rebuild.comment} ${Date.now()}\n`);
        const r0 = Date.now();
        const steps = buildSteps(build());
        const rebuildMs = Date.now() - r0;
        for (const pattern of app.rebuild.cached) {
          const step = steps.find((s) => pattern.test(s.instruction));
          assert.ok(step, `a build step matches ${pattern}; steps:\n${steps.map((s) => s.instruction).join('\n')}`);
          assert.ok(step!.cached, `after a source-only change "${step!.instruction}" came from the cache`);
        }
        assert.ok(steps.some((s) => s.instruction === 'COPY . .' && !s.cached), 'COPY . . ran again (the source changed)');
        rebuilt = `; rebuilt after a source edit in ${(rebuildMs / 1000).toFixed(1)} s, ${steps.filter((s) => s.cached).length}/${steps.length} steps cached`;
      }
      console.log(
        `  ${TIER} ${app.fixture}: built in ${(buildMs / 1000).toFixed(1)} s, healthy ${upMs} ms after start, stopped in ${stopMs} ms; ` +
          `image ${mb(size)} (${mb(size - baseSize)} above ${app.runtimeBase})${rebuilt}`,
      );
    } finally {
      spawnSync('docker', ['rm', '--force', name], { stdio: 'ignore' });
      spawnSync('docker', ['rmi', '--force', tag], { stdio: 'ignore' });
    }
  });
});

test.run();
