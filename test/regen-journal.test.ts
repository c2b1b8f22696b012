// The all-or-nothing apply, step by step: a "kill" after each step of the transaction is
// simulated by stopping there (prepareTransaction / performTransaction up to op k / markCommitted),
// then the repair must leave exactly the before-state or the after-state.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  applyChanges,
  computeChanges,
  JOURNAL_FILE,
  markCommitted,
  performTransaction,
  prepareTransaction,
  repairTransaction,
  TXN_DIR,
  txnStatus,
  type FileOp,
} from '../src/apply/index.js';
import { main } from '../src/cli/main.js';
import type { PlannedFile } from '../src/plan/index.js';
import { snapshot, treeDiff, type Tree } from './_regen-tree.js';

const file = (path: string, content: string): PlannedFile => ({ path, generator: 'g', content });
const tmp = (p = 'dk-journal-') => mkdtempSync(join(tmpdir(), p));

function eqTree(actual: Tree, expected: Tree, msg: string) {
  assert.equal(treeDiff(actual, expected), [], msg);
}

/** A repo after a first apply, and the changes of a second one touching every kind of op. */
function scene() {
  const root = tmp();
  const v1 = [
    file('Dockerfile', 'FROM a\n'),
    file('keep.txt', 'k\n'),
    file('gone.txt', 'bye\n'),
    file('sub/x.txt', 'x1\n'),
    file('edited.txt', 'one\ntwo\nthree\n'),
  ];
  applyChanges(root, computeChanges(root, v1));
  writeFileSync(join(root, 'edited.txt'), 'one (mine)\ntwo\nthree\n');
  writeFileSync(join(root, 'deploy.sh'), '#!/bin/sh\n');
  chmodSync(join(root, 'sub/x.txt'), 0o750); // a rollback restores the mode too (snapshots compare it)
  const v2 = [
    file('Dockerfile', 'FROM b\n'),
    file('keep.txt', 'k\n'),
    file('sub/x.txt', 'x2\n'),
    file('edited.txt', 'one\ntwo\nthree (new)\n'),
    file('new/deep/dir/n.txt', 'n\n'),
  ];
  const changes = computeChanges(root, v2);
  return { root, v2, changes };
}

/** The after-state: what a clean, uninterrupted apply makes of a copy of the same before-state. */
function afterState(v2: PlannedFile[], root: string): Tree {
  const copy = tmp();
  cpSync(root, copy, { recursive: true });
  applyChanges(copy, computeChanges(copy, v2));
  return snapshot(copy);
}

test('journal: a kill after every step leaves the before-state or the after-state', () => {
  const probe = scene();
  const nOps = probe.changes.ops.length;
  assert.ok(nOps >= 8, `ops: ${nOps}`);
  const after = afterState(probe.v2, probe.root);
  // k = -1: killed while staging (prepared journal never written); 0..n: prepared, k ops renamed;
  // n+1: committed, clean-up not done.
  for (let k = -1; k <= nOps + 1; k++) {
    const { root, changes, v2 } = scene();
    const before = snapshot(root);
    const p = prepareTransaction(root, changes.ops);
    if (k === -1) rmSync(join(root, JOURNAL_FILE)); // as if killed before the journal's rename
    else if (k <= nOps) performTransaction(p, 0, k);
    else {
      performTransaction(p);
      markCommitted(p);
    }
    const st = txnStatus(root).kind;
    assert.is(st, k === -1 ? 'staging' : k <= nOps ? 'prepared' : 'committed', `k=${k}`);
    const report = repairTransaction(root);
    assert.ok(report);
    eqTree(snapshot(root), k <= nOps ? before : after, `k=${k}`);
    assert.not.ok(existsSync(join(root, TXN_DIR)));
    // The repair is itself idempotent, and the next apply completes.
    assert.is(repairTransaction(root), null);
    applyChanges(root, computeChanges(root, v2));
    eqTree(snapshot(root), after, `k=${k}, after the next apply`);
  }
});

test('journal: a first apply into an empty repo rolls back to the empty repo (folders too)', () => {
  for (const k of [0, 1, 3, 99]) {
    const root = tmp();
    const changes = computeChanges(root, [file('a/b/c.txt', 'c\n'), file('d.txt', 'd\n')], {}, [{ path: 'deploy-kit.yaml', content: 'version: 1\n' }]);
    const p = prepareTransaction(root, changes.ops);
    performTransaction(p, 0, k);
    repairTransaction(root);
    assert.equal(snapshot(root), {}, `k=${k}`);
  }
});

test('journal: a rollback killed half-way is run again and still ends in the before-state', () => {
  const { root, changes } = scene();
  const before = snapshot(root);
  const p = prepareTransaction(root, changes.ops);
  performTransaction(p);
  // Simulate a rollback that restored only some files: put two back by hand, then repair.
  const j = txnStatus(root);
  assert.is(j.kind, 'prepared');
  writeFileSync(join(root, 'Dockerfile'), 'FROM a\n');
  rmSync(join(root, 'new/deep/dir/n.txt'));
  repairTransaction(root);
  eqTree(snapshot(root), before, 'before');
});

test('journal: an error mid-apply rolls back in-process (a folder swapped for an outside symlink)', () => {
  const { root, changes } = scene();
  const outside = tmp('dk-outside-');
  const before = snapshot(root);
  const p = prepareTransaction(root, changes.ops);
  // Between prepare and the renames, sub/ becomes a symlink to a folder outside the repo.
  rmSync(join(root, 'sub'), { recursive: true });
  symlinkSync(outside, join(root, 'sub'));
  let err: Error | undefined;
  try {
    performTransaction(p);
  } catch (e) {
    err = e as Error;
    assert.equal(repairTransaction(root)?.keptChanged, ['sub/x.txt']);
  }
  assert.is(err?.name, 'UnsafePathError');
  assert.equal(snapshot(outside), {}, 'nothing written outside');
  const now = snapshot(root);
  // Everything but what the test itself did to sub/ is the before-state.
  assert.equal(treeDiff(now, before), ['sub', 'sub/', 'sub/x.txt']);
});

test('journal: applyChanges refuses a folder in the way before touching anything', () => {
  const root = tmp();
  mkdirSync(join(root, 'Dockerfile'));
  writeFileSync(join(root, 'Dockerfile', 'inside'), 'x');
  const changes = computeChanges(root, [file('a.txt', 'a\n'), file('b.txt', 'b\n')]);
  // A Dockerfile folder appears in the plan's way only at apply time.
  changes.decisions.push({ kind: 'create', path: 'Dockerfile', generator: 'g', content: 'FROM x\n', render: 'FROM x\n' });
  const before = snapshot(root);
  assert.throws(() => applyChanges(root, changes), /Dockerfile is a folder/);
  eqTree(snapshot(root), before, 'unchanged');
});

test('journal: a file edited after the crash is left as it is, and reported', () => {
  const { root, changes } = scene();
  const p = prepareTransaction(root, changes.ops);
  performTransaction(p);
  writeFileSync(join(root, 'Dockerfile'), 'FROM mine-after-crash\n');
  const r = repairTransaction(root);
  assert.equal(r?.keptChanged, ['Dockerfile']);
  assert.is(readFileSync(join(root, 'Dockerfile'), 'utf8'), 'FROM mine-after-crash\n');
  assert.is(readFileSync(join(root, 'sub/x.txt'), 'utf8'), 'x1\n');
});

test('journal: a live owner is not rolled back under its feet; a damaged journal is not guessed at', () => {
  const { root, changes } = scene();
  prepareTransaction(root, changes.ops);
  writeFileSync(join(root, TXN_DIR, 'owner'), `${process.ppid}\n`);
  assert.is(txnStatus(root).kind, 'running');
  assert.throws(() => repairTransaction(root), /another deploy-kit \(pid \d+\) is applying/);
  writeFileSync(join(root, TXN_DIR, 'owner'), '999999999\n');
  writeFileSync(join(root, JOURNAL_FILE), '{"version":1,"state":"prep');
  assert.throws(() => repairTransaction(root), /journal\.json is damaged .*backup/);
  assert.ok(existsSync(join(root, JOURNAL_FILE)), 'the journal (and the backups in it) is kept for a human');
});

test('journal: paths in a journal are checked again (no "..", no absolute path, no symlink out)', () => {
  const outside = tmp('dk-outside-');
  writeFileSync(join(outside, 'victim'), 'safe\n');
  for (const dest of ['../victim', `${outside}/victim`, 'link/victim']) {
    const { root, changes } = scene();
    symlinkSync(outside, join(root, 'link'));
    prepareTransaction(root, changes.ops);
    const j = JSON.parse(readFileSync(join(root, JOURNAL_FILE), 'utf8'));
    // The journal claims the victim was created by the apply: a naive rollback would delete it.
    Object.assign(j.ops[0], { dest, before: null, existed: false, backup: null, after: j.ops[0].after ?? 'f'.repeat(64) });
    j.ops[0].staged ??= 's0';
    writeFileSync(join(root, JOURNAL_FILE), JSON.stringify(j));
    if (dest === 'link/victim') {
      // Well-formed, but it now leads out of the repository: left alone and reported.
      assert.ok(repairTransaction(root)?.keptChanged.includes(j.ops[0].path));
    } else {
      assert.throws(() => repairTransaction(root), /journal\.json is damaged/, dest);
    }
    assert.is(readFileSync(join(outside, 'victim'), 'utf8'), 'safe\n', dest);
  }
});

test('journal: a file that is not UTF-8 is backed up byte for byte (base64) and restored exactly', () => {
  const root = tmp();
  const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41, 0x0a]);
  writeFileSync(join(root, 'logo.bin'), bytes);
  const changes = computeChanges(root, [file('logo.bin', 'generated\n'), file('b.txt', 'b\n')], { force: true });
  assert.is(changes.decisions[0]!.kind, 'overwrite');
  const p = prepareTransaction(root, changes.ops);
  assert.is(JSON.parse(readFileSync(join(root, JOURNAL_FILE), 'utf8')).ops[0].backup.encoding, 'base64');
  performTransaction(p);
  assert.is(readFileSync(join(root, 'logo.bin'), 'utf8'), 'generated\n');
  repairTransaction(root);
  assert.ok(readFileSync(join(root, 'logo.bin')).equals(bytes));
});

test('journal: a .deploy-kit symlinked out of the repository is never repaired through', () => {
  const root = tmp();
  const outside = tmp('dk-outside-');
  mkdirSync(join(outside, '.txn'));
  writeFileSync(join(outside, '.txn', 'owner'), '999999999\n');
  symlinkSync(outside, join(root, '.deploy-kit'));
  assert.throws(() => repairTransaction(root), (e: Error) => e.name === 'UnsafePathError');
  assert.ok(existsSync(join(outside, '.txn', 'owner')), 'nothing removed outside');
});

test('journal: modes are kept, and writes go through an in-repo symlink', () => {
  const root = tmp();
  applyChanges(root, computeChanges(root, [file('deploy.sh', '#!/bin/sh\necho 1\n'), file('real/conf', 'a\n')]));
  chmodSync(join(root, 'deploy.sh'), 0o755);
  // The user made `conf` a link to the generated file in real/ (both inside the repo).
  symlinkSync('real/conf', join(root, 'conf-link'));
  applyChanges(root, computeChanges(root, [file('deploy.sh', '#!/bin/sh\necho 2\n'), file('real/conf', 'b\n')]));
  assert.is(statSync(join(root, 'deploy.sh')).mode & 0o777, 0o755);
  assert.is(readFileSync(join(root, 'conf-link'), 'utf8'), 'b\n');
});

test('journal: plan and check say a repair is pending and write nothing; generate repairs first', async () => {
  const dir = tmp();
  const run = async (...argv: string[]) => {
    const out = { stdout: '', stderr: '' };
    const code = await main(
      { argv, cwd: dir, interactive: false, out: { print: (t) => void (out.stdout += `${t}\n`), error: (t) => void (out.stderr += `${t}\n`) } },
      'deploy-kit',
    );
    return { code, ...out };
  };
  const { EXAMPLE } = await import('./_repo.js');
  cpSync(EXAMPLE, dir, { recursive: true, filter: (s) => !s.includes('node_modules') });
  assert.is((await run('init', '--yes', '--branch', 'trunk')).code, 0);
  const cfg = join(dir, 'deploy-kit.yaml');
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('port: 3000', 'port: 8080'));
  const before = snapshot(dir);
  // An apply of the new config, killed after half of its renames.
  const { planChanges } = await import('../src/cli/regenerate.js');
  const { readConfig } = await import('../src/cli/repo.js');
  const changes = await planChanges(dir, readConfig(dir).config, {});
  const p = prepareTransaction(dir, changes.ops);
  performTransaction(p, 0, Math.ceil(changes.ops.length / 2));
  const mid = snapshot(dir);
  const plan = await run('plan');
  assert.is(plan.code, 0);
  assert.match(plan.stderr, /interrupted apply is pending repair/);
  assert.match(plan.stdout, /^\+EXPOSE 8080$/m, 'plan shows the diff from the before-state');
  const check = await run('check');
  assert.is(check.code, 1);
  assert.match(check.stderr, /pending repair/);
  eqTree(snapshot(dir), mid, 'plan and check wrote nothing');
  const gen = await run('generate');
  assert.is(gen.code, 0, gen.stderr);
  assert.match(gen.stderr, /interrupted mid-way; rolled it back/);
  assert.not.ok(existsSync(join(dir, TXN_DIR)));
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /EXPOSE 8080/);
  assert.is((await run('check')).code, 0);
  assert.ok(treeDiff(snapshot(dir), before).length > 0);
});

test('journal: the repair note is printed when the repair happens, even if the command then fails', async () => {
  const dir = tmp('dk-journal-note-');
  const run = async (...argv: string[]) => {
    const out = { stdout: '', stderr: '' };
    const code = await main(
      { argv, cwd: dir, interactive: false, out: { print: (t) => void (out.stdout += `${t}\n`), error: (t) => void (out.stderr += `${t}\n`) } },
      'deploy-kit',
    );
    return { code, ...out };
  };
  const { EXAMPLE } = await import('./_repo.js');
  cpSync(EXAMPLE, dir, { recursive: true, filter: (s) => !s.includes('node_modules') });
  assert.is((await run('init', '--yes', '--branch', 'trunk')).code, 0);
  const cfg = join(dir, 'deploy-kit.yaml');
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('port: 3000', 'port: 8080'));
  const { planChanges } = await import('../src/cli/regenerate.js');
  const { readConfig } = await import('../src/cli/repo.js');
  const changes = await planChanges(dir, readConfig(dir).config, {});
  performTransaction(prepareTransaction(dir, changes.ops), 0, 1);
  // add repairs first, then stops: the vps target needs --domain and there is no terminal to ask.
  const add = await run('add', 'vps');
  assert.is(add.code, 2);
  assert.match(add.stderr, /interrupted mid-way; rolled it back \(1 file\(s\) restored/);
  assert.match(add.stderr, /the vps target needs --domain/);
  assert.not.ok(existsSync(join(dir, TXN_DIR)));
  // Nothing is carried over to the next command: it has nothing to repair and says nothing about it.
  const gen = await run('generate');
  assert.is(gen.code, 0, gen.stderr);
  assert.not.match(gen.stderr, /interrupted/);
});

test('journal: an operation list with nothing to do writes nothing at all', () => {
  const root = tmp();
  applyChanges(root, computeChanges(root, [file('a', 'a\n')]));
  const before = snapshot(root);
  const again = computeChanges(root, [file('a', 'a\n')]);
  assert.equal(again.ops, [] as FileOp[]);
  applyChanges(root, again);
  eqTree(snapshot(root), before, 'no-op');
});

test.run();
