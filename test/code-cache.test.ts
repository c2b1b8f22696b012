/**
 * The built CLI loads its commands (dist/cli/commands.cjs) with V8's code cache
 * (src/cli/load-bundle.ts): the first run writes it into a directory of the temp dir that only the
 * user can write, later runs read it, a file V8 rejects is written again, and a directory anyone
 * else can write is never used. Every case runs the bins as a user does, with its own TMPDIR.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
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
  // One file per build, module (check is generate's command module; the templates of each of the
  // kit's stacks and targets are a part) and Node version, all of one build.
  const written = files(dir);
  const name = new RegExp(`^commands-([0-9a-f]{16})-([a-z.-]+)-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.bin$`);
  assert.ok(written.every((f) => name.test(f)), written.join(', '));
  const modules = written.map((f) => name.exec(f)![2]!);
  assert.ok(modules.includes('generate') && modules.includes('kit.node'), modules.join(', '));
  assert.not.ok(modules.some((m) => ['init', 'doctor', 'validate', 'prompts', 'kit.python'].includes(m)), 'only the modules check ran');
  assert.is(new Set(written.map((f) => name.exec(f)![1])).size, 1);
  const file = written.find((f) => name.exec(f)![2] === 'generate');
  if (process.platform !== 'win32') assert.is(statSync(dir).mode & 0o777, 0o700);
  const mtime = statSync(join(dir, file!)).mtimeMs;
  const second = cli('deploy-kit', ['check'], repo, { TMPDIR: tmp });
  assert.equal([second.code, second.stdout, second.stderr], [first.code, first.stdout, first.stderr]);
  assert.is(statSync(join(dir, file!)).mtimeMs, mtime, 'an accepted cache is not written again');
  assert.equal(files(dir), written);
});

test('a run that fails or only prints help writes no cache (it compiled too little to keep)', () => {
  const tmp = tempDir();
  const empty = tempDir();
  assert.is(cli('deploy-kit', ['check'], empty, { TMPDIR: tmp }).code, 1);
  assert.is(cli('deploy-kit', ['check', '--help'], repo, { TMPDIR: tmp }).code, 0);
  assert.equal(files(cacheDir(tmp)), []);
  assert.is(cli('deploy-kit', ['doctor'], repo, { TMPDIR: tmp }).code, 0);
  // doctor's validators are a part of the bundle, loaded (and cached) apart from the command.
  const modules = files(cacheDir(tmp)).map((f) => f.split('-')[2]);
  assert.ok(modules.includes('doctor') && modules.includes('validate'), modules.join(', '));
  assert.not.ok(modules.includes('generate'));
});

test('a cache V8 rejects is written again, and the command runs as without one', () => {
  const tmp = tempDir();
  assert.is(cli('deploy-kit', ['plan'], repo, { TMPDIR: tmp }).code, 0);
  const dir = cacheDir(tmp);
  const file = join(dir, files(dir).find((f) => f.includes('-generate-'))!);
  writeFileSync(file, 'not V8 code cache data');
  const r = cli('deploy-kit', ['plan'], repo, { TMPDIR: tmp });
  assert.is(r.code, 0, r.stderr);
  assert.ok(readFileSync(file).length > 10_000, 'rewritten with real data');
  // The caches of the three builds written last are kept (someone switching between two
  // versions keeps both warm); older builds' files are removed when this build writes its own.
  const ours = files(dir);
  const other = (build: string, module: string, age: number) => {
    const f = join(dir, `commands-${build}-${module}-v0.0.0-x64.bin`);
    writeFileSync(f, 'old');
    const t = new Date(Date.now() - age * 60_000);
    utimesSync(f, t, t);
    return basename(f);
  };
  const oldest = [other('1111111111111111', 'generate', 30), other('1111111111111111', 'init', 25)];
  const recent = [other('2222222222222222', 'generate', 20), other('3333333333333333', 'generate', 40), other('3333333333333333', 'init', 3)];
  rmSync(file);
  assert.is(cli('deploy-kit', ['plan'], repo, { TMPDIR: tmp }).code, 0);
  assert.equal(files(dir).sort(), [...ours, ...recent].sort(), 'the newest file of each build ranks it');
  assert.not.ok(files(dir).some((f) => oldest.includes(f)));
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
