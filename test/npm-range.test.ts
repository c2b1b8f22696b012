/**
 * doctor's lockfile check judges what `npm ci` judges: the locked version against package.json's
 * range (a real Astro starter locked `4.3.0` for `^4.0.0` and recorded `4.3.0` as the range; its
 * image built with `npm ci`, while doctor called the lock out of sync).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { satisfies } from '../src/doctor/npm-range.js';
import { doctor } from '../src/doctor/index.js';

const temps: string[] = [];
test.after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('ranges package.json files hold', () => {
  const yes: Array<[string, string]> = [
    ['^4.0.0', '4.3.0'],
    ['^0.2.3', '0.2.9'],
    ['~1.2.0', '1.2.7'],
    ['1.2.3', '1.2.3'],
    ['>=18 <21', '20.1.0'],
    ['1.x', '1.9.0'],
    ['*', '3.0.0'],
    ['', '3.0.0'],
    ['^1.0.0 || ^2.0.0', '2.4.1'],
    ['1.0.0 - 1.5.0', '1.5.0'],
    ['~1', '1.9.9'],
    ['>1.2', '1.3.0'],
  ];
  for (const [range, version] of yes) assert.is(satisfies(range, version), true, `${range} ${version}`);
  const no: Array<[string, string]> = [
    ['^4.0.0', '5.0.0'],
    ['^0.2.3', '0.3.0'],
    ['^0.0.3', '0.0.4'],
    ['~1.2.0', '1.3.0'],
    ['1.2.3', '1.2.4'],
    ['>=18 <21', '21.0.0'],
    ['>1.2', '1.2.9'],
    ['<=1.2', '1.3.0'],
  ];
  for (const [range, version] of no) assert.is(satisfies(range, version), false, `${range} ${version}`);
  for (const range of ['latest', 'workspace:*', 'file:../lib', 'github:a/b', '^1.0.0-beta.1', 'npm:other@1']) {
    assert.is(satisfies(range, '1.0.0'), undefined, range);
  }
});

test('doctor: a locked version inside the range is in sync; outside it, or not locked at all, it is not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-kit-npm-range-'));
  temps.push(dir);
  const write = (deps: Record<string, string>, lockRoot: Record<string, string>, locked: Record<string, string>) => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'site', scripts: { build: 'astro build' }, dependencies: deps }));
    const packages: Record<string, unknown> = { '': { name: 'site', dependencies: lockRoot } };
    for (const [n, v] of Object.entries(locked)) packages[`node_modules/${n}`] = { version: v };
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'site', lockfileVersion: 3, packages }));
  };
  const outOfSync = async () =>
    (await doctor(dir)).findings.filter((f) => f.rule === 'node/lockfile-out-of-sync').map((f) => f.message.split(':')[0]);

  // The starter's lock: ranges recorded as exact versions, and a dependency package.json dropped.
  write({ astro: '^5.0.0', '@astrojs/mdx': '^4.0.0' }, { astro: '5.10.1', '@astrojs/mdx': '4.3.0', '@astrojs/cloudflare': '12.6.0' }, {
    astro: '5.10.1',
    '@astrojs/mdx': '4.3.0',
    '@astrojs/cloudflare': '12.6.0',
  });
  assert.equal(await outOfSync(), []);

  write({ astro: '^6.0.0', pino: '^9.0.0' }, { astro: '5.10.1' }, { astro: '5.10.1' });
  assert.equal(await outOfSync(), [
    'package.json dependencies.astro is "^6.0.0" but package-lock.json has "5.10.1"',
    'package.json dependencies.pino is "^9.0.0" but package-lock.json has nothing',
  ]);
});

test('doctor: a lock pruned to one platform\'s optional packages is out of sync (npm ci: "Missing: ... from lock file")', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-kit-npm-pruned-'));
  temps.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'site', scripts: { build: 'vite build' }, devDependencies: { esbuild: '^0.25.0' } }));
  const lock = (platforms: string[]) => {
    const packages: Record<string, unknown> = {
      '': { name: 'site', devDependencies: { esbuild: '^0.25.0' } },
      'node_modules/esbuild': { version: '0.25.10', optionalDependencies: { '@esbuild/linux-x64': '0.25.10', '@esbuild/darwin-arm64': '0.25.10' } },
    };
    for (const p of platforms) packages[`node_modules/@esbuild/${p}`] = { version: '0.25.10', optional: true };
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'site', lockfileVersion: 3, packages }));
  };
  const messages = async () => (await doctor(dir)).findings.filter((f) => f.rule === 'node/lockfile-out-of-sync').map((f) => f.message);
  lock(['linux-x64', 'darwin-arm64']);
  assert.equal(await messages(), []);
  lock(['linux-x64']);
  assert.equal(await messages(), [
    'package-lock.json lacks 1 optional package(s) other platforms need (@esbuild/darwin-arm64...): `npm ci` in the image build fails',
  ]);
});

test.run();
