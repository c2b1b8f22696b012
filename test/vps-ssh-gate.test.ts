/**
 * The CI key's forced command (deploy/scripts/ssh-gate.sh), run as sshd runs it: what it lets
 * through, with exactly which arguments and settings, and what it refuses before anything runs.
 * Then the generated workflows' own SSH invocations, through it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';
import { gateHost, type GateHost } from './_ssh-gate.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const IMAGE = `ghcr.io/acme/express-api@${DIGEST}`;
const SCRIPTS = ['deploy.sh', 'rollback.sh', 'lib.sh', 'settings.sh', 'verify.sh'];

async function host(): Promise<GateHost> {
  return gateHost(await renderScenario(scenarios['express-vps-github']!));
}

/** A tar of files (name -> content) built in a scratch directory, as the workflow builds it. */
function tarOf(h: GateHost, files: Record<string, string>, extra: (dir: string) => void = () => {}): Buffer {
  const src = join(h.dir, `tar-src-${Math.random().toString(36).slice(2)}`);
  mkdirSync(src);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(src, name), text);
  extra(src);
  const r = spawnSync('tar', ['-C', src, '-cf', '-', ...Object.keys(files), ...readdirExtra(src, files)], { encoding: 'buffer' });
  assert.is(r.status, 0, r.stderr.toString());
  return r.stdout;
}

function readdirExtra(src: string, files: Record<string, string>): string[] {
  const r = spawnSync('ls', ['-A', src], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((n) => n && !(n in files));
}

const scripts = () => Object.fromEntries(SCRIPTS.map((s) => [s, `#!/usr/bin/env bash\necho ${s}\n`]));

test('allowed: deploy runs deploy.sh with the image alone, the environment\'s settings and nothing from the client', async () => {
  const h = await host();
  try {
    const r = h.ssh(`/usr/local/sbin/express-api-ssh-gate production deploy ${IMAGE} ${SHA}`);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, 'switched=true\nprevious_release=1\n', 'deploy.sh\'s report comes back');
    const [call] = h.calls();
    const settings = `APP_NAME=express-api APP_DIR=\\S+/srv/express-api BLUE_PORT=8001 GREEN_PORT=8002 GIT_SHA=${SHA} NGINX_CMD=unset DOCKER=unset`;
    assert.match(call!, new RegExp(`^deploy\\.sh ${IMAGE} \\| ${settings}`));
    const staging = h.ssh(`staging deploy ${IMAGE}`);
    assert.is(staging.code, 0, staging.stderr);
    assert.match(h.calls()[1]!, /APP_NAME=express-api-staging APP_DIR=\S+\/srv\/express-api-staging BLUE_PORT=8101 GREEN_PORT=8102 GIT_SHA= /);
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
});

test('allowed: rollback to a release or the previous one, the release list, registry login (password on stdin) and logout', async () => {
  const h = await host();
  try {
    for (const cmd of ['production rollback 7', 'production rollback', 'production releases', 'production logout ghcr.io']) {
      const r = h.ssh(cmd);
      assert.is(r.code, 0, `${cmd}: ${r.stderr}`);
    }
    const login = h.ssh('production login ghcr.io github-actions[bot]', 'the-token');
    assert.is(login.code, 0, login.stderr);
    const calls = h.calls().map((c) => c.replace(/ \| .*stdin=/, ' stdin='));
    assert.equal(calls, [
      'rollback.sh 7 stdin=',
      'rollback.sh  stdin=',
      'rollback.sh --list stdin=',
      'docker logout ghcr.io stdin=',
      'docker login --username github-actions[bot] --password-stdin ghcr.io stdin=the-token',
    ]);
    assert.match(h.calls()[4]!, /DOCKER=unset/);
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
});

test('allowed: upload installs exactly the five host scripts into the environment\'s bin/', async () => {
  const h = await host();
  try {
    const r = h.ssh('production upload', tarOf(h, scripts()));
    assert.is(r.code, 0, r.stderr);
    for (const s of SCRIPTS) assert.is(readFileSync(join(h.appDir('production'), 'bin', s), 'utf8'), `#!/usr/bin/env bash\necho ${s}\n`);
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
});

test('refused before anything runs: shells, other commands, injection, bad arguments, other environments', async () => {
  const h = await host();
  try {
    const refused = [
      '',
      'bash',
      'bash -i',
      'sh -c id',
      'scp -t /srv/express-api/bin',
      'rsync --server -e.LsfxC . /srv',
      'docker ps',
      'production',
      'production shell',
      'production docker run --privileged alpine',
      `NGINX_CMD=/tmp/evil production deploy ${IMAGE}`,
      `qa deploy ${IMAGE}`,
      // A tag (REQUIRE_DIGEST=yes): it could be moved to other bytes after the pipeline chose it.
      `production deploy ghcr.io/acme/express-api:${SHA}`,
      `production deploy ghcr.io/acme/express-api@sha256:${'ab'.repeat(31)}`,
      `production deploy ghcr.io/acme/express-api@sha256:${'AB'.repeat(32)}`,
      'production deploy',
      'production deploy --help',
      'production deploy -x',
      `production deploy ${IMAGE};id`,
      'production deploy ghcr.io/acme/app:abc;id',
      'production deploy ghcr.io/acme/app:abc$(id)',
      'production deploy ghcr.io/acme/app:abc`id`',
      'production deploy ghcr.io/acme/app:abc|id',
      'production deploy ../../etc/passwd',
      `production deploy ${IMAGE} notasha`,
      `production deploy ${IMAGE} 0123abc extra`,
      'production rollback 1;id',
      'production rollback -1',
      'production rollback 1 2',
      'production releases --all',
      'production login evil_host user',
      'production login ghcr.io "user;id"',
      'production login ghcr.io',
      'production logout',
    ];
    for (const cmd of refused) {
      const r = h.ssh(cmd);
      assert.is(r.code, 2, `"${cmd}" exits 2: ${r.stderr}`);
      assert.match(r.stderr, /^ssh-gate: refused: /, cmd);
    }
    assert.equal(h.calls(), [], 'nothing ran');
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
});

test('refused uploads: other names, paths, links, missing scripts, not a tar; nothing is installed', async () => {
  const h = await host();
  try {
    const bin = join(h.appDir('production'), 'bin');
    const before = readFileSync(join(bin, 'deploy.sh'), 'utf8');
    const cases: [string, Buffer][] = [
      ['another file', tarOf(h, { ...scripts(), 'evil.sh': 'id\n' })],
      ['a missing script', tarOf(h, { 'deploy.sh': 'x\n' })],
      ['a link', tarOf(h, { ...scripts() }, (d) => symlinkSync('/etc/passwd', join(d, 'ssh-gate.sh')))],
      ['a path out', spawnSync('tar', ['-cf', '-', '--transform', 's|^|../|', '-C', h.dir, 'ssh-gate.sh'], { encoding: 'buffer' }).stdout],
      ['not a tar', Buffer.from('#!/bin/sh\nid\n')],
    ];
    assert.ok(cases[3]![1].length > 0, 'the path-out tar was built');
    for (const [what, tar] of cases) {
      const r = h.ssh('production upload', tar);
      assert.is(r.code, 2, `${what}: ${r.stderr}`);
      assert.match(r.stderr, /^ssh-gate: refused: upload: /, what);
    }
    assert.is(readFileSync(join(bin, 'deploy.sh'), 'utf8'), before, 'bin/ untouched');
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
});

test('ALLOW_UPLOAD=no and IMAGE_PATTERN: the pipeline can only run what root installed, only its own image', async () => {
  const h = await host();
  try {
    const text = readFileSync(`${h.gate}.conf`, 'utf8')
      .replace(/^ALLOW_UPLOAD=yes$/m, 'ALLOW_UPLOAD=no')
      .replace(/^IMAGE_PATTERN='\*'$/m, "IMAGE_PATTERN='ghcr.io/acme/express-api@sha256:*'");
    writeFileSync(`${h.gate}.conf`, text);
    const bin = join(h.appDir('production'), 'bin');
    const installed = Object.fromEntries(SCRIPTS.map((s) => [s, `installed ${s}\n`]));
    for (const [s, t] of Object.entries(installed)) writeFileSync(join(bin, s), t);
    assert.is(h.ssh('production upload', tarOf(h, installed)).code, 0, 'the same scripts pass');
    const changed = h.ssh('production upload', tarOf(h, { ...installed, 'deploy.sh': 'changed\n' }));
    assert.is(changed.code, 2);
    assert.match(changed.stderr, /deploy\.sh differs from the copy root installed/);
    assert.is(readFileSync(join(bin, 'deploy.sh'), 'utf8'), 'installed deploy.sh\n');
    assert.is(h.ssh(`production deploy ghcr.io/evil/miner@${DIGEST}`).code, 2, 'another image is refused');
    // Its own image by digest passes the gate (root's stand-in deploy.sh here is not a script).
    assert.not.match(h.ssh(`production deploy ${IMAGE}`).stderr, /refused/);
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
});

test('DEPLOY.md installs the gate as root and locks the key to it with restrict', async () => {
  const files = await renderScenario(scenarios['express-vps-github']!);
  const md = files.find((f) => f.path === 'DEPLOY.md')!.content;
  assert.match(md, /sudo install -m 755 -o root -g root deploy\/scripts\/ssh-gate\.sh \/usr\/local\/sbin\/express-api-ssh-gate/);
  assert.match(md, /restrict,command="\/usr\/local\/sbin\/express-api-ssh-gate" ssh-ed25519/);
  assert.match(md, /What the key can do:/);
  assert.match(md, /What it cannot do:/);
});

test.run();
