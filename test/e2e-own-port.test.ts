/**
 * Tier 4 for an app that listens only where its own variable says (a real-repo pattern: hexpm's
 * HEXPM_PORT, without which its endpoint runs with `server: false`). test/fixtures/e2e/elixir-own-port
 * is a release with no dependencies (no Hex here) whose runtime.exs reads TALLY_PORT into the
 * endpoint's `http: [port: ...]`, and serves nothing without it. deploy-kit finds the variable and
 * its image sets it to the service's port: the release answers on a read-only root, and its own
 * HEALTHCHECK passes. The same image with the variable removed serves nothing, which is what the
 * image did before the kit set it (it set PORT only).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultOtp, ELIXIR_DEFAULT, elixirImage, elixirRuntimeImage } from '../src/versions.js';
import { docker, engineOrSkip, healthcheckOf, imagesOrSkip, waitHealthy } from './_engine.js';
import { cli, git, ROOT } from './_repo.js';

const TIER = 'e2e-own-port';
const OTP = defaultOtp(ELIXIR_DEFAULT);
const skip = engineOrSkip(TIER) || imagesOrSkip(TIER, [elixirImage(ELIXIR_DEFAULT, OTP), elixirRuntimeImage(OTP)]);

(skip ? test.skip : test)("the app's own port variable is set by the image: the release listens on the probed port", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-e2e-own-port-'));
  cpSync(join(ROOT, 'test/fixtures/e2e/elixir-own-port'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const init = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(init.code, 0, init.stderr);
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /^ {4}port: 4000\n {4}portEnv: TALLY_PORT$/m);
  const tag = `deploy-kit-e2e/elixir-own-port:${process.pid}`;
  const name = `dk-e2e-own-port-${process.pid}`;
  const hostPort = 24000 + (process.pid % 9000);
  const build = spawnSync('docker', ['build', '-t', tag, dir], { encoding: 'utf8' });
  assert.is(build.status, 0, build.stdout + build.stderr);
  const hardened = ['--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];
  try {
    docker('run', '--detach', '--name', name, '-p', `127.0.0.1:${hostPort}:4000`, '-e', 'APP_VERSION=e2e', ...hardened, tag);
    await waitHealthy(`http://127.0.0.1:${hostPort}/health`, 90_000);
    const page = await fetch(`http://127.0.0.1:${hostPort}/`);
    assert.is(page.status, 200);
    assert.match(await page.text(), '"version":"e2e"');
    const hc = healthcheckOf(tag, JSON.parse(docker('image', 'inspect', tag))[0]);
    // Ten times: the probe writes its request line and headers separately, and a server that answered
    // on the first line and closed would reset some of those runs (exit 141, SIGPIPE).
    for (let i = 0; i < 10; i++) assert.is(spawnSync('docker', ['exec', name, ...hc.slice(1)]).status, 0, `the HEALTHCHECK command passes (run ${i + 1})`);

    // Without TALLY_PORT (PORT alone, as the image set before): the release runs and listens nowhere.
    docker('rm', '--force', name);
    docker('run', '--detach', '--name', name, '-e', 'TALLY_PORT=', ...hardened, tag);
    await new Promise((r) => setTimeout(r, 8000));
    assert.is(docker('inspect', '--format', '{{.State.Running}}', name).trim(), 'true', 'the release itself is up');
    const probe = spawnSync('docker', ['exec', name, ...hc.slice(1)]);
    assert.is.not(probe.status, 0, 'nothing listens on 4000 without the variable');
  } finally {
    spawnSync('docker', ['rm', '--force', name], { stdio: 'ignore' });
    spawnSync('docker', ['rmi', '--force', tag], { stdio: 'ignore' });
  }
});

test.run();
