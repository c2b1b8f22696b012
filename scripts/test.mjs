// Runs every uvu suite under test/ (unit, snapshot, validity, e2e) in one process and closes
// with a single "tests: N passed, N failed, N skipped" line, after repeating why any tier
// skipped. Files starting with "_" are helpers, not suites. An optional argument is a regex
// of the suite file names to run: `node scripts/test.mjs 'snapshot|apply'`.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/**
 * The counts in uvu's closing block. uvu's "Total" counts the tests that ran (passed or failed)
 * and leaves skipped ones out; "Skipped" counts test.skip calls (and, with test.only, the tests
 * it left out). So failed = Total - Passed: subtracting the skips again would count them twice.
 * `found` is false when uvu printed no closing block (a suite threw while loading).
 */
export function summarize(stdout) {
  const count = (label) => {
    const all = [...stdout.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)\\s*$`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped');
  if (total === undefined || passed === undefined || skipped === undefined) return { found: false, total: 0, passed: 0, failed: 0, skipped: 0 };
  return { found: true, total, passed, failed: total - passed, skipped };
}

/** The lines in which a tier said it skipped and why ("e2e: skipped: ...", "validity: skipped nginx: ..."). */
export function skipReasons(stdout) {
  return [...new Set([...stdout.matchAll(/^\s*([\w-]+: skipped\b.*)$/gm)].map((m) => m[1].trim()))];
}

function main() {
  const only = process.argv[2] ?? '\\.test\\.ts$';
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', only, '-i', '^_', '-i', 'fixtures', '--no-color'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = res.stdout ?? '';
  process.stdout.write(out);
  const s = summarize(out);
  const reasons = skipReasons(out);
  if (reasons.length) console.log(`\nskipped:\n${reasons.map((r) => `  ${r}`).join('\n')}`);
  if (!s.found) console.log(`\nuvu printed no summary: a suite failed while loading (exit status ${res.status ?? res.signal}; see above)`);
  else if (s.total === 0) console.log(`\nno test ran: no suite matches ${only}, or every case skipped`);
  console.log(`\ntests: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
  if (res.status !== 0 || !s.found || s.failed > 0 || s.total === 0) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
