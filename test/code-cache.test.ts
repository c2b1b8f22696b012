/**
 * The built CLI loads its commands (dist/cli/commands.cjs) with V8's code cache
 * (src/cli/load-bundle.ts): the first run writes it into a directory of the temp dir that only the
 * user can write, later runs read it, a file V8 rejects is written again, and a directory anyone
 * else can write is never used. Every case runs the bins as a user does, with its own TMPDIR.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, exampleRepo } from './_repo.js';

const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-cache-'));
  temps.push(dir);
  return dir;
};
const uid = process.getuid?.();
const cacheDir = (tmp: string) => join(tmp, `deploy-kit-code-cache${uid === undefined ? '' : `-${uid}`}`);
const files = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.bin'));

const repo = exampleRepo();
const init = cli('deploy-kit', ['init', '--yes'], repo, { TMPDIR: tempDir() });
assert.is(init.code, 0, init.stderr);

test('the first command writes the cache, the next reads it and says the same', () => {
  const tmp = tempDir();
  const first = cli('deploy-kit', ['check'], repo, { TMPDIR: tmp });
  assert.is(first.code, 0, first.stderr);
  const dir = cacheDir(tmp);
  const [file, ...more] = files(dir);
  assert.ok(file, 'a cache file');
  assert.equal(more, []);
  // One file per build, command module (check is generate's) and Node version.
  assert.match(file!, new RegExp(`^commands-[0-9a-f]{16}-generate-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.bin$`));
  if (process.platform !== 'win32') assert.is(statSync(dir).mode & 0o777, 0o700);
  const written = statSync(join(dir, file!)).mtimeMs;
  const second = cli('deploy-kit', ['check'], repo, { TMPDIR: tmp });
  assert.equal([second.code, second.stdout, second.stderr], [first.code, first.stdout, first.stderr]);
  assert.is(statSync(join(dir, file!)).mtimeMs, written, 'an accepted cache is not written again');
});

test('a run that fails or only prints help writes no cache (it compiled too little to keep)', () => {
  const tmp = tempDir();
  const empty = tempDir();
  assert.is(cli('deploy-kit', ['check'], empty, { TMPDIR: tmp }).code, 1);
  assert.is(cli('deploy-kit', ['check', '--help'], repo, { TMPDIR: tmp }).code, 0);
  assert.equal(files(cacheDir(tmp)), []);
  assert.is(cli('deploy-kit', ['doctor'], repo, { TMPDIR: tmp }).code, 0);
  assert.equal(files(cacheDir(tmp)).map((f) => f.split('-')[2]), ['doctor']);
});

test('a cache V8 rejects is written again, and the command runs as without one', () => {
  const tmp = tempDir();
  assert.is(cli('deploy-kit', ['plan'], repo, { TMPDIR: tmp }).code, 0);
  const dir = cacheDir(tmp);
  const file = join(dir, files(dir)[0]!);
  writeFileSync(file, 'not V8 code cache data');
  const r = cli('deploy-kit', ['plan'], repo, { TMPDIR: tmp });
  assert.is(r.code, 0, r.stderr);
  assert.ok(readFileSync(file).length > 10_000, 'rewritten with real data');
  // Another build's file is removed when this build writes its own.
  const stale = join(dir, 'commands-0000000000000000-generate-v0.0.0-x64.bin');
  writeFileSync(stale, 'old');
  rmSync(file);
  assert.is(cli('deploy-kit', ['plan'], repo, { TMPDIR: tmp }).code, 0);
  assert.equal(files(dir), [file.slice(dir.length + 1)]);
});

test('a cache directory others can write is not used; NODE_DISABLE_COMPILE_CACHE turns the cache off', () => {
  if (process.platform === 'win32') return;
  const tmp = tempDir();
  const dir = cacheDir(tmp);
  mkdirSync(dir, { mode: 0o777 });
  chmodSync(dir, 0o777);
  const r = cli('deploy-kit', ['check'], repo, { TMPDIR: tmp });
  assert.is(r.code, 0, r.stderr);
  assert.equal(files(dir), []);
  const off = tempDir();
  assert.is(cli('deploy-kit', ['check'], repo, { TMPDIR: off, NODE_DISABLE_COMPILE_CACHE: '1' }).code, 0);
  assert.equal(readdirSync(off), []);
});

test.after(() => {
  for (const dir of [...temps, repo]) rmSync(dir, { recursive: true, force: true });
});

test.run();
