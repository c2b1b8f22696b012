/**
 * Tier 4 for an app that listens where its own address variable says, on loopback by default (a
 * real-repo pattern: miniflux's LISTEN_ADDR, default 127.0.0.1:8080). PORT means nothing to
 * test/fixtures/e2e/go-listen-addr (net/http only: no module proxy here). deploy-kit finds the
 * variable and its image sets it to 0.0.0.0:<port>: the health route answers through the
 * published port, and the image's own HEALTHCHECK passes. The same image with the variable
 * emptied (what the image was before: PORT only) passes its HEALTHCHECK from inside while the
 * published port answers nothing, which is the failure this setting removes.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DISTROLESS_STATIC_IMAGE, GO_DEFAULT, goImage } from '../src/versions.js';
import { docker, engineOrSkip, healthcheckOf, imagesOrSkip, waitHealthy } from './_engine.js';
import { cli, git, ROOT } from './_repo.js';

const TIER = 'e2e-listen-addr';
const skip = engineOrSkip(TIER) || imagesOrSkip(TIER, [goImage(GO_DEFAULT), DISTROLESS_STATIC_IMAGE]);

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

(skip ? test.skip : test)('the image sets the listen-address variable to 0.0.0.0:<port>: the health route answers through the published port', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-e2e-listen-addr-'));
  cpSync(join(ROOT, 'test/fixtures/e2e/go-listen-addr'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const init = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(init.code, 0, init.stderr);
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /^ {4}port: 8080\n {4}listenAddrEnv: LISTEN_ADDR\n {4}healthPath: \/healthz$/m);
  const tag = `deploy-kit-e2e/go-listen-addr:${process.pid}`;
  const name = `dk-e2e-listen-addr-${process.pid}`;
  const hostPort = 25000 + (process.pid % 9000);
  const build = spawnSync('docker', ['build', '-t', tag, dir], { encoding: 'utf8' });
  assert.is(build.status, 0, build.stdout + build.stderr);
  const hardened = ['--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];
  const url = `http://127.0.0.1:${hostPort}/healthz`;
  try {
    docker('run', '--detach', '--name', name, '-p', `127.0.0.1:${hostPort}:8080`, ...hardened, tag);
    await waitHealthy(url, 60_000);
    assert.equal(await (await fetch(url)).json(), { status: 'ok', addr: '0.0.0.0:8080' });
    const hc = healthcheckOf(tag, JSON.parse(docker('image', 'inspect', tag))[0]);
    assert.is(spawnSync('docker', ['exec', name, ...hc.slice(1)]).status, 0, 'the HEALTHCHECK command passes');

    // LISTEN_ADDR emptied (PORT alone, as the image set before): healthy inside, unreachable outside.
    docker('rm', '--force', name);
    docker('run', '--detach', '--name', name, '-p', `127.0.0.1:${hostPort}:8080`, '-e', 'LISTEN_ADDR=', ...hardened, tag);
    await new Promise((r) => setTimeout(r, 3000));
    assert.is(docker('inspect', '--format', '{{.State.Running}}', name).trim(), 'true', 'the app itself is up');
    assert.is(spawnSync('docker', ['exec', name, ...hc.slice(1)]).status, 0, 'its HEALTHCHECK passes from inside the container');
    assert.not.ok(await answers(url), 'the published port reaches nothing: the app listens on loopback');
  } finally {
    spawnSync('docker', ['rm', '--force', name], { stdio: 'ignore' });
    spawnSync('docker', ['rmi', '--force', tag], { stdio: 'ignore' });
  }
});

test.run();
