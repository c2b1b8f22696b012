import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { targetOptions, targetTypes } from '../src/cli/commands/targets.js';
import { cli, exampleRepo } from './_repo.js';

test('add on a repo without a kit runs detection first and writes the kit with the target', () => {
  const dir = exampleRepo();
  const r = cli('deploy-kit', ['add', 'compose', '--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Detected in/);
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /targets:\n {2}- type: compose\n/);
  assert.ok(existsSync(join(dir, 'compose.yaml')));
});

test('remove deletes the target\'s unmodified files and keeps the config comments; add brings them back', () => {
  const dir = exampleRepo();
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  const cfg = join(dir, 'deploy-kit.yaml');
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('name: express-api', 'name: express-api # shop'));
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  const r = cli('deploy-kit', ['remove', 'compose'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /compose\.yaml\s+deleted/);
  assert.not.ok(existsSync(join(dir, 'compose.yaml')));
  assert.not.ok(existsSync(join(dir, '.deploy-kit/base/compose.yaml')), 'its merge base goes too');
  assert.is(readFileSync(join(dir, 'Dockerfile'), 'utf8'), dockerfile, 'other targets\' files untouched');
  assert.match(readFileSync(cfg, 'utf8'), /# shop/);
  const a = cli('deploy-kit', ['add', 'compose'], dir);
  assert.is(a.code, 0, a.stderr);
  assert.ok(existsSync(join(dir, 'compose.yaml')));
  assert.match(readFileSync(cfg, 'utf8'), /targets:\n {2}- type: compose\n/);
  assert.is(cli('deploy-kit', ['check'], dir).code, 0);
});

test('remove keeps a file the user edited, with a warning', () => {
  const dir = exampleRepo();
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  writeFileSync(join(dir, 'compose.yaml'), readFileSync(join(dir, 'compose.yaml'), 'utf8') + '# mine\n');
  const r = cli('deploy-kit', ['remove', 'compose'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: compose\.yaml belonged to a removed target but you edited it, so it was kept/);
  assert.match(readFileSync(join(dir, 'compose.yaml'), 'utf8'), /# mine/);
  // and it is no longer generated: the manifest keeps it only as released (adding the target back merges it)
  const manifest = JSON.parse(readFileSync(join(dir, '.deploy-kit/manifest.json'), 'utf8')) as { files: object; released?: object };
  assert.not.ok('compose.yaml' in manifest.files);
  assert.ok(manifest.released && 'compose.yaml' in manifest.released);
});

test('bad input: unknown target (closest suggested), added twice, removing an absent one; nothing written', () => {
  const dir = exampleRepo();
  const u = cli('deploy-kit', ['add', 'compos', '--yes'], dir);
  assert.is(u.code, 2);
  assert.match(u.stderr, /unknown target "compos" \(did you mean "compose"\?\)/);
  assert.equal(readdirSync(dir).includes('deploy-kit.yaml'), false);
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  const before = readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8');
  const twice = cli('deploy-kit', ['add', 'compose'], dir);
  assert.is(twice.code, 1);
  assert.match(twice.stderr, /already has a "compose" target/);
  assert.is(cli('deploy-kit', ['remove', 'compose'], dir).code, 0);
  const gone = cli('deploy-kit', ['remove', 'compose'], dir);
  assert.is(gone.code, 1);
  assert.match(gone.stderr, /has no "compose" target/);
  assert.not.match(gone.stderr, /\n\s+at /);
  assert.is.not(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), before);
});

test('target types and options come from the schema', () => {
  assert.ok(targetTypes().includes('compose'));
  for (const t of targetTypes()) for (const o of targetOptions(t)) assert.match(o.flag, /^[a-z][a-z0-9-]*$/);
});

test.run();
