// Prints CLI start-up cost as a ratio to a bare `node -e 0` measured in the same run (this
// machine is shared, so absolute milliseconds mean little). Not a test: numbers only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const runs = Number(process.env.RUNS ?? 15);
const kit = '.example-run/express-api';
const cases = [
  ['node -e 0', ['-e', '0']],
  ['deploy-kit --version', ['bin/deploy-kit.js', '--version']],
  ['deploy-kit generate --help', ['bin/deploy-kit.js', 'generate', '--help']],
  ...(existsSync(kit) ? [['deploy-kit check (example kit)', ['bin/deploy-kit.js', 'check', kit]]] : []),
];

function median(args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, args, { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const base = median(cases[0][1]);
for (const [name, args] of cases) {
  const ms = median(args);
  console.log(`${name.padEnd(32)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / base).toFixed(2)}x node -e 0`);
}
if (!existsSync(kit)) console.log('(run `npm run example` first to include `check` on the example kit)');
