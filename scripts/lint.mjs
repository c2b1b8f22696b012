// The lint gate (`npm run lint`, run by `npm test` before the suites): oxlint with type-aware rules
// (floating and misused promises, unused imports and variables), a line-length limit, and knip for
// unused files, exports and dependencies. Every check runs, so one run lists every problem.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MAX_LINE = 160;
const DIRS = ['bin', 'generators', 'scripts', 'src', 'test'];
const SKIP = /^test\/fixtures\//;
const CODE = /\.(?:ts|js|mjs|cjs)$/;

function run(bin, args) {
  return spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' }).status === 0;
}

function sourceFiles() {
  const files = ['plopfile.js'];
  for (const dir of DIRS) files.push(...readdirSync(dir, { recursive: true }).map((f) => join(dir, f)));
  return files.filter((f) => CODE.test(f) && !SKIP.test(f.replaceAll('\\', '/'))).sort();
}

/** Lines over MAX_LINE characters (code points, so a non-ASCII character counts once). */
function longLines() {
  const found = [];
  for (const file of sourceFiles()) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const length = Array.from(line).length;
        if (length > MAX_LINE) found.push(`${file}:${i + 1}: ${length} characters (limit ${MAX_LINE})`);
      });
  }
  for (const l of found) console.log(l);
  if (found.length) console.log(`${found.length} line(s) over ${MAX_LINE} characters: break them up`);
  return found.length === 0;
}

const results = {
  oxlint: run('node_modules/oxlint/bin/oxlint', ['--type-aware', '--deny-warnings']),
  'line length': longLines(),
  knip: run('node_modules/knip/bin/knip.js', ['--no-progress']),
};
const failed = Object.keys(results).filter((k) => !results[k]);
console.log(failed.length ? `lint: failed (${failed.join(', ')})` : 'lint: ok');
if (failed.length) process.exit(1);
