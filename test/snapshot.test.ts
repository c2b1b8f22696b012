/**
 * Snapshot tier: every scenario's rendered tree must equal snapshots/<name>/ byte for byte.
 * Nothing here writes unless UPDATE_SNAPSHOTS=1: a missing or stale snapshot is a failure, so a
 * render that changed without review can never pass by recording itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderScenario, snapshotTree, treeHashes } from './_render.js';
import { scenarios } from './_scenarios.js';

const SNAP = fileURLToPath(new URL('../snapshots', import.meta.url));
const update = process.env.UPDATE_SNAPSHOTS === '1';
const HOW_TO_UPDATE = 'UPDATE_SNAPSHOTS=1 npm test -- snapshot';

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

for (const [name, config] of Object.entries(scenarios)) {
  test(`snapshot ${name}`, async () => {
    const files = snapshotTree(await renderScenario(config));
    const dir = join(SNAP, name);
    if (update) {
      rmSync(dir, { recursive: true, force: true });
      for (const f of files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      return;
    }
    if (!existsSync(dir)) {
      assert.unreachable(`snapshots/${name}/ is missing: create it with \`${HOW_TO_UPDATE}\`, review the new files and commit them`);
    }
    const onDisk = walk(dir).map((p) => relative(dir, p)).sort();
    assert.equal(onDisk, files.map((f) => f.path).sort(), `file list of snapshots/${name} (if the change is intended: \`${HOW_TO_UPDATE}\`)`);
    for (const f of files) assert.fixture(f.content, readFileSync(join(dir, f.path), 'utf8'), `snapshots/${name}/${f.path}`);
  });
}

test('every directory under snapshots/ belongs to a scenario', () => {
  // The validity tier checks every directory here: a stale one would be checked and pass forever.
  const stale = readdirSync(SNAP).filter((d) => statSync(join(SNAP, d)).isDirectory() && !(d in scenarios));
  if (update) {
    for (const d of stale) rmSync(join(SNAP, d), { recursive: true, force: true });
    return;
  }
  assert.equal(stale, [], `snapshots with no scenario (renamed or removed?): remove them with \`${HOW_TO_UPDATE}\``);
});

test('rendering is deterministic: another process, clock, time zone, locale and order give the same bytes', async () => {
  // A fresh process has none of this one's module-level state; see _render-child.ts for what else differs.
  const cwd = mkdtempSync(join(tmpdir(), 'dk-render-child-'));
  try {
    const child = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./_render-child.ts', import.meta.url))], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, TZ: process.env.TZ === 'Pacific/Kiritimati' ? 'America/Adak' : 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
    });
    assert.is(child.status, 0, `the child render failed:\n${child.stderr}`);
    const theirs = JSON.parse(child.stdout) as Record<string, Record<string, string>>;
    assert.equal(Object.keys(theirs).sort(), Object.keys(scenarios).sort(), 'the child rendered every scenario');
    for (const [name, config] of Object.entries(scenarios)) {
      const ours = treeHashes(await renderScenario(config));
      const differ = Object.keys({ ...ours, ...theirs[name] }).filter((p) => ours[p] !== theirs[name]?.[p]);
      assert.equal(differ, [], `${name}: these files render differently in another process`);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test.run();
