// Kill test of the all-or-nothing apply. A child process (test/fixtures/regen/apply-child.mjs,
// running the built dist/) applies a LARGE change (~200 generated files updated, created,
// merged, conflicted and deleted, plus their merge bases and the manifest) and is SIGKILLed at
// random moments. Then:
//   1. the repair (what every writing command runs first) leaves EXACTLY the before-state or
//      the after-state: every path under the repo, .deploy-kit/ included (manifest, merge bases,
//      schema), compared by kind, mode and full content, and every folder (see _regen-tree.ts);
//      which of the two is fixed by where the kill landed: before the commit point -> before,
//      after it -> after;
//   2. the next generate-equivalent (computeChanges + applyChanges on the same plan) completes
//      and leaves exactly the after-state, with no .deploy-kit/.txn left.
// "after-state" is what an uninterrupted apply of the same plan makes of a copy of the same
// before-state.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyChanges, computeChanges, repairTransaction, TXN_DIR, txnStatus } from '../src/apply/index.js';
import type { PlannedFile } from '../src/plan/index.js';
import { ROOT } from './_repo.js';
import { snapshot, treeDiff, type Tree } from './_regen-tree.js';

const TRIALS = Number(process.env.REGEN_KILL_TRIALS ?? 110);
/** Extra trials on the real disk (ext4 or whatever tmpdir() is), when the main ones run on tmpfs. */
const DISK_TRIALS = Number(process.env.REGEN_KILL_DISK_TRIALS ?? 6);
const FILES = 200;
const PARALLEL = 2;
// tmpfs when there is one: a SIGKILL leaves the page cache intact, so what a kill can do to the
// tree (renames done or not, files unlinked or not) is the same as on a disk, ~20x faster.
// Durability after a power cut (the fsyncs) is outside what any kill test can observe.
const FAST_DIR = process.env.REGEN_KILL_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const CHILD = join(ROOT, 'test', 'fixtures', 'regen', 'apply-child.mjs');

/** A small seeded PRNG, so the kit and the edits are the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function lines(n: number, tag: string): string {
  return Array.from({ length: n }, (_, i) => `${tag} line ${i}`).join('\n') + '\n';
}

/** Version 1 of a 200-file kit, and version 2: most files changed, some gone, new ones in new folders. */
function plans() {
  const v1: PlannedFile[] = [];
  const v2: PlannedFile[] = [];
  for (let i = 0; i < FILES; i++) {
    const path = `svc${i % 10}/conf${i % 4}/file${i}.txt`;
    const generator = `gen${i % 10}`;
    const text = lines(20, `f${i}`);
    v1.push({ path, generator, content: text });
    if (i % 10 === 9) continue; // generator gen9 left the config: its files go (or stay, if edited)
    v2.push({ path, generator, content: i % 3 === 0 ? text : text.replace(`f${i} line ${i % 20}\n`, `f${i} line ${i % 20} (v2)\n`) });
  }
  for (let i = 0; i < 60; i++) v2.push({ path: `new${i % 6}/deep/n${i}.txt`, generator: 'newgen', content: lines(10, `n${i}`) });
  return { v1, v2 };
}

/** The before-state: v1 applied, then the user's edits (some merge, some conflict) and deletions. */
function beforeRepo(v1: PlannedFile[]): string {
  const dir = mkdtempSync(join(FAST_DIR, 'dk-kill-tpl-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"app"}\n');
  applyChanges(dir, computeChanges(dir, v1));
  const r = rng(7);
  for (let i = 0; i < FILES; i++) {
    const p = join(dir, v1[i]!.path);
    if (i % 23 === 5) rmSync(p);
    else if (i % 4 === 1) {
      const line = r() < 0.5 ? i % 20 : (i + 7) % 20; // half on the line v2 changes: a conflict
      writeFileSync(p, readFileSync(p, 'utf8').replace(`f${i} line ${line}\n`, `f${i} line ${line} (user ${i})\n`));
    }
  }
  return dir;
}

const STRATEGIES = ['timer', 'any op', 'commit window', 'clean-up'];

type Phase = 'not started' | 'staging' | 'prepared' | 'committed' | 'empty txn' | 'finished';
type Kill = { kind: 'none' } | { kind: 'spawn' } | { kind: 'timer'; ms: number } | { kind: 'op'; op: number };

interface Trial {
  phase: Phase;
  strategy: string;
  disk: boolean;
}

/**
 * Runs the child and kills it: at spawn (0 delay), `ms` after it has loaded (the parent's
 * SIGKILL), or right before its op-th file-system mutation (the child SIGKILLs itself).
 */
function runChild(repo: string, planFile: string, kill: Kill, count = false) {
  return new Promise<{ killed: boolean; loadedMs: number; stdout: string }>((resolve, reject) => {
    const env = { ...process.env, DK_COUNT_OPS: count ? '1' : '', DK_KILL_AT_OP: kill.kind === 'op' ? String(kill.op) : undefined };
    if (env.DK_KILL_AT_OP === undefined) delete env.DK_KILL_AT_OP;
    const child = spawn(process.execPath, [CHILD, repo, planFile], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let loaded = 0;
    let timer: NodeJS.Timeout | undefined;
    const t0 = Date.now();
    if (kill.kind === 'spawn') child.kill('SIGKILL');
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', (d) => {
      stdout += String(d);
      if (loaded || !stdout.includes('ready')) return;
      loaded = Date.now() - t0;
      if (kill.kind === 'timer') timer = setTimeout(() => child.kill('SIGKILL'), kill.ms);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ killed: signal === 'SIGKILL', loadedMs: loaded, stdout });
    });
  });
}

test(`kill test: SIGKILL at random moments, ${TRIALS} + ${DISK_TRIALS} trials, ${FILES}-file change`, async () => {
  const t0 = Date.now();
  // The child runs dist/: `npm test` builds it first; a lone run needs `npm run build`.
  for (const f of readdirSync(join(ROOT, 'src', 'apply'))) {
    const built = join(ROOT, 'dist', 'src', 'apply', f.replace(/\.ts$/, '.js'));
    assert.ok(
      existsSync(built) && statSync(built).mtimeMs >= statSync(join(ROOT, 'src', 'apply', f)).mtimeMs,
      `dist/ is older than src/apply/${f}: run \`npm run build\` first`,
    );
  }
  const { v1, v2 } = plans();
  const tpl = beforeRepo(v1);
  const work = mkdtempSync(join(FAST_DIR, 'dk-kill-'));
  const diskWork = FAST_DIR === tmpdir() ? work : mkdtempSync(join(tmpdir(), 'dk-kill-'));
  const planFile = join(work, 'plan.json');
  writeFileSync(planFile, JSON.stringify(v2));
  const before: Tree = snapshot(tpl);
  const afterDir = join(work, 'after');
  cpSync(tpl, afterDir, { recursive: true });
  const changes = computeChanges(afterDir, v2);
  applyChanges(afterDir, changes);
  const after: Tree = snapshot(afterDir);
  const kinds: Record<string, number> = {};
  for (const d of changes.decisions) kinds[d.kind] = (kinds[d.kind] ?? 0) + 1;
  assert.ok(changes.ops.length >= 350, `a large change: ${changes.ops.length} file operations`);
  assert.ok(kinds.conflict && kinds.merge && kinds.delete && kinds['keep-orphan'] && kinds.create && kinds.update, JSON.stringify(kinds));

  // Calibrate: an uninterrupted child run gives the after-state; how long it takes once loaded,
  // how many file-system mutations it makes, and where the journal is prepared and committed.
  const cal = join(work, 'cal');
  cpSync(tpl, cal, { recursive: true });
  const c0 = Date.now();
  const calRun = await runChild(cal, planFile, { kind: 'none' }, true);
  const applyMs = Date.now() - c0 - calRun.loadedMs;
  const [total, prepared, committed] = (/ops (\d+) (\d+) (\d+)/.exec(calRun.stdout) ?? []).slice(1).map(Number) as [number, number, number];
  assert.ok(total > committed && committed > prepared && prepared > 0, calRun.stdout);
  assert.equal(treeDiff(snapshot(cal), after), [], 'an uninterrupted child run gives the after-state');

  const r = rng(Date.now());
  const pick = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const trials: Trial[] = [];
  const one = async (n: number, disk: boolean) => {
    const repo = join(disk ? diskWork : work, `t${n}`);
    cpSync(tpl, repo, { recursive: true });
    // Spread the kills: a few at spawn; then in turn a timer over the whole apply, a mutation
    // anywhere in it, one between the prepared and the committed journal, one in the clean-up.
    const strategy = n < 3 ? 'spawn' : STRATEGIES[n % STRATEGIES.length]!;
    const kill: Kill =
      strategy === 'spawn'
        ? { kind: 'spawn' }
        : strategy === 'timer'
          ? { kind: 'timer', ms: r() * applyMs * (disk ? 4 : 1.1) }
          : strategy === 'any op'
            ? { kind: 'op', op: pick(0, total - 1) }
            : strategy === 'commit window'
              ? { kind: 'op', op: pick(prepared + 1, committed) }
              : { kind: 'op', op: pick(committed + 1, total - 1) };
    await runChild(repo, planFile, kill);
    const status = txnStatus(repo).kind;
    assert.ok(status !== 'running', 'the killed child no longer counts as running');
    // An empty .txn: killed right after creating it, or right after the clean-up removed the journal.
    const emptyTxn = status === 'staging' && readdirSync(join(repo, TXN_DIR)).length === 0;
    const repaired = repairTransaction(repo);
    const now = snapshot(repo);
    const isAfter = treeDiff(now, after).length === 0;
    let phase: Phase;
    if (status === 'none') phase = isAfter ? 'finished' : 'not started';
    else if (emptyTxn) phase = isAfter ? 'empty txn' : 'not started';
    else phase = status as Phase;
    const expected = phase === 'committed' || phase === 'finished' || phase === 'empty txn' ? after : before;
    assert.equal(treeDiff(now, expected), [], `trial ${n} (${strategy}, ${phase}): the repaired tree is the ${expected === after ? 'after' : 'before'}-state`);
    assert.is(repaired === null, status === 'none');
    if (repaired) assert.equal(repaired.keptChanged, []);
    // The next generate-equivalent completes and leaves exactly the after-state.
    applyChanges(repo, computeChanges(repo, v2));
    assert.equal(treeDiff(snapshot(repo), after), [], `trial ${n}: the next run ends in the after-state`);
    assert.not.ok(existsSync(join(repo, TXN_DIR)));
    rmSync(repo, { recursive: true, force: true });
    trials.push({ phase, strategy, disk });
  };
  let next = 0;
  const worker = async () => {
    while (next < TRIALS) await one(next++, false);
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const tFast = Date.now();
  if (diskWork !== work) {
    let k = 0;
    const diskWorker = async () => {
      while (k < DISK_TRIALS) await one(3 + k++, true);
    };
    await Promise.all(Array.from({ length: PARALLEL }, diskWorker));
  }

  const count = (p: Phase, list = trials) => list.filter((t) => t.phase === p).length;
  const beforeCommit = count('not started') + count('staging');
  const during = count('prepared');
  const afterCommit = count('committed') + count('empty txn') + count('finished');
  const by = (s: string) => {
    const l = trials.filter((t) => t.strategy === s);
    const before = l.filter((t) => t.phase === 'not started' || t.phase === 'staging').length;
    const after = l.length - l.filter((t) => ['not started', 'staging', 'prepared'].includes(t.phase)).length;
    return `${s} ${l.length} (${before}/${count('prepared', l)}/${after})`;
  };
  console.log(
    `\n  regen-kill: ${trials.length} trials ` +
      `(${trials.filter((t) => !t.disk).length} on ${FAST_DIR}, ${trials.filter((t) => t.disk).length} on ${tmpdir()}), ` +
      `${changes.ops.length} file operations per apply ` +
      `(${total} file-system calls, journal prepared at #${prepared}, committed at #${committed}; ~${applyMs} ms), ` +
      `${((Date.now() - t0) / 1000).toFixed(1)} s (${((Date.now() - tFast) / 1000).toFixed(1)} s of it on the real disk)\n` +
      `    killed before the commit point: ${beforeCommit} ` +
      `(${count('not started')} before the first write, ${count('staging')} while staging) -> before-state\n` +
      `    killed during it (journal prepared, renames in flight): ${during} -> rolled back to the before-state\n` +
      `    killed after it: ${afterCommit} (${count('committed')} committed with clean-up pending, ` +
      `${count('empty txn')} in the last step of the clean-up, ${count('finished')} finished) -> after-state\n` +
      `    by strategy (before/during/after): ${['spawn', ...STRATEGIES].map(by).join(', ')}\n` +
      `    every trial: the next run completed and left exactly the after-state, no .deploy-kit/.txn left`,
  );
  assert.is(trials.length, TRIALS + (diskWork !== work ? DISK_TRIALS : 0));
  assert.ok(beforeCommit > 0 && during > 0 && afterCommit > 0, 'kills landed before, during and after the commit point');
  for (const d of new Set([work, diskWork, tpl])) rmSync(d, { recursive: true, force: true });
});

test.run();
