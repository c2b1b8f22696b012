/**
 * Tier 4, per stack: a tiny real app of each kind (test/fixtures/e2e/; a Next.js app alone and in
 * an npm workspace, a Vite site installed by npm, by bun and in a bun workspace, a stdlib Python
 * and a stdlib Go service, and one embedding a web UI Node builds) goes through
 * `deploy-kit init --yes` like a user's repo, and the Dockerfile it gets is built on a real
 * engine, run with the hardening compose and deploy.sh use (read-only root, compose.yaml's tmpfs
 * mounts, no capabilities), must run as non-root, answer its health route, pass its own
 * HEALTHCHECK command (the engine here does not run it on a timer) and stop promptly. Next.js's
 * .next/cache mount must be its uid's alone (mode 0700). A rebuild after a source-only change must
 * take every dependency layer from the cache (Node, Bun and Python).
 *
 * Each image's size, and its size above its runtime base image, is printed.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, cpSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BUN_DEFAULT,
  bunImage,
  DISTROLESS_STATIC_IMAGE,
  GO_DEFAULT,
  goImage,
  NGINX_IMAGE,
  NODE_LTS_MAJOR,
  nodeImage,
  PYTHON_DEFAULT,
  pythonImage,
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

const noEngine = engineOrSkip('e2e-stacks');

interface App {
  fixture: string;
  /**
   * The base images its Dockerfile needs (from the versions table; scripts/engine-images.mjs lists
   * the same ones for CI). Checked before the build, so a missing one is a skip with its name, not a pull error.
   */
  images: string[];
  /** The Dockerfile, when it is not the build context's own (a workspace package builds from the workspace root). */
  dockerfile?: string;
  /** The uid the image must run as. */
  uid: string;
  port: number;
  health: string;
  /** A request beyond the health route, and what its body must contain. */
  page: { path: string; contains: string; header?: [string, RegExp] };
  /** Rebuild check: the source file to touch, and the dependency steps that must come from the cache. */
  rebuild?: { touch: string; comment: string; cached: RegExp[] };
  /** Writable paths beyond /tmp: compose.yaml mounts each as a tmpfs of the app's uid, mode 0700. */
  tmpfs?: string[];
}

const APPS: App[] = [
  {
    fixture: 'next-app',
    images: [nodeImage(NODE_LTS_MAJOR)],
    uid: '1000',
    port: 3000,
    health: '/api/health',
    page: { path: '/', contains: 'deploy-kit e2e' },
    // Next.js writes its image and fetch caches there.
    tmpfs: ['/app/.next/cache'],
    rebuild: { touch: 'app/page.js', comment: '// touched', cached: [/^COPY package\.json package-lock\.json/, /npm ci$/, /apt-get install .*tini/] },
  },
  {
    // An npm workspace: Next.js in apps/web importing a local package; built from the root.
    fixture: 'next-workspace',
    images: [nodeImage(NODE_LTS_MAJOR)],
    dockerfile: 'apps/web/Dockerfile',
    uid: '1000',
    port: 3000,
    health: '/api/health',
    page: { path: '/', contains: 'from @acme/ui' },
    tmpfs: ['/app/apps/web/.next/cache'],
    rebuild: { touch: 'apps/web/app/page.js', comment: '// touched', cached: [/^COPY --from=manifests /, /npm ci$/] },
  },
  {
    fixture: 'vite-site',
    images: [nodeImage(NODE_LTS_MAJOR), NGINX_IMAGE],
    uid: '101',
    port: 8080,
    health: '/healthz',
    // A route of the single-page app is answered by index.html, revalidated on every visit.
    page: { path: '/some/client/route', contains: 'deploy-kit e2e', header: ['cache-control', /^no-cache$/] },
  },
  {
    // Vite from npm, installed by bun from bun.lock and built in the Bun image; nginx serves dist/.
    fixture: 'bun-vite-site',
    images: [bunImage(BUN_DEFAULT), NGINX_IMAGE],
    uid: '101',
    port: 8080,
    health: '/healthz',
    page: { path: '/some/client/route', contains: 'Bun Vite site', header: ['cache-control', /^no-cache$/] },
    rebuild: { touch: 'src/main.js', comment: '// touched', cached: [/^COPY package\.json bun\.lock/, /bun install --frozen-lockfile$/] },
  },
  {
    // A bun workspace: the site in web/ (outDir build) imports a workspace package; bun.lock at the root, built from there.
    fixture: 'bun-vite-workspace',
    images: [bunImage(BUN_DEFAULT), NGINX_IMAGE],
    dockerfile: 'web/Dockerfile',
    uid: '101',
    port: 8080,
    health: '/healthz',
    page: { path: '/', contains: 'Bun workspace site', header: ['cache-control', /^no-cache$/] },
    rebuild: { touch: 'web/src/main.js', comment: '// touched', cached: [/^COPY --from=manifests /, /bun install --frozen-lockfile$/] },
  },
  {
    fixture: 'py-http',
    images: [pythonImage(PYTHON_DEFAULT)],
    uid: '1000',
    port: 8000,
    health: '/health',
    page: { path: '/', contains: '"version": "e2e"' },
    rebuild: {
      touch: 'app.py',
      comment: '# touched',
      cached: [/^COPY requirements\*\.txt/, /pip --python \/opt\/venv\/bin\/python install -r requirements\.txt$/, /apt-get install .*tini/],
    },
  },
  {
    fixture: 'go-http',
    images: [goImage(GO_DEFAULT), DISTROLESS_STATIC_IMAGE],
    uid: '65532',
    port: 8080,
    health: '/healthz',
    page: { path: '/healthz', contains: '"status":"ok"' },
  },
  {
    // A web UI built by its package.json in a Node stage and embedded into the binary; the port's
    // own variable (BOARD_PORT, default 80) set to 8080.
    fixture: 'go-embed-ui',
    images: [nodeImage(NODE_LTS_MAJOR), goImage(GO_DEFAULT), DISTROLESS_STATIC_IMAGE],
    uid: '65532',
    port: 8080,
    health: '/health',
    page: { path: '/', contains: 'board ui e2e' },
  },
];

/** The runtime stage's base image (following `FROM base AS runtime` to base's FROM). */
function runtimeBase(dockerfile: string): string {
  const froms = [...dockerfile.matchAll(/^FROM (\S+)(?: AS (\S+))?$/gm)].map((m) => ({ image: m[1]!, name: m[2] }));
  let image = froms[froms.length - 1]?.image ?? '';
  for (let i = 0; i < froms.length; i++) {
    const parent = froms.find((f) => f.name === image);
    if (!parent) break;
    image = parent.image;
  }
  return image;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

APPS.forEach((app, index) => {
  const skip = noEngine || imagesOrSkip('e2e-stacks', app.images);
  const title = `${app.fixture}: init, build, run as uid ${app.uid}, health route and HEALTHCHECK, stop${app.rebuild ? ', cached rebuild' : ''}`;
  (skip ? test.skip : test)(title, async () => {
    const dir = mkdtempSync(join(tmpdir(), `dk-e2e-${app.fixture}-`));
    cpSync(join(ROOT, 'test', 'fixtures', 'e2e', app.fixture), dir, { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
    const init = cli('deploy-kit', ['init', '--yes'], dir);
    assert.is(init.code, 0, init.stderr);
    const dockerfile = readFileSync(join(dir, app.dockerfile ?? 'Dockerfile'), 'utf8');
    const unchecked = baseImages(dockerfile).filter((image) => !app.images.includes(image));
    assert.equal(unchecked, [], `${app.fixture}: its Dockerfile needs images this test does not check for first: add them to its \`images\``);
    const base = runtimeBase(dockerfile);
    const compose = parse(readFileSync(join(dir, 'compose.yaml'), 'utf8')) as { services: Record<string, { tmpfs: string[] }> };
    const mounts = Object.values(compose.services)[0]!.tmpfs;
    assert.equal(mounts, ['/tmp', ...(app.tmpfs ?? []).map((path) => `${path}:uid=${app.uid},gid=${app.uid},mode=0700`)], 'compose.yaml tmpfs mounts');
    const tag = `deploy-kit-e2e/${app.fixture}:${process.pid}`;
    const name = `dk-e2e-${app.fixture}-${process.pid}`;
    const hostPort = 21000 + (process.pid % 9000) + index;
    const build = () => {
      // stdout and stderr into one file, so "--> Using cache" stays under the step it belongs to.
      const log = join(dir, '..', `${app.fixture}-build-${process.pid}.log`);
      const fd = openSync(log, 'w');
      const r = spawnSync('docker', ['build', ...(app.dockerfile ? ['-f', join(dir, app.dockerfile)] : []), '-t', tag, dir], { stdio: ['ignore', fd, fd] });
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
        // What compose.yaml and deploy.sh run every service with (its tmpfs mounts as deploy.sh gives them to this engine).
        '--read-only', ...tmpfsRunArgs(mounts), '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
        tag,
      );
      const upMs = await waitHealthy(`http://127.0.0.1:${hostPort}${app.health}`, 90_000);
      const page = await fetch(`http://127.0.0.1:${hostPort}${app.page.path}`);
      assert.is(page.status, 200, `${app.page.path} answers`);
      assert.match(await page.text(), app.page.contains);
      if (app.page.header) assert.match(page.headers.get(app.page.header[0]) ?? '', app.page.header[1]);
      assert.is(containerUid(name), app.uid, 'runs as the unprivileged user, not root');
      if (app.tmpfs) {
        // Only the app's uid can use its tmpfs mounts (mode 0700); /tmp is the usual 1777.
        assert.equal(ownerAndMode(name, ['/tmp', ...app.tmpfs]), ['1777 0:0', ...app.tmpfs.map(() => `700 ${app.uid}:${app.uid}`)]);
        docker('exec', name, 'sh', '-c', 'for d; do touch "$d/e2e-written"; done', 'sh', ...app.tmpfs);
      }
      const inspect = JSON.parse(docker('image', 'inspect', tag))[0];
      const hc = healthcheckOf(tag, inspect);
      assert.ok(hc[0] === 'CMD' && hc.length > 1, `exec-form HEALTHCHECK: ${JSON.stringify(hc)}`);
      // The engine does not run health checks on a timer: run the image's own probe, as docker would.
      const probe = spawnSync('docker', ['exec', name, ...hc.slice(1)], { encoding: 'utf8' });
      assert.is(probe.status, 0, `the HEALTHCHECK command passes in the running container: ${probe.stderr}`);
      const s0 = Date.now();
      docker('stop', '--time', '10', name);
      const stopMs = Date.now() - s0;
      assert.ok(stopMs < 8000, `the stop signal reached the server (stopped in ${stopMs} ms, not after the 10 s kill)`);
      const size = imageSize(tag);
      const baseSize = imageSize(base);
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
        // The assertion can fail: the source copy itself is rebuilt.
        assert.ok(steps.some((s) => s.instruction === 'COPY . .' && !s.cached), 'COPY . . ran again (the source changed)');
        const cached = `${steps.filter((s) => s.cached).length}/${steps.length}`;
        rebuilt = `; rebuilt after a source edit in ${(rebuildMs / 1000).toFixed(1)} s with ${cached} steps from the cache (every dependency step)`;
      }
      console.log(
        `  e2e ${app.fixture}: built in ${(buildMs / 1000).toFixed(1)} s, healthy ${upMs} ms after start, stopped in ${stopMs} ms; ` +
          `image ${mb(size)} (${mb(size - baseSize)} above ${base})${rebuilt}`,
      );
    } finally {
      spawnSync('docker', ['rm', '--force', name], { stdio: 'ignore' });
      spawnSync('docker', ['rmi', '--force', tag], { stdio: 'ignore' });
    }
  });
});

test.run();
