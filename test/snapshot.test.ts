import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';

const SNAP = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'snapshots');
const update = process.env.UPDATE_SNAPSHOTS === '1';

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

for (const [name, config] of Object.entries(scenarios)) {
  test(`snapshot ${name}`, async () => {
    const files = await renderScenario(config);
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
      if (process.env.CI) assert.unreachable(`snapshots/${name}/ is missing; run UPDATE_SNAPSHOTS=1 npm test locally and commit it`);
      for (const f of files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      console.log(`  wrote new snapshot snapshots/${name}/ (review and commit it)`);
      return;
    }
    const onDisk = walk(dir).map((p) => relative(dir, p)).sort();
    assert.equal(onDisk, files.map((f) => f.path).sort(), `file list of snapshots/${name}`);
    for (const f of files) assert.fixture(f.content, readFileSync(join(dir, f.path), 'utf8'), `snapshots/${name}/${f.path}`);
  });
}

test('rendering is deterministic: the same config gives the same bytes', async () => {
  const config = scenarios['fastify-pnpm-build']!;
  const a = await renderScenario(config);
  const b = await renderScenario(structuredClone(config));
  assert.equal(a, b);
});

test.run();
