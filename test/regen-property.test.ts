// Property tests of regeneration (docs/design.md "State and regeneration"): a random kit is
// generated, the user edits it at random, a new render (a config or template change) arrives,
// and the real computeChanges/applyChanges run. Most cases use an in-memory disk behind the
// same code (computeChangesFrom + fileOps, the exact list applyChanges hands to the
// transaction); a share runs against a real temporary repository.
import fc from 'fast-check';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  applyChanges,
  BASE_DIR,
  computeChanges,
  computeChangesFrom,
  fileOps,
  type Changes,
  type DecideOptions,
} from '../src/apply/index.js';
import { driftOf } from '../src/cli/regenerate.js';
import type { PlannedFile } from '../src/plan/index.js';
import { editLines, MARKER, scenario, type Scenario } from './_regen-gen.js';
import { snapshot } from './_regen-tree.js';

const MEMORY_RUNS = Number(process.env.REGEN_MEMORY_RUNS ?? 4000);
const DISK_RUNS = Number(process.env.REGEN_DISK_RUNS ?? 250);

/** The two disks the same scenario runs on. */
interface Disk {
  read(p: string): string | null;
  /** A user's change, outside deploy-kit. */
  put(p: string, text: string | null): void;
  compute(planned: PlannedFile[], opts: DecideOptions): Changes;
  apply(changes: Changes): void;
  /** Every file (path -> content), .deploy-kit/ included. */
  files(): Record<string, string>;
  dispose(): void;
}

function memoryDisk(): Disk {
  const m = new Map<string, string>();
  const view = { read: (p: string) => m.get(p) ?? null };
  return {
    read: view.read,
    put: (p, t) => void (t === null ? m.delete(p) : m.set(p, t)),
    compute: (planned, opts) => computeChangesFrom(view, planned, opts),
    apply(changes) {
      if (changes.blocked.length > 0) throw new Error('applyChanges called with blocked paths');
      for (const op of fileOps(changes.decisions, changes.state, view)) {
        if (op.content === null) m.delete(op.path);
        else m.set(op.path, op.content);
      }
    },
    files: () => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b))),
    dispose() {},
  };
}

function realDisk(): Disk {
  const root = mkdtempSync(join(tmpdir(), 'dk-prop-'));
  return {
    read(p) {
      const t = snapshot(root)[p];
      return t === undefined ? null : t.slice(t.indexOf('\n') + 1);
    },
    put(p, t) {
      if (t === null) unlinkSync(join(root, p));
      else {
        mkdirSync(dirname(join(root, p)), { recursive: true });
        writeFileSync(join(root, p), t);
      }
    },
    compute: (planned, opts) => computeChanges(root, planned, opts),
    apply: (changes) => applyChanges(root, changes),
    files() {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(snapshot(root))) if (v !== 'dir') out[k] = v.slice(v.indexOf('\n') + 1);
      return out;
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

const plan = (files: Record<string, string>): PlannedFile[] =>
  Object.entries(files).map(([path, content]) => ({ path, generator: path.split('/')[0]!, content }));
const changedPaths = (a: Record<string, string>, b: Record<string, string>) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
const NO_OP = new Set(['unchanged', 'keep-edited', 'keep-deleted', 'keep-orphan']);

const stats = { cases: 0, memory: 0, disk: 0, blockedRefused: 0, kinds: {} as Record<string, number> };

/** One scenario, end to end; every invariant is an assertion. */
function check(s: Scenario, disk: Disk): void {
  stats.cases++;
  let uid = 0;
  let rid = 0;
  // 1. The first render, applied to an empty repository.
  disk.apply(disk.compute(plan(s.first), {}));
  // 2. The user's edits. Their inserted and changed lines are unique, so each can be traced.
  const userLines = new Map<string, string[]>();
  for (const [path, action] of Object.entries(s.user)) {
    if (action.kind === 'delete') disk.put(path, null);
    if (action.kind === 'edit' || action.kind === 'drop-base') {
      const mine: string[] = [];
      const text = editLines(disk.read(path)!, action.edits, () => {
        const l = `U${uid++} mine`;
        mine.push(l);
        return l;
      });
      disk.put(path, text);
      // Lines an edit later deleted are not the user's any more.
      userLines.set(path, mine.filter((l) => text.split('\n').includes(l)));
      if (action.kind === 'drop-base') disk.put(`${BASE_DIR}/${path}`, null);
    }
  }
  if (s.foreign) disk.put(s.foreign, 'theirs\n');
  // 3. The new render: lines changed, files removed (a generator left the config), files added.
  const second: Record<string, string> = {};
  for (const [path, text] of Object.entries(s.first)) {
    const c = s.change[path]!;
    if (c.kind === 'same') second[path] = text;
    else if (c.kind === 'edit') second[path] = editLines(text, c.edits, () => (rid % 2 ? c.lines[rid++ % 4]! : `R${rid++} new`));
  }
  Object.assign(second, s.added);
  const opts = { force: s.force, restore: s.restore };
  const before = disk.files();
  const changes = disk.compute(plan(second), opts);
  for (const d of changes.decisions) stats.kinds[d.kind] = (stats.kinds[d.kind] ?? 0) + 1;
  const drift = driftOf(changes);
  // check also fails on an edit generate has not kept yet, which generate leaves as it is (it
  // only records it in the manifest): only the kept edits and deletions are reported that way.
  const unseen = drift.decisions.filter((d) => d.kind === 'keep-edited' || d.kind === 'keep-deleted');
  for (const d of unseen) assert.ok(!d.accepted && (s.user[d.path]?.kind ?? 'none') !== 'none', `${d.path}: reported as an edit`);
  const reported = [...drift.decisions.filter((d) => !unseen.some((u) => u.path === d.path)).map((d) => d.path), ...drift.state].sort();

  // Blocked (a foreign file, no --force): generate refuses and writes nothing at all.
  if (changes.blocked.length > 0) {
    assert.ok(!s.force && s.foreign !== null);
    assert.throws(() => disk.apply(changes));
    assert.equal(disk.files(), before, 'a refused apply wrote nothing');
    assert.ok(reported.includes(s.foreign!), 'check reports the blocked path');
    stats.blockedRefused++;
    return;
  }
  disk.apply(changes);
  const after = disk.files();
  const kind = Object.fromEntries(changes.decisions.map((d) => [d.path, d.kind]));

  // Invariant: what check reports is exactly what generate changed (every file, state included).
  assert.equal(reported, changedPaths(before, after), 'check set == changed set');
  // ...and exactly what the apply hands to the transaction (the ops), no more and no less.
  assert.equal(changes.ops.map((o) => o.path).sort(), reported, 'the apply writes exactly what check reports');

  for (const path of new Set([...Object.keys(s.first), ...Object.keys(second)])) {
    const result = after[path];
    const lines = result === undefined ? [] : result.split('\n');
    // Invariant: conflict markers appear exactly when the decision is a conflict, well formed.
    const markers = lines.filter((l) => MARKER.test(l));
    if (kind[path] === 'conflict') {
      assert.ok(markers.length > 0 && markers.length % 4 === 0, `${path}: a conflict has whole marker blocks`);
    } else {
      assert.equal(markers, [], `${path}: no markers without a conflict decision (${kind[path]})`);
    }
    // Invariant: every line the user wrote survives (in a conflict block or not).
    for (const l of userLines.get(path) ?? []) {
      assert.ok(lines.includes(l), `${path}: the user's line "${l}" survived (${kind[path]})`);
    }
    // The user's deletion is respected unless --restore; untouched files get the new render.
    if (s.user[path]?.kind === 'delete' && path in second) {
      assert.is(result, s.restore ? second[path] : undefined, `${path}: deleted by the user`);
    }
    if (s.user[path]?.kind === 'none' && path in second) assert.is(result, second[path], `${path}: untouched -> new render`);
    if (s.user[path]?.kind === 'none' && !(path in second)) assert.is(result, undefined, `${path}: unmodified orphan deleted`);
  }
  if (s.foreign && s.force) assert.is(after[s.foreign], second[s.foreign]);

  // Invariant: a second apply with no change is a no-op.
  const again = disk.compute(plan(second), opts);
  for (const d of again.decisions) assert.ok(NO_OP.has(d.kind), `second run: ${d.path} is ${d.kind}`);
  assert.equal(again.ops, [], 'second run writes nothing');
  // check is clean after generate, except for files left with conflict markers: those fail until resolved.
  const conflicted = changes.conflicts.map((d) => d.path).sort();
  assert.equal(driftOf(again).state, [], 'check is clean after generate');
  assert.equal(driftOf(again).decisions.map((d) => d.path).sort(), conflicted, 'check reports only the unresolved conflicts after generate');
  disk.apply(again);
  assert.equal(disk.files(), after);
}

/** fast-check's report, with the assertion that failed (its `cause`) in the message. */
function runProperty(prop: fc.IProperty<[Scenario]>, numRuns: number) {
  try {
    fc.assert(prop, { numRuns });
  } catch (e) {
    const cause = (e as Error & { cause?: Error }).cause;
    throw new Error(`${(e as Error).message.split('\n').slice(0, 4).join('\n')}\nfailed: ${cause?.message ?? '?'}`);
  }
}

test(`regeneration properties: ${MEMORY_RUNS} in-memory + ${DISK_RUNS} real-disk cases`, () => {
  const t0 = Date.now();
  runProperty(
    fc.property(scenario, (s) => {
      stats.memory++;
      check(s, memoryDisk());
    }),
    MEMORY_RUNS,
  );
  const t1 = Date.now();
  runProperty(
    fc.property(scenario, (s) => {
      stats.disk++;
      const disk = realDisk();
      try {
        check(s, disk);
      } finally {
        disk.dispose();
      }
    }),
    DISK_RUNS,
  );
  const t2 = Date.now();
  const kinds = Object.entries(stats.kinds).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(
    `\n  regen-property: ${stats.memory + stats.disk} cases run (${stats.memory} in memory in ${t1 - t0} ms, ${stats.disk} on disk in ${t2 - t1} ms); ` +
      `${stats.blockedRefused} refused as blocked; decisions: ${kinds}`,
  );
  assert.ok(stats.memory + stats.disk >= 1000);
});

// Two bugs the properties found, kept as examples.
test('found: with the merge base lost and an empty file on one side, the conflict still has markers', () => {
  const m = memoryDisk();
  m.apply(m.compute(plan({ f: '\n' }), {}));
  m.put('f', '');
  m.put(`${BASE_DIR}/f`, null);
  const c = m.compute(plan({ f: 'R0 new\n' }), {});
  assert.is(c.decisions[0]!.kind, 'conflict');
  assert.is('content' in c.decisions[0]! && c.decisions[0].content, '<<<<<<< your version\n||||||| last generated\n=======\nR0 new\n>>>>>>> new render\n');
});

test('found: a merge that yields the user\'s file unchanged is "keep-edited", not a write check reports', () => {
  const m = memoryDisk();
  m.apply(m.compute(plan({ f: '\n' }), {}));
  m.put('f', 'U0 mine\n');
  const c = m.compute(plan({ f: '' }), {});
  assert.is(c.decisions[0]!.kind, 'keep-edited');
  // Nothing to write: check passes it as an edit (--allow-edits), and reports it only as one generate has not kept yet.
  assert.equal(driftOf(c, true).decisions, []);
  assert.equal(driftOf(c).decisions.map((d) => d.kind), ['keep-edited']);
});

test.run();
