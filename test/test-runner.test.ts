/**
 * scripts/test.mjs, run for real on tiny suites in a scratch tree (its own test/ and a link to
 * this repo's node_modules): its closing line must count what uvu ran, with skipped cases
 * counted once (uvu's Total leaves them out already), and its exit code must follow failures.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from './_repo.js';

const temps: string[] = [];
test.after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runSuites(suites: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'dk-runner-'));
  temps.push(dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'test'));
  for (const [name, body] of Object.entries(suites)) {
    writeFileSync(join(dir, 'test', name), `import { test } from 'uvu';\nimport * as assert from 'uvu/assert';\n${body}\ntest.run();\n`);
  }
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test.mjs')], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '' } });
  return { code: r.status, out: r.stdout, closing: /^tests: .*$/m.exec(r.stdout)?.[0] };
}

const PASS = (name: string) => `test(${JSON.stringify(name)}, () => assert.is(1, 1));`;

test('all passing with skips: skips are counted once and are not failures', () => {
  // The shape that once printed "297 passed, -14 failed, 14 skipped".
  const r = runSuites({
    'a.test.ts': `${PASS('one')}\n${PASS('two')}\ntest.skip('three', () => {});`,
    'b.test.ts': `console.log('b: skipped: no widget here (see .ci/run)');\ntest.skip('four', () => {});\ntest.skip('five', () => {});`,
  });
  assert.is(r.closing, 'tests: 2 passed, 0 failed, 3 skipped', r.out);
  assert.is(r.code, 0, r.out);
  assert.match(r.out, /^skipped:\n {2}b: skipped: no widget here \(see \.ci\/run\)$/m, 'the skip reason is repeated above the closing line');
});

test('a failure is counted and fails the run', () => {
  const r = runSuites({ 'a.test.ts': `${PASS('one')}\ntest('two', () => assert.is(1, 2));\ntest.skip('three', () => {});` });
  assert.is(r.closing, 'tests: 1 passed, 1 failed, 1 skipped', r.out);
  assert.is(r.code, 1);
});

test('a suite that throws while loading fails the run, even though uvu printed no counts', () => {
  const r = runSuites({ 'a.test.ts': `${PASS('one')}\nthrow new Error('broken import');` });
  assert.is(r.code, 1, r.out);
  assert.match(r.out, /uvu printed no summary/);
});

test.run();
