import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeImage } from '../src/versions.js';
import { baseImages, docker, engineOrSkip, healthcheckOf, imagesOrSkip, waitHealthy } from './_engine.js';
import { cli, EXAMPLE, exampleRepo } from './_repo.js';

/**
 * Tier 4: the generated Dockerfile of the bundled example builds on a real engine, runs as a
 * non-root user, answers its health route and stops promptly on SIGTERM. Uses `docker` against
 * whatever engine DOCKER_HOST names (CI sets one up with the project's container-engine script).
 * The other stacks: e2e-stacks.test.ts.
 */
// The example pins its Node major in .nvmrc, and the kit's base image follows it.
const IMAGE = nodeImage(readFileSync(join(EXAMPLE, '.nvmrc'), 'utf8').trim().replace(/^v/, '').split('.')[0]!);
const skip = engineOrSkip('e2e') || imagesOrSkip('e2e', [IMAGE]);

(skip ? test.skip : test)('the example image builds, runs as non-root, answers /health and stops on SIGTERM', async () => {
  const dir = exampleRepo();
  const init = cli('create-deploy-kit', ['--yes'], dir);
  assert.is(init.code, 0, init.stderr);
  const dockerfile = readFileSync(`${dir}/Dockerfile`, 'utf8');
  const from = /^FROM (\S+) AS base$/m.exec(dockerfile)?.[1];
  assert.ok(from, 'Dockerfile names its base image');
  assert.equal(baseImages(dockerfile), [IMAGE], 'the Dockerfile builds only from the image checked for before the build');
  const tag = `deploy-kit-e2e/express-api:${Date.now()}`;
  const name = `dk-e2e-${process.pid}`;
  const port = 20000 + (process.pid % 10000);
  const t0 = Date.now();
  try {
    docker('build', '-t', tag, dir);
  } catch (e) {
    const err = e as { stderr?: string };
    throw new Error(`docker build failed:\n${err.stderr ?? String(e)}`);
  }
  const buildMs = Date.now() - t0;
  try {
    docker('run', '--detach', '--name', name, '-p', `127.0.0.1:${port}:3000`, '-e', 'APP_VERSION=e2e', tag);
    const upMs = await waitHealthy(`http://127.0.0.1:${port}/health`, 60_000);
    const body = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { version?: string };
    assert.is(body.version, 'e2e', 'the app sees its environment');
    assert.is(docker('exec', name, 'id', '-u').trim(), '1000', 'runs as the node user, not root');
    const inspect = JSON.parse(docker('image', 'inspect', tag))[0];
    const hc = healthcheckOf(tag, inspect);
    assert.equal(hc.slice(0, 3), ['CMD', 'node', '-e'], 'image carries an exec-form HEALTHCHECK');
    // The engine here does not run health checks on a timer, so run the image's own probe.
    assert.is(spawnSync('docker', ['exec', name, ...hc.slice(1)]).status, 0, 'the HEALTHCHECK command passes in the running container');
    assert.equal(inspect.Config.Entrypoint, ['/usr/bin/tini', '--']);
    const s0 = Date.now();
    docker('stop', '--time', '10', name);
    const stopMs = Date.now() - s0;
    assert.ok(stopMs < 8000, `SIGTERM reached the app (stopped in ${stopMs} ms, not after the 10 s kill)`);
    const size = Number(inspect.Size);
    const baseSize = Number(JSON.parse(docker('image', 'inspect', from))[0].Size);
    console.log(
      `  e2e: built in ${buildMs} ms, healthy ${upMs} ms after start, stopped in ${stopMs} ms; ` +
        `image ${(size / 1e6).toFixed(1)} MB (${((size - baseSize) / 1e6).toFixed(1)} MB above ${from})`,
    );
  } finally {
    spawnSync('docker', ['rm', '--force', name], { stdio: 'ignore' });
    spawnSync('docker', ['rmi', '--force', tag], { stdio: 'ignore' });
  }
});

test.run();
