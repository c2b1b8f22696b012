/**
 * A project's .npmrc (a real-repo pattern: uptime-kuma's `legacy-peer-deps=true`, without which
 * `npm ci` stops on a peer conflict): settings go into the build context and are copied with the
 * manifests; one holding a registry credential stays out, with a warning that says how to pass it.
 * And a database the kit has no add-on for (MongoDB) is said up front.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ignoredBy } from '../src/doctor/buildable.js';
import { cli, git, ROOT } from './_repo.js';

function init(npmrc?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'dk-npmrc-'));
  cpSync(join(ROOT, 'test/fixtures/npmrc-settings'), dir, { recursive: true });
  if (npmrc !== undefined) writeFileSync(join(dir, '.npmrc'), npmrc);
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  return { ...res, read: (f: string) => readFileSync(join(dir, f), 'utf8') };
}

test('an .npmrc of settings is copied with the manifests and kept in the build context', () => {
  const r = init();
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /\.npmrc: settings the install reads, no credential/);
  assert.match(r.read('deploy-kit.yaml'), /^\s+npmrc: true$/m);
  assert.match(r.read('Dockerfile'), /^COPY package\.json package-lock\.json \.npmrc \.\/$/m);
  const ignore = r.read('.dockerignore');
  assert.ok(!ignoredBy(ignore, '.npmrc'), 'the .npmrc reaches the build');
  assert.ok(ignoredBy(ignore, 'sub/.npmrc'), 'another .npmrc still does not');
});

test('an .npmrc with a token stays out of the context, and init says how to pass it', () => {
  const r = init('//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /\.npmrc holds a registry credential: the build context leaves it out/);
  assert.not.match(r.read('deploy-kit.yaml'), /npmrc:/);
  assert.match(r.read('Dockerfile'), /^COPY package\.json package-lock\.json \.\/$/m);
  assert.ok(ignoredBy(r.read('.dockerignore'), '.npmrc'));
});

test('a MongoDB driver among the dependencies is said up front: there is no add-on for it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-mongo-'));
  cpSync(join(ROOT, 'test/fixtures/npmrc-settings'), dir, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  pkg.dependencies.mongoose = '^8.0.0';
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const r = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /depends on mongoose: the app needs a MongoDB, and deploy-kit has no MongoDB add-on/);
});

test.run();
