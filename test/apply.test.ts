import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyChanges, computeChanges, decide, merge3, sha256, UnsafePathError, type Manifest } from '../src/apply/index.js';
import { ConflictError } from '../src/errors.js';
import type { PlannedFile } from '../src/plan/index.js';

const file = (path: string, content: string): PlannedFile => ({ path, generator: 'g', content });
const manifestOf = (entries: Record<string, string>): Manifest => ({
  version: 1,
  files: Object.fromEntries(Object.entries(entries).map(([p, c]) => [p, { generator: 'g', sha256: sha256(c) }])),
});
const disk = (files: Record<string, string>) => ({ read: (p: string) => files[p] ?? null });
const kinds = (ds: { path: string; kind: string }[]) => Object.fromEntries(ds.map((d) => [d.path, d.kind]));

test('decide: each case of docs/design.md "State and regeneration"', () => {
  const base = { a: 'a1\n', b: 'b1\n', c: 'c1\nline2\nline3\n', d: 'd1\n', e: 'e1\n', gone: 'x\n', goneEdited: 'y\n' };
  const planned = [
    file('new', 'n\n'),
    file('a', 'a2\n'), // untouched by the user: replace
    file('b', 'b1\n'), // user edited, render unchanged: keep theirs
    file('c', 'c1\nline2\nline3 new\n'), // both changed, different lines: clean merge
    file('d', 'd3\n'), // both changed the same line: conflict
    file('e', 'e2\n'), // user deleted: stays deleted
    file('foreign', 'ours\n'), // exists, never ours: blocked
    file('same', 's\n'),
  ];
  const onDisk: Record<string, string> = {
    a: 'a1\n', b: 'b-user\n', c: 'c1 user\nline2\nline3\n', d: 'd-user\n', foreign: 'theirs\n', same: 's\n',
    gone: 'x\n', goneEdited: 'y edited\n',
  };
  for (const [k, v] of Object.entries(base)) onDisk[`.deploy-kit/base/${k}`] = v;
  const ds = decide(planned, manifestOf(base), disk(onDisk));
  assert.equal(kinds(ds), {
    new: 'create', a: 'update', b: 'keep-edited', c: 'merge', d: 'conflict', e: 'keep-deleted',
    foreign: 'blocked', same: 'unchanged', gone: 'delete', goneEdited: 'keep-orphan',
  });
  const c = ds.find((d) => d.path === 'c')!;
  assert.is('content' in c && c.content, 'c1 user\nline2\nline3 new\n');
  const d = ds.find((x) => x.path === 'd')!;
  assert.ok('content' in d && d.content.includes('<<<<<<< your version\nd-user\n||||||| last generated\nd1\n=======\nd3\n>>>>>>> new render'));
});

test('decide: --force overwrites a foreign file, --restore brings back a deleted one', () => {
  const ds = decide([file('foreign', 'ours\n'), file('e', 'e2\n')], manifestOf({ e: 'e1\n' }), disk({ foreign: 'theirs\n' }), { force: true, restore: true });
  assert.equal(kinds(ds), { foreign: 'overwrite', e: 'create' });
});

test('merge3: a clean merge has no markers, a conflict has exactly one block', () => {
  assert.equal(merge3('x\nb\nc', 'a\nb\nc', 'a\nb\nz'), { text: 'x\nb\nz', conflict: false });
  const m = merge3('x\nb', 'a\nb', 'y\nb');
  assert.ok(m.conflict);
  assert.is(m.text.match(/<<<<<<< /g)?.length, 1);
});

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-apply-'));
  return dir;
}

test('apply: writes files, manifest and bases; a second run changes nothing', () => {
  const root = repo();
  const planned = [file('Dockerfile', 'FROM x\n'), file('.github/workflows/ci.yml', 'name: CI\n')];
  const first = computeChanges(root, planned);
  applyChanges(root, first);
  assert.is(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8'), 'name: CI\n');
  assert.is(readFileSync(join(root, '.deploy-kit/base/Dockerfile'), 'utf8'), 'FROM x\n');
  const manifest = JSON.parse(readFileSync(join(root, '.deploy-kit/manifest.json'), 'utf8'));
  assert.is(manifest.files.Dockerfile.sha256, sha256('FROM x\n'));
  assert.ok(existsSync(join(root, '.deploy-kit/deploy-kit.schema.json')));
  assert.match(readFileSync(join(root, '.deploy-kit/.gitignore'), 'utf8'), /^\.txn\/$/m, 'the staging area is git-ignored');
  const second = computeChanges(root, planned);
  assert.equal([...new Set(second.decisions.map((d) => d.kind))], ['unchanged']);
});

test('apply: a new script is created executable; an existing file keeps its mode', () => {
  const root = repo();
  applyChanges(root, computeChanges(root, [file('deploy/run.sh', '#!/usr/bin/env bash\necho hi\n'), file('notes.txt', 'x\n')]));
  assert.is(statSync(join(root, 'deploy/run.sh')).mode & 0o111, 0o111, 'executable');
  assert.is(statSync(join(root, 'notes.txt')).mode & 0o111, 0, 'plain files are not');
  chmodSync(join(root, 'deploy/run.sh'), 0o700);
  applyChanges(root, computeChanges(root, [file('deploy/run.sh', '#!/usr/bin/env bash\necho bye\n'), file('notes.txt', 'x\n')]));
  assert.is(statSync(join(root, 'deploy/run.sh')).mode & 0o777, 0o700, 'the user\'s mode is kept');
});

test('apply: the user edit survives a regeneration that changes other lines', () => {
  const root = repo();
  applyChanges(root, computeChanges(root, [file('f.txt', 'one\ntwo\nthree\n')]));
  writeFileSync(join(root, 'f.txt'), 'one (mine)\ntwo\nthree\n');
  const next = computeChanges(root, [file('f.txt', 'one\ntwo\nthree (new)\n')]);
  assert.is(next.decisions[0]!.kind, 'merge');
  applyChanges(root, next);
  assert.is(readFileSync(join(root, 'f.txt'), 'utf8'), 'one (mine)\ntwo\nthree (new)\n');
  // And the merged file is still recognised as edited the next time.
  assert.is(computeChanges(root, [file('f.txt', 'one\ntwo\nthree (new)\n')]).decisions[0]!.kind, 'keep-edited');
});

test('apply: refuses paths outside the repository, including through a symlink', () => {
  const root = repo();
  assert.throws(() => computeChanges(root, [file('../escape', 'x')]), (e: Error) => e instanceof UnsafePathError && /inside the repository/.test(e.message));
  assert.throws(() => computeChanges(root, [file('/etc/passwd', 'x')]), (e: Error) => e instanceof UnsafePathError);
  const outside = mkdtempSync(join(tmpdir(), 'dk-outside-'));
  symlinkSync(outside, join(root, '.github'));
  assert.throws(() => computeChanges(root, [file('.github/workflows/ci.yml', 'x')]), (e: Error) => /symlink that points outside/.test(e.message));
  assert.not.ok(existsSync(join(outside, 'workflows')));
});

test('apply: blocked paths stop everything before the first write', () => {
  const root = repo();
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'Dockerfile'), 'FROM mine\n');
  const changes = computeChanges(root, [file('a.txt', 'a\n'), file('Dockerfile', 'FROM ours\n')]);
  assert.is(changes.blocked.length, 1);
  assert.throws(() => applyChanges(root, changes));
  assert.not.ok(existsSync(join(root, 'a.txt')));
  assert.is(readFileSync(join(root, 'Dockerfile'), 'utf8'), 'FROM mine\n');
});

test('apply: a folder where a generated file goes is a conflict with what to do, decided before any write', () => {
  const root = mkdtempSync(join(tmpdir(), 'dk-apply-'));
  applyChanges(root, computeChanges(root, [file('Dockerfile', 'FROM a\n')]));
  rmSync(join(root, 'Dockerfile'));
  mkdirSync(join(root, 'Dockerfile'));
  assert.throws(
    () => computeChanges(root, [file('Dockerfile', 'FROM b\n')]),
    (e: Error) => e instanceof ConflictError && /^Dockerfile is a folder, where deploy-kit writes a file; move it aside/.test(e.message),
  );
});

test.run();
