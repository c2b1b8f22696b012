/**
 * Tier 4 for a site's build-time public variables: test/fixtures/e2e/vite-build-vars reads
 * `import.meta.env.VITE_API_URL`, which Vite replaces with its value when the site is built. The
 * kit's Dockerfile declares it as an ARG of the build stage, so `docker build --build-arg
 * VITE_API_URL=...` serves a bundle holding that URL; the same build without the argument serves
 * one without it (the ARG has no default: nothing is baked in unless the build is given it).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NGINX_IMAGE, NODE_LTS_MAJOR, nodeImage } from '../src/versions.js';
import { docker, engineOrSkip, imagesOrSkip, waitHealthy } from './_engine.js';
import { cli, git, ROOT } from './_repo.js';

const TIER = 'e2e-build-vars';
const skip = engineOrSkip(TIER) || imagesOrSkip(TIER, [nodeImage(NODE_LTS_MAJOR), NGINX_IMAGE]);
const URL_VALUE = 'https://api.example.test';

/** The JavaScript the served page loads, fetched through the published port. */
async function servedScript(base: string): Promise<string> {
  const page = await (await fetch(`${base}/`)).text();
  const src = /<script[^>]+src="([^"]+\.js)"/.exec(page)?.[1];
  assert.ok(src, `the page loads a script: ${page}`);
  const res = await fetch(`${base}${src}`);
  assert.is(res.status, 200, `${src} is served`);
  return res.text();
}

(skip ? test.skip : test)('a build-time variable given as --build-arg is in the served bundle, and absent without it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-e2e-build-vars-'));
  cpSync(join(ROOT, 'test/fixtures/e2e/vite-build-vars'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const init = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(init.code, 0, init.stderr);
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /^ARG VITE_API_URL\nRUN npm run build$/m);
  const hostPort = 26000 + (process.pid % 9000);
  const runs: [string, string[], boolean][] = [
    ['with', ['--build-arg', `VITE_API_URL=${URL_VALUE}`], true],
    ['without', [], false],
  ];
  for (const [label, args, baked] of runs) {
    const tag = `deploy-kit-e2e/vite-build-vars-${label}:${process.pid}`;
    const name = `dk-e2e-build-vars-${label}-${process.pid}`;
    const build = spawnSync('docker', ['build', ...args, '-t', tag, dir], { encoding: 'utf8' });
    assert.is(build.status, 0, build.stdout + build.stderr);
    try {
      docker('run', '--detach', '--name', name, '-p', `127.0.0.1:${hostPort}:8080`, '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', tag);
      await waitHealthy(`http://127.0.0.1:${hostPort}/healthz`, 60_000);
      const js = await servedScript(`http://127.0.0.1:${hostPort}`);
      assert.match(js, 'deploy-kit e2e: API at', `${label} the argument: the bundle is the site's`);
      assert.is(js.includes(URL_VALUE), baked, `${label} the argument, the served bundle ${baked ? 'holds' : 'lacks'} ${URL_VALUE}`);
    } finally {
      spawnSync('docker', ['rm', '--force', name], { stdio: 'ignore' });
      spawnSync('docker', ['rmi', '--force', tag], { stdio: 'ignore' });
    }
  }
});

test.run();
