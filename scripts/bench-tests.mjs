// Prints how long each test tier takes, run one after another through scripts/test.mjs (the
// figures the README quotes). Not a test: numbers only, no thresholds. Run `npm run build`
// first, as `npm test` does; set DOCKER_HOST for the engine tiers, or they report a skip.
//   node scripts/bench-tests.mjs [tier ...]     tiers: unit snapshot validity e2e drill
import { spawnSync } from 'node:child_process';

const HEAVY = ['snapshot', 'validity', 'e2e', 'vps-drill'];
const TIERS = {
  unit: `^(?!(?:${HEAVY.join('|')})).*\\.test\\.ts$`,
  snapshot: '^snapshot\\.test\\.ts$',
  validity: '^validity\\.test\\.ts$',
  e2e: '^e2e(-stacks)?\\.test\\.ts$',
  drill: '^vps-drill\\.test\\.ts$',
};

const chosen = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(TIERS);
const unknown = chosen.filter((t) => !(t in TIERS));
if (unknown.length) {
  console.error(`unknown tier(s) ${unknown.join(', ')}; tiers: ${Object.keys(TIERS).join(' ')}`);
  process.exit(2);
}

let total = 0;
for (const tier of chosen) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['scripts/test.mjs', TIERS[tier]], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  total += s;
  const closing = /^tests: .*$/m.exec(r.stdout ?? '')?.[0] ?? `no closing line (exit ${r.status})`;
  const skips = [...(r.stdout ?? '').matchAll(/^\s*([\w-]+: skipped\b.*)$/gm)].length;
  console.log(`${tier.padEnd(9)} ${s.toFixed(0).padStart(5)} s  ${closing}${skips ? ` (${skips} skip reason(s) printed)` : ''}`);
}
console.log(`${'total'.padEnd(9)} ${total.toFixed(0).padStart(5)} s`);
