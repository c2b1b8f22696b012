// `npm run bench`: what the CLI costs, as ratios to a bare `node -e 0` (and to
// @flydotio/dockerfile writing its Dockerfile for the same app) measured in the same run, since a
// shared machine makes absolute milliseconds mean little. Prints numbers only: no thresholds, no
// exit code that depends on them. docs/benchmarks.md says how to read the output.
//   RUNS=11 SCALE_RUNS=5 node scripts/bench.mjs [--no-build] [--no-npm]
// Every timing is a whole process started by bash's `time` (CPU = user + sys of the process and
// its children, wall = real). Peak RSS comes from GNU time when /usr/bin/time exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.RUNS ?? 11);
const SCALE_RUNS = Number(process.env.SCALE_RUNS ?? 5);
const args = new Set(process.argv.slice(2));
const NODE = process.execPath;
const BIN = join(ROOT, 'bin', 'deploy-kit.cjs');
const FLY = join(ROOT, 'node_modules', '@flydotio', 'dockerfile', 'index.js');
const work = mkdtempSync(join(tmpdir(), 'dk-bench-'));
// The CLI's code cache lives in the temp dir, one build's at a time: a deploy-kit of another build
// run meanwhile by anyone else as this user would remove this build's and make warm runs cold.
mkdirSync(join(work, 'tmp'));
process.env.TMPDIR = join(work, 'tmp');

if (!args.has('--no-build')) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });

/** One whole-process run under bash's `time`: wall and CPU milliseconds. */
function timed(cmd, argv, cwd, env = process.env) {
  const script = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" >/dev/null 2>&1 ; } 2>&1';
  const r = spawnSync('bash', ['-c', script, 'bash', cmd, ...argv], { cwd, encoding: 'utf8', env });
  const [real, user, sys] = r.stdout.trim().split('\n').at(-1).split(' ').map(Number);
  if (![real, user, sys].every(Number.isFinite)) throw new Error(`could not time ${cmd} ${argv.join(' ')}: ${r.stdout}${r.stderr}`);
  return { wall: real * 1000, cpu: (user + sys) * 1000 };
}

/** `runs` samples of a command; `before` runs (untimed) before each, e.g. to restore a fresh copy. */
function sample(cmd, argv, { cwd = ROOT, runs = RUNS, before, env } = {}) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    out.push(timed(cmd, argv, cwd, env));
  }
  return out;
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
const stats = (xs) => ({ min: sorted(xs)[0], median: median(xs), max: sorted(xs).at(-1) });
const ms = (x) => `${x.toFixed(0)} ms`;
const ratio = (x) => `${x.toFixed(2)}x`;

/**
 * Ratio of each sample of `a` to the median of `b` (min/median/max): the spread says how noisy
 * the machine was. The baseline is interleaved with the case so both see the same load.
 */
function ratios(a, b, key) {
  const base = median(b.map((s) => s[key]));
  return stats(a.map((s) => s[key] / base));
}

const rows = [];
function row(goal, name, r, target) {
  rows.push([goal, name, `${ratio(r.min)} / ${ratio(r.median)} / ${ratio(r.max)}`, target]);
}

function printRows(title, list) {
  console.log(`\n${title}`);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...list.map((r) => r[i].length)));
  for (const r of list) console.log(`  ${r.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd());
}

function git(dir, ...argv) {
  execFileSync('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...argv], { cwd: dir, stdio: 'ignore' });
}

/** A copy of the Express example as a git repository, with nothing installed. */
function expressRepo(dir) {
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(ROOT, 'examples', 'express-api'), dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

/** A repository with `n` Express services under services/ (a copy of the example each, its own name and port). */
function monorepo(n) {
  const dir = join(work, `mono-${n}`);
  rmSync(dir, { recursive: true, force: true });
  for (let i = 1; i <= n; i++) {
    const name = `svc-${String(i).padStart(3, '0')}`;
    const svc = join(dir, 'services', name);
    cpSync(join(ROOT, 'examples', 'express-api'), svc, { recursive: true, filter: (src) => !/node_modules|\.nvmrc|\.gitignore/.test(src) });
    const pkg = JSON.parse(readFileSync(join(svc, 'package.json'), 'utf8'));
    writeFileSync(join(svc, 'package.json'), `${JSON.stringify({ ...pkg, name }, null, 2)}\n`);
    const server = join(svc, 'src', 'server.js');
    writeFileSync(server, readFileSync(server, 'utf8').replace(/\b3000\b/, String(3000 + i)));
  }
  writeFileSync(join(dir, '.nvmrc'), readFileSync(join(ROOT, 'examples', 'express-api', '.nvmrc')));
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

function run(dir, ...argv) {
  const r = spawnSync(NODE, [BIN, ...argv], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`deploy-kit ${argv.join(' ')} failed in a bench repo:\n${r.stdout}${r.stderr}`);
}

/** Peak RSS (KiB) of a command, median of a few runs; undefined without GNU time. */
function peakRss(cmd, argv, cwd = ROOT) {
  if (!existsSync('/usr/bin/time')) return undefined;
  const out = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argv], { cwd, encoding: 'utf8' });
    out.push(Number(r.stderr.trim().split('\n').at(-1)));
  }
  return median(out);
}

console.log(`deploy-kit bench: ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, ${RUNS} runs per case`);

// --- One service: check, plan, a no-op generate, init --yes, and @flydotio/dockerfile.
const kit = expressRepo(join(work, 'express'));
run(kit, 'init', '--yes');
git(kit, 'add', '-A');
git(kit, 'commit', '-qm', 'kit');
// A build's first successful run of a command writes its code cache (src/cli/load-bundle.ts):
// init's was written above, this writes check's; the row without the cache shows a first run.
run(kit, 'check');
const fresh = join(work, 'express-fresh');
const flyApp = join(work, 'express-fly');
const baseline = [];
const results = {};
const cases = {
  check: () => sample(NODE, [BIN, 'check'], { cwd: kit }),
  plan: () => sample(NODE, [BIN, 'plan'], { cwd: kit }),
  'generate (no-op)': () => sample(NODE, [BIN, 'generate'], { cwd: kit }),
  'init --yes': () => sample(NODE, [BIN, 'init', '--yes'], { cwd: fresh, before: () => expressRepo(fresh) }),
  // The first run of a build (or a machine whose temp dir cannot hold the code cache).
  'check (no code cache)': () => sample(NODE, [BIN, 'check'], { cwd: kit, env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } }),
  // `npm create deploy-kit`: a first run of a new build, on a repository with no kit yet.
  'init --yes (no code cache)': () =>
    sample(NODE, [BIN, 'init', '--yes'], { cwd: fresh, before: () => expressRepo(fresh), env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } }),
  '@flydotio/dockerfile': () =>
    existsSync(FLY) ? sample(NODE, [FLY, '--force'], { cwd: flyApp, before: () => expressRepo(flyApp) }) : undefined,
};
for (const [name, fn] of Object.entries(cases)) {
  baseline.push(...sample(NODE, ['-e', '0'], { runs: Math.ceil(RUNS / 2) }));
  results[name] = fn();
}
const nodeMs = median(baseline.map((s) => s.cpu));
const fly = results['@flydotio/dockerfile'];
for (const name of ['check', 'plan', 'generate (no-op)']) {
  row('one service', `${name} CPU / node -e 0`, ratios(results[name], baseline, 'cpu'), '<= 2x');
  if (fly) {
    // How many times faster than flydotio: its median over each of our samples, in wall time
    // (what a person waits) and in CPU time (steadier on a busy machine).
    for (const key of ['wall', 'cpu']) {
      const theirs = median(fly.map((s) => s[key]));
      row('one service', `@flydotio/dockerfile ${key} / ${name} ${key}`, stats(results[name].map((s) => theirs / s[key])), '>= 2x');
    }
  }
}
row('one service', 'init --yes CPU / node -e 0', ratios(results['init --yes'], baseline, 'cpu'), '<= 3x');
row('one service', 'check without the code cache CPU / node -e 0', ratios(results['check (no code cache)'], baseline, 'cpu'), '');
row('one service', 'init --yes without the code cache CPU / node -e 0', ratios(results['init --yes (no code cache)'], baseline, 'cpu'), '<= 3x');
if (!fly) console.log('(@flydotio/dockerfile is not installed: `npm install` the devDependencies to compare with it)');

const rssNode = peakRss(NODE, ['-e', '0']);
const rssCheck = peakRss(NODE, [BIN, 'check'], kit);
if (rssNode && rssCheck) {
  rows.push(['one service', 'check peak RSS / node -e 0', `${ratio(rssCheck / rssNode)} (${(rssCheck / 1024).toFixed(0)} MiB)`, '<= 1.5x']);
}

// --- The `npm create deploy-kit` path: the tarball's install and `npm exec` start-up.
function npmPath() {
  const pack = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }));
  const tarball = join(work, pack[0].filename);
  const trivial = join(work, 'trivial');
  mkdirSync(trivial, { recursive: true });
  writeFileSync(join(trivial, 'package.json'), JSON.stringify({ name: 'dk-bench-trivial', version: '1.0.0', bin: { 'dk-bench-trivial': 'cli.js' } }));
  writeFileSync(join(trivial, 'cli.js'), '#!/usr/bin/env node\n');
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: trivial, encoding: 'utf8' });
  const trivialTgz = join(work, JSON.parse(packed)[0].filename);
  const npmEnv = ['--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', '--loglevel=error'];
  const prefix = (name) => {
    const dir = join(work, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{"private": true}\n');
    return dir;
  };
  // The first install warms npm's cache (the tarball's dependencies, if any).
  execFileSync('npm', ['install', ...npmEnv, tarball], { cwd: prefix('warm'), stdio: 'ignore' });
  const installRuns = Math.min(RUNS, 5);
  const ours = sample('npm', ['install', ...npmEnv, tarball], { cwd: join(work, 'p-ours'), runs: installRuns, before: () => prefix('p-ours') });
  const theirs = sample('npm', ['install', ...npmEnv, trivialTgz], { cwd: join(work, 'p-triv'), runs: installRuns, before: () => prefix('p-triv') });
  const size = readFileSync(tarball).length;
  const deps = readdirSync(join(work, 'p-ours', 'node_modules')).filter((d) => !d.startsWith('.') && d !== 'create-deploy-kit');
  const install = stats(ours.map((s) => s.wall));
  rows.push(['npm create', 'tarball install, warm cache (wall)', `${ms(install.min)} / ${ms(install.median)} / ${ms(install.max)}`, 'well under 1 s']);
  row('npm create', 'tarball install wall / trivial package install', ratios(ours, theirs, 'wall'), '');
  rows.push(['npm create', 'tarball size; installed packages beside it', `${(size / 1024).toFixed(0)} KiB; ${deps.length}`, 'few or none']);
  execFileSync('npm', ['install', ...npmEnv, trivialTgz], { cwd: join(work, 'p-ours'), stdio: 'ignore' });
  const execOurs = sample('npm', ['exec', '--no', '--', 'create-deploy-kit', '--help'], { cwd: join(work, 'p-ours') });
  const execTrivial = sample('npm', ['exec', '--no', '--', 'dk-bench-trivial', '--help'], { cwd: join(work, 'p-ours') });
  row('npm create', 'npm exec create-deploy-kit --help / trivial (wall)', ratios(execOurs, execTrivial, 'wall'), '<= 1.5x');
  row('npm create', 'npm exec create-deploy-kit --help / trivial (CPU)', ratios(execOurs, execTrivial, 'cpu'), '<= 1.5x');
}
if (!args.has('--no-npm')) npmPath();

// --- Start-up of the bins on their own.
const version = sample(NODE, [BIN, '--version']);
const help = sample(NODE, [BIN, 'generate', '--help']);
const base2 = sample(NODE, ['-e', '0']);
row('start-up', 'deploy-kit --version CPU / node -e 0', ratios(version, base2, 'cpu'), '');
row('start-up', 'deploy-kit generate --help CPU / node -e 0', ratios(help, base2, 'cpu'), '');

printRows('Goals (min / median / max of the ratio)', [['goal', 'measure', 'ratio', 'target'], ...rows]);
console.log(`\nnode -e 0 median: ${ms(nodeMs)} CPU, ${ms(median(baseline.map((s) => s.wall)))} wall`);
const flyMs = fly ? `${ms(median(fly.map((s) => s.cpu)))} CPU, ${ms(median(fly.map((s) => s.wall)))} wall` : '-';
console.log(`check median: ${ms(median(results.check.map((s) => s.cpu)))} CPU, ${ms(median(results.check.map((s) => s.wall)))} wall`);
console.log(`@flydotio/dockerfile median: ${flyMs}`);

// --- Scaling: the same commands on repositories of 1, 10, 50 and 100 services.
const sizes = (process.env.SIZES ?? '1,10,50,100').split(',').map(Number);
const scale = [];
for (const n of sizes) {
  const dir = monorepo(n);
  const before = () => {
    rmSync(dir, { recursive: true, force: true });
    monorepo(n);
  };
  const init = sample(NODE, [BIN, 'init', '--yes'], { cwd: dir, runs: SCALE_RUNS, before });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'kit');
  const check = sample(NODE, [BIN, 'check'], { cwd: dir, runs: SCALE_RUNS });
  const gen = sample(NODE, [BIN, 'generate'], { cwd: dir, runs: SCALE_RUNS });
  const base = sample(NODE, ['-e', '0'], { runs: SCALE_RUNS });
  scale.push({ n, init, check, gen, base });
}
const scaleRows = [['services', 'init --yes', 'check', 'generate (no-op)', 'check vs previous size']];
let prev;
for (const s of scale) {
  const cell = (xs) => {
    const r = ratios(xs, s.base, 'cpu');
    return `${ratio(r.min)} / ${ratio(r.median)} / ${ratio(r.max)} (${ms(median(xs.map((x) => x.cpu)))})`;
  };
  const checkMs = median(s.check.map((x) => x.cpu));
  const perDoubling = prev ? (checkMs / prev.ms) ** (1 / Math.log2(s.n / prev.n)) : undefined;
  scaleRows.push([String(s.n), cell(s.init), cell(s.check), cell(s.gen), perDoubling ? `${ratio(perDoubling)} per doubling` : '']);
  prev = { n: s.n, ms: checkMs };
}
printRows('Scaling: CPU / node -e 0, min / median / max (median CPU ms); the last column is check\'s growth per doubling of services', scaleRows);
const at = (n) => scale.find((s) => s.n === n);
if (at(50)) {
  const r = ratios(at(50).check, at(50).base, 'cpu');
  console.log(`\n50 services: check ${ratio(r.median)} node -e 0 (target <= 6x); growth per doubling target <= 1.6x`);
}
rmSync(work, { recursive: true, force: true });
