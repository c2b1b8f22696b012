/**
 * Tier 4 for a Node server that listens only where its own variable says
 * (`Number(process.env.LEDGER_API_PORT || 4000)`), deployed on a port other than its default
 * (`init --port 8080`, as a user's `port:` in deploy-kit.yaml would). test/fixtures/e2e/node-own-port
 * has no dependencies (node:http). deploy-kit finds the variable and its image sets it to the
 * service's port beside PORT: the server answers its health route on a read-only root and its
 * HEALTHCHECK passes. The same image with the variable emptied listens on its default, 4000, and
 * nothing answers on the kit's port: what the image did before the kit set it (it set PORT only).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NODE_LTS_MAJOR, nodeImage } from '../src/versions.js';
import { docker, engineOrSkip, healthcheckOf, imagesOrSkip, waitHealthy } from './_engine.js';
import { cli, git, ROOT } from './_repo.js';

const TIER = 'e2e-js-own-port';
const skip = engineOrSkip(TIER) || imagesOrSkip(TIER, [nodeImage(NODE_LTS_MAJOR)]);

(skip ? test.skip : test)("a Node server's own port variable is set by the image: it listens on the kit's port, not its default", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-e2e-js-own-port-'));
  cpSync(join(ROOT, 'test/fixtures/e2e/node-own-port'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const init = cli('deploy-kit', ['init', '--yes', '--port', '8080'], dir);
  assert.is(init.code, 0, init.stderr);
  assert.match(init.stdout, /port variable {3}LEDGER_API_PORT {2}\(server\.js:5 const port = Number\(process\.env\.LEDGER_API_PORT \|\| 4000\);\)/);
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /^ {4}port: 8080\n {4}portEnv: LEDGER_API_PORT$/m);
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /^ {4}PORT=8080 \\\n {4}LEDGER_API_PORT=8080$/m);
  assert.match(readFileSync(join(dir, 'compose.yaml'), 'utf8'), /^ {6}LEDGER_API_PORT: "8080"$/m);
  const tag = `deploy-kit-e2e/node-own-port:${process.pid}`;
  const name = `dk-e2e-js-own-port-${process.pid}`;
  const hostPort = 26000 + (process.pid % 9000);
  const build = spawnSync('docker', ['build', '-t', tag, dir], { encoding: 'utf8' });
  assert.is(build.status, 0, build.stdout + build.stderr);
  const hardened = ['--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];
  try {
    docker('run', '--detach', '--name', name, '-p', `127.0.0.1:${hostPort}:8080`, '-e', 'APP_VERSION=e2e', ...hardened, tag);
    await waitHealthy(`http://127.0.0.1:${hostPort}/health`, 30_000);
    const page = await fetch(`http://127.0.0.1:${hostPort}/`);
    assert.is(page.status, 200);
    assert.match(await page.text(), '"version":"e2e"');
    const hc = healthcheckOf(tag, JSON.parse(docker('image', 'inspect', tag))[0]);
    assert.match(hc.join(' '), '/health', 'the HEALTHCHECK probes the health route');
    assert.is(spawnSync('docker', ['exec', name, ...hc.slice(1)]).status, 0, 'the HEALTHCHECK command passes');

    // Without LEDGER_API_PORT (PORT alone, as the image set before): the server is up on 4000, and not on 8080.
    docker('rm', '--force', name);
    docker('run', '--detach', '--name', name, '-e', 'LEDGER_API_PORT=', ...hardened, tag);
    const connect = (port: number) => `require('net').connect(${port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`;
    const on = (port: number) => spawnSync('docker', ['exec', name, 'node', '-e', connect(port)]).status;
    let up = 1;
    for (let i = 0; i < 20 && up !== 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      up = on(4000) ?? 1;
    }
    assert.is(up, 0, 'the server itself is up, on its default 4000');
    assert.is.not(on(8080), 0, "nothing listens on the kit's port without the variable");
    assert.is.not(spawnSync('docker', ['exec', name, ...hc.slice(1)]).status, 0, 'the HEALTHCHECK fails without the variable');
  } finally {
    spawnSync('docker', ['rm', '--force', name], { stdio: 'ignore' });
    spawnSync('docker', ['rmi', '--force', tag], { stdio: 'ignore' });
  }
});

test.run();
