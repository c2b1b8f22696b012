/**
 * Tier 4 for a PHP app whose settings log to a file unless a variable is set (a real-repo pattern:
 * Slim-Skeleton's `isset($_ENV['docker']) ? 'php://stdout' : .../logs/app.log`, its Monolog
 * StreamHandler throwing when the file cannot be opened). test/fixtures/e2e/php-log-switch has no
 * dependencies (no Packagist here) and logs every request the same way. The image deploy-kit
 * writes sets the variable, so on a read-only root the app answers, and its request log is in the
 * container's output; without the variable (the front controller run in the same container with
 * it removed from the environment) the log file cannot be opened and the request fails.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COMPOSER_IMAGE, PHP_DEFAULT, phpApacheImage } from '../src/versions.js';
import { docker, engineOrSkip, healthcheckOf, imagesOrSkip, waitHealthy } from './_engine.js';
import { cli, git, ROOT } from './_repo.js';

const TIER = 'e2e-php-log';
const skip = engineOrSkip(TIER) || imagesOrSkip(TIER, [phpApacheImage(PHP_DEFAULT), COMPOSER_IMAGE]);

(skip ? test.skip : test)('a log switched to stdout by a variable: the image sets it, the app answers on a read-only root and logs to stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-e2e-php-log-'));
  cpSync(join(ROOT, 'test/fixtures/e2e/php-log-switch'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const init = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(init.code, 0, init.stderr);
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /^ {4}stdoutLogEnv: docker$/m);
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /^ENV docker=true$/m);
  const tag = `deploy-kit-e2e/php-log-switch:${process.pid}`;
  const name = `dk-e2e-php-log-${process.pid}`;
  const hostPort = 23000 + (process.pid % 9000);
  const build = spawnSync('docker', ['build', '-t', tag, dir], { encoding: 'utf8' });
  assert.is(build.status, 0, build.stdout + build.stderr);
  try {
    docker(
      'run', '--detach', '--name', name, '-p', `127.0.0.1:${hostPort}:8080`, '-e', 'APP_VERSION=e2e',
      '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', tag,
    );
    await waitHealthy(`http://127.0.0.1:${hostPort}/health`, 60_000);
    const page = await fetch(`http://127.0.0.1:${hostPort}/`);
    assert.is(page.status, 200, await page.clone().text());
    assert.match(await page.text(), '"version":"e2e"');
    const hc = healthcheckOf(tag, JSON.parse(docker('image', 'inspect', tag))[0]);
    assert.is(spawnSync('docker', ['exec', name, ...hc.slice(1)]).status, 0, 'the HEALTHCHECK command passes');
    const logs = spawnSync('docker', ['logs', name], { encoding: 'utf8' });
    assert.match(logs.stdout, /^\[[^\]]+\] e2e\.INFO GET \/$/m, 'the request log is in the container output');

    // The front controller run in the same container without the variable (what the image did
    // before it set it): the settings pick logs/requests.log, which the read-only root refuses.
    const unset = spawnSync('docker', ['exec', name, 'env', '-u', 'docker', 'REQUEST_URI=/', 'php', '/app/public/index.php'], { encoding: 'utf8' });
    assert.match(unset.stdout, /"error":"the log stream .*requests\.log could not be opened"/, unset.stdout + unset.stderr);
  } finally {
    spawnSync('docker', ['rm', '--force', name], { stdio: 'ignore' });
    spawnSync('docker', ['rmi', '--force', tag], { stdio: 'ignore' });
  }
});

test.run();
