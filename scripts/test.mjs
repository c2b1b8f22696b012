// Runs every uvu suite under test/ (unit, snapshot, validity, e2e) in one process and closes
// with a single "N passed, N failed" line. Files starting with "_" are helpers, not suites.
import { spawnSync } from 'node:child_process';

const only = process.argv[2] ?? '\\.test\\.ts$';
const res = spawnSync(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', only, '-i', '^_', '-i', 'fixtures', '--no-color'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
process.stdout.write(res.stdout ?? '');
const total = Number(/Total:\s+(\d+)/.exec(res.stdout ?? '')?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(res.stdout ?? '')?.[1] ?? 0);
const skipped = Number(/Skipped:\s+(\d+)/.exec(res.stdout ?? '')?.[1] ?? 0);
const failed = total - passed - skipped;
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (res.status !== 0 || failed > 0 || total === 0) process.exit(1);
