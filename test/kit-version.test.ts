// deploy-kit.yaml records the deploy-kit version that wrote the kit. A newer deploy-kit says what
// upgrading changes; an older one refuses and names the command at the right version.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareVersions } from '../src/config/kit-version.js';
import { stampVersion } from '../src/config/write.js';
import { VERSION } from '../src/version.js';
import { cli, exampleRepo } from './_repo.js';

const cfg = (dir: string) => readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8');
const setStamp = (dir: string, v: string) => writeFileSync(join(dir, 'deploy-kit.yaml'), cfg(dir).replace(/^deployKit: .*$/m, `deployKit: ${v}`));
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function kit(): string {
  const dir = exampleRepo();
  const r = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  return dir;
}

test('init records the version that wrote the kit, right after version:', () => {
  const dir = kit();
  assert.match(cfg(dir), new RegExp(`^version: 1\\n#.*\\ndeployKit: ${esc(VERSION)}\\n`, 'm'));
  assert.is(cli('deploy-kit', ['check'], dir).code, 0);
});

test('a kit without the field (written before it was recorded) gets it from generate, comments kept', () => {
  const dir = kit();
  writeFileSync(join(dir, 'deploy-kit.yaml'), cfg(dir).replace(/^#.*\ndeployKit: .*\n/m, '').replace('name: express-api', 'name: express-api # ours'));
  assert.not.match(cfg(dir), /deployKit/);
  const c = cli('deploy-kit', ['check'], dir);
  assert.is(c.code, 1);
  assert.match(c.stdout, /deploy-kit\.yaml\s+would update/);
  assert.is(cli('deploy-kit', ['generate'], dir).code, 0);
  assert.match(cfg(dir), new RegExp(`^version: 1\\ndeployKit: ${esc(VERSION)}\\n`, 'm'));
  assert.match(cfg(dir), /# ours/);
  assert.is(cli('deploy-kit', ['check'], dir).code, 0);
});

test('a newer deploy-kit on an older kit says what upgrading changes, then records itself', () => {
  const dir = kit();
  setStamp(dir, '0.0.1');
  const p = cli('deploy-kit', ['plan'], dir);
  assert.is(p.code, 0, p.stderr);
  assert.match(p.stderr, new RegExp(`written by deploy-kit 0\\.0\\.1; this is ${esc(VERSION)}`));
  assert.match(p.stderr, /pinned versions \(base images, actions, tools\)/);
  assert.match(p.stderr, /Below is the diff/);
  assert.match(cfg(dir), /deployKit: 0\.0\.1/, 'plan wrote nothing');
  const g = cli('deploy-kit', ['generate'], dir);
  assert.is(g.code, 0, g.stderr);
  const hint = `run \`npx create-deploy-kit@${esc(VERSION)} plan\`; to stay on 0\\.0\\.1, run \`npx create-deploy-kit@0\\.0\\.1 generate\``;
  assert.match(g.stderr, new RegExp(hint));
  assert.match(cfg(dir), new RegExp(`deployKit: ${esc(VERSION)}`));
  const again = cli('deploy-kit', ['generate'], dir);
  assert.not.match(again.stderr, /Upgrading/);
});

test('an older deploy-kit on a newer kit refuses, naming the command at that version; nothing written', () => {
  const dir = kit();
  setStamp(dir, '99.1.0');
  const before = cfg(dir);
  const commands = [[['generate'], 'generate'], [['check'], 'check'], [['plan'], 'plan'], [['add', 'vps', '--domain', 'a.example.com'], 'add vps']] as const;
  for (const [argv, command] of commands) {
    const r = cli('deploy-kit', [...argv], dir);
    assert.is(r.code, 1, argv.join(' '));
    assert.match(r.stderr, new RegExp(`written by deploy-kit 99\\.1\\.0, newer than this one \\(${esc(VERSION)}\\)`));
    assert.match(r.stderr, new RegExp(`\`npx create-deploy-kit@99\\.1\\.0 ${command}\``));
    assert.not.match(r.stderr, /\n\s+at /);
  }
  assert.is(cfg(dir), before);
});

test('compareVersions orders releases and pre-releases', () => {
  assert.ok(compareVersions('0.1.0', '0.1.1') < 0);
  assert.ok(compareVersions('0.10.0', '0.9.9') > 0);
  assert.ok(compareVersions('1.0.0-beta.1', '1.0.0') < 0);
  assert.is(compareVersions('1.2.3', '1.2.3'), 0);
});

test('stampVersion: the text itself when stamped; otherwise the field is set, comments kept', () => {
  const body = 'version: 1\n# who wrote it\ndeployKit: 1.2.3 # kept\nname: app\n';
  assert.is(stampVersion(body, '1.2.3'), body);
  assert.is(stampVersion(body, '1.3.0'), body.replace('1.2.3', '1.3.0'));
  // A commented-out or nested deployKit is not the field.
  const commented = 'version: 1\n# deployKit: 1.2.3\nname: app\nx:\n  deployKit: 1.2.3\n';
  assert.is(stampVersion(commented, '1.2.3'), 'version: 1\ndeployKit: 1.2.3\n# deployKit: 1.2.3\nname: app\nx:\n  deployKit: 1.2.3\n');
});

test.run();
