/**
 * Tier 4 for a Python script that listens only where its own variable says (NOTES_PORT, read with
 * no default). test/fixtures/e2e/py-own-port has no dependencies (pip has no index in image builds
 * here). deploy-kit finds the variable and its image sets it to the service's port beside PORT: the
 * script answers on a read-only root and its HEALTHCHECK passes. The same image with the variable
 * emptied does not start, which is what the image did before the kit set it (it set PORT only).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PYTHON_DEFAULT, pythonImage } from '../src/versions.js';
import { docker, engineOrSkip, healthcheckOf, imagesOrSkip, waitHealthy } from './_engine.js';
import { cli, git, ROOT } from './_repo.js';

const TIER = 'e2e-py-own-port';
const skip = engineOrSkip(TIER) || imagesOrSkip(TIER, [pythonImage(PYTHON_DEFAULT)]);

(skip ? test.skip : test)("a Python script's own port variable is set by the image: it listens on the probed port", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-e2e-py-own-port-'));
  cpSync(join(ROOT, 'test/fixtures/e2e/py-own-port'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const init = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(init.code, 0, init.stderr);
  assert.match(init.stdout, /port variable {3}NOTES_PORT {2}\(app\.py:20 port = int\(os\.environ\["NOTES_PORT"\]\)\)/);
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /^ {4}port: 8000\n {4}portEnv: NOTES_PORT$/m);
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /^ {4}PORT=8000 \\\n {4}NOTES_PORT=8000$/m);
  const tag = `deploy-kit-e2e/py-own-port:${process.pid}`;
  const name = `dk-e2e-py-own-port-${process.pid}`;
  const hostPort = 25000 + (process.pid % 9000);
  const build = spawnSync('docker', ['build', '-t', tag, dir], { encoding: 'utf8' });
  assert.is(build.status, 0, build.stdout + build.stderr);
  const hardened = ['--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];
  try {
    docker('run', '--detach', '--name', name, '-p', `127.0.0.1:${hostPort}:8000`, ...hardened, tag);
    await waitHealthy(`http://127.0.0.1:${hostPort}/health`, 60_000);
    const page = await fetch(`http://127.0.0.1:${hostPort}/`);
    assert.is(page.status, 200);
    assert.match(await page.text(), '"notes": []');
    const hc = healthcheckOf(tag, JSON.parse(docker('image', 'inspect', tag))[0]);
    assert.is(spawnSync('docker', ['exec', name, ...hc.slice(1)]).status, 0, 'the HEALTHCHECK command passes');

    // Without NOTES_PORT (PORT alone, as the image set before): the script does not start.
    docker('rm', '--force', name);
    docker('run', '--detach', '--name', name, '-e', 'NOTES_PORT=', ...hardened, tag);
    await new Promise((r) => setTimeout(r, 4000));
    assert.is(docker('inspect', '--format', '{{.State.Running}}', name).trim(), 'false', 'the script exits without its variable');
  } finally {
    spawnSync('docker', ['rm', '--force', name], { stdio: 'ignore' });
    spawnSync('docker', ['rmi', '--force', tag], { stdio: 'ignore' });
  }
});

test.run();
