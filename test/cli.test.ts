import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../src/cli/main.js';
import { cli, exampleRepo, ROOT } from './_repo.js';

const noStack = (s: string) => assert.not.match(s, /\n\s+at .+:\d+:\d+/, 'no stack trace');

/** main() in this process: the same exit codes and messages as the bin, without a child process. */
async function run(bin: 'deploy-kit' | 'create-deploy-kit', argv: string[], cwd: string) {
  const out = { stdout: '', stderr: '' };
  const code = await main(
    { argv, cwd, interactive: false, out: { print: (t) => void (out.stdout += `${t}\n`), error: (t) => void (out.stderr += `${t}\n`) } },
    bin,
    bin === 'create-deploy-kit' ? 'init' : undefined,
  );
  return { code, ...out };
}

test('create-deploy-kit --yes on the example: exit 0, the kit written, detection shown first', () => {
  const dir = exampleRepo();
  const r = cli('create-deploy-kit', ['--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /default branch\s+trunk\s+\(current branch trunk/);
  assert.ok(r.stdout.indexOf('Detected') < r.stdout.indexOf('Dockerfile'));
  for (const f of [
    'Dockerfile', '.dockerignore', 'compose.yaml', '.env.example', '.github/workflows/ci.yml', 'DEPLOY.md', 'deploy-kit.yaml', '.deploy-kit/manifest.json',
  ]) {
    assert.ok(existsSync(join(dir, f)), f);
  }
  assert.match(readFileSync(join(dir, '.github/workflows/ci.yml'), 'utf8'), /branches: \["trunk"\]/);
  // generate right after init is a no-op, and check agrees
  const g = cli('deploy-kit', ['generate'], dir);
  assert.is(g.code, 0, g.stderr);
  assert.not.match(g.stdout, /created|updated/);
  assert.is(cli('deploy-kit', ['check'], dir).code, 0);
});

test('no TTY and a missing answer: lists every missing flag, exit 2, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-bare-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bare', version: '1.0.0' }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'bare', lockfileVersion: 3, requires: true, packages: {} }));
  const r = cli('deploy-kit', ['init'], dir);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--port, --health-path, --branch, --start/);
  assert.equal(readdirSync(dir).sort(), ['package-lock.json', 'package.json']);
  // --yes fills what has a default, but a branch and a start command have none
  const y = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(y.code, 2);
  assert.match(y.stderr, /missing answers .*: --branch, --start/);
  // all flags given: works without a TTY (the route given is one the code serves)
  writeFileSync(join(dir, 'index.js'), "require('node:http').createServer((req, res) => res.end(req.url === '/up' ? 'ok' : '')).listen(8080);\n");
  const ok = cli('deploy-kit', ['init', '--port', '8080', '--health-path', '/up', '--branch', 'release', '--start', 'node index.js'], dir);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /EXPOSE 8080/);
});

test('bad input: one clear message, non-zero exit, no stack trace, nothing written', () => {
  const dir = exampleRepo();
  const cases: Array<[string[], number, RegExp]> = [
    [['init', '--yes', '--port', '70000'], 2, /--port: "70000" is not a port \(1-65535\)/],
    [['init', '--yes', '--name', '../my app'], 2, /--name: "\.\.\/my app" is not a valid name/],
    [['init', '--yes', '--prot', '3000'], 2, /unknown flag --prot \(did you mean --port\?\)/],
    [['deploy'], 2, /unknown command "deploy"/],
    [['generate'], 1, /no deploy-kit\.yaml in .*; create one with `npm create deploy-kit`/],
  ];
  for (const [args, code, msg] of cases) {
    const r = cli('deploy-kit', args, dir);
    assert.is(r.code, code, args.join(' '));
    assert.match(r.stderr, msg);
    noStack(r.stderr);
  }
  assert.not.ok(existsSync(join(dir, 'deploy-kit.yaml')));
  assert.not.ok(existsSync(join(dir, 'Dockerfile')));
});

test('a repo with no package.json is refused with what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-empty-'));
  const r = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /nothing to deploy found in .*no app's manifest \(package\.json, .*Run it in the app's directory/);
  assert.equal(readdirSync(dir), []);
});

test('a path that is a file, not a directory, is refused', () => {
  const dir = exampleRepo();
  const r = cli('deploy-kit', ['init', '--yes', 'package.json'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /is not a directory/);
  assert.not.ok(existsSync(join(dir, 'deploy-kit.yaml')));
});

// Root ignores permission bits, so as root (as in CI) the bin runs as nobody (uid and gid 65534),
// which needs to be able to read this checkout. When it cannot (a checkout under a directory only
// root may enter), the case is skipped with the reason: no tool is missing, the case cannot run there.
const NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
const BIN = join(ROOT, 'bin', 'deploy-kit.cjs');
const canRun = spawnSync(process.execPath, [BIN, '--version'], { ...NOBODY, stdio: 'ignore' }).status === 0;
const cannotRun = `\`deploy-kit --version\` fails${'uid' in NOBODY ? ' as uid 65534 (it must be able to read this checkout)' : ''}`;
if (!canRun) console.log(`cli: skipped the not-writable case: ${cannotRun}`);

(canRun ? test : test.skip)('a directory that is not writable is refused before anything happens', () => {
  const dir = exampleRepo();
  chmodSync(dir, 0o555);
  const r = spawnSync(process.execPath, [BIN, 'init', '--yes'], { ...NOBODY, cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '' } });
  chmodSync(dir, 0o755);
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, /is not writable/);
  assert.not.ok(existsSync(join(dir, 'deploy-kit.yaml')));
});

test('invalid deploy-kit.yaml: every problem with line:column, exit 1, nothing written', () => {
  const dir = exampleRepo();
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  const cfg = join(dir, 'deploy-kit.yaml');
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('port: 3000', 'port: 70000').replace('stack: node', 'stack: cobol'));
  unlinkSync(join(dir, 'Dockerfile'));
  const r = cli('deploy-kit', ['generate', '--restore'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /deploy-kit\.yaml:\d+:\d+ services\[0\]\.stack: "cobol" is not allowed; allowed: node/);
  assert.match(r.stderr, /deploy-kit\.yaml:\d+:\d+ services\[0\]\.port: 70000 is not a port \(1-65535\)/);
  noStack(r.stderr);
  assert.not.ok(existsSync(join(dir, 'Dockerfile')));
  writeFileSync(cfg, 'version: [1\n');
  const y = cli('deploy-kit', ['generate'], dir);
  assert.is(y.code, 1);
  assert.match(y.stderr, /deploy-kit\.yaml:\d+:\d+ YAML syntax/);
});

test('a file that is not ours is never overwritten without --force: init keeps it and lists it, generate shows the diff', () => {
  const dir = exampleRepo();
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  const r = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Kept your Dockerfile \(not written by deploy-kit.*generate --force` replaces it/s);
  assert.is(readFileSync(join(dir, 'Dockerfile'), 'utf8'), 'FROM scratch\n');
  assert.ok(existsSync(join(dir, 'deploy-kit.yaml')));
  assert.ok(existsSync(join(dir, 'compose.yaml')));
  const g = cli('deploy-kit', ['generate'], dir);
  assert.is(g.code, 1);
  assert.match(g.stdout, /^-FROM scratch$/m);
  assert.match(g.stderr, /Dockerfile already exists and was not written by deploy-kit .*nothing was written/s);
  assert.match(g.stderr, /--force/);
  assert.is(readFileSync(join(dir, 'Dockerfile'), 'utf8'), 'FROM scratch\n');
  const f = cli('deploy-kit', ['generate', '--force'], dir);
  assert.is(f.code, 0, f.stderr);
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /USER node/);
});

test('regenerate: an edited config re-renders, the user edit is merged, plan and check agree', () => {
  const dir = exampleRepo();
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  const df = join(dir, 'Dockerfile');
  writeFileSync(df, readFileSync(df, 'utf8').replace('WORKDIR /app\n', 'WORKDIR /app\nLABEL team="payments"\n'));
  const cfg = join(dir, 'deploy-kit.yaml');
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('port: 3000', 'port: 8080'));
  const c = cli('deploy-kit', ['check'], dir);
  assert.is(c.code, 1);
  assert.match(c.stdout, /Dockerfile\s+would merge with your edits/);
  const p = cli('deploy-kit', ['plan'], dir);
  assert.is(p.code, 0);
  assert.match(p.stdout, /^\+EXPOSE 8080$/m);
  assert.match(readFileSync(df, 'utf8'), /EXPOSE 3000/, 'plan wrote nothing');
  const g = cli('deploy-kit', ['generate'], dir);
  assert.is(g.code, 0, g.stderr);
  const after = readFileSync(df, 'utf8');
  assert.match(after, /LABEL team="payments"/);
  assert.match(after, /EXPOSE 8080/);
  assert.is(cli('deploy-kit', ['check'], dir).code, 0);
});

test('init again with a flag updates deploy-kit.yaml and keeps its comments', () => {
  const dir = exampleRepo();
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  const cfg = join(dir, 'deploy-kit.yaml');
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('name: express-api', 'name: express-api # the shop'));
  const r = cli('deploy-kit', ['init', '--port', '9000'], dir);
  assert.is(r.code, 0, r.stderr);
  const text = readFileSync(cfg, 'utf8');
  assert.match(text, /# the shop/);
  assert.match(text, /port: 9000/);
  assert.match(readFileSync(join(dir, 'compose.yaml'), 'utf8'), /127\.0\.0\.1:\$\{APP_PORT:-9000\}:9000/);
});

test('a misspelled command gets the closest one; a hint names the command that was run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-typo-'));
  const typo = await run('deploy-kit', ['genrate'], dir);
  assert.is(typo.code, 2);
  assert.match(typo.stderr, /^unknown command "genrate" \(did you mean generate\?\)\ncommands: init, generate, plan, check/);
  assert.not.match((await run('deploy-kit', ['xyzzy'], dir)).stderr, /did you mean/);
  for (const [argv, hint] of [
    [['check', '--json'], 'see `deploy-kit check --help`'],
    [['plan', '--bogus'], 'see `deploy-kit plan --help`'],
    [['doctor', '--yes'], 'see `deploy-kit doctor --help`'],
    [['add', 'compose', '--bogus'], 'see `deploy-kit add --help`'],
    [['--prot', '3000'], 'see `npm create deploy-kit -- --help`'],
  ] as Array<[string[], string]>) {
    const bin = argv[0]!.startsWith('-') ? 'create-deploy-kit' : 'deploy-kit';
    const r = await run(bin, argv, dir);
    assert.is(r.code, 2, argv.join(' '));
    assert.match(r.stderr, /^unknown flag --/, argv.join(' '));
    assert.ok(r.stderr.includes(hint), `${argv.join(' ')}: ${r.stderr}`);
  }
  rmSync(dir, { recursive: true });
});

test('npm create deploy-kit: the exit-2 hint repeats the command with the -- npm needs before flags', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-create-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bare', version: '1.0.0' }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'bare', lockfileVersion: 3, requires: true, packages: {} }));
  const r = await run('create-deploy-kit', [], dir);
  assert.is(r.code, 2);
  assert.match(r.stderr, /no terminal to ask: --port, --health-path, --branch, --start\n/);
  assert.match(r.stderr, /\npass them as flags, e\.g\. npm create deploy-kit -- --port <port the app listens on> --health-path /);
  assert.match(r.stderr, /\nor take the defaults for --port, --health-path with --yes: npm create deploy-kit -- --yes --branch <production branch> --start </);
  const init = await run('deploy-kit', ['init'], dir);
  assert.match(init.stderr, /e\.g\. deploy-kit init --port /);
  // The root package's warning is shown once, under its facts (not again among the repository's).
  assert.is(init.stdout.split('warning: no start command found').length - 1, 1, init.stdout);
  assert.equal(readdirSync(dir).sort(), ['package-lock.json', 'package.json']);
  rmSync(dir, { recursive: true });
});

test('each command is told its name: the old hidden mode flags are unknown flags', async () => {
  const dir = exampleRepo();
  assert.is((await run('deploy-kit', ['init', '--yes'], dir)).code, 0);
  for (const argv of [['generate', '--check-mode'], ['generate', '--plan-mode'], ['add', 'vps', '--remove-mode'], ['remove', 'compose', '--add-mode']]) {
    const r = await run('deploy-kit', argv, dir);
    assert.is(r.code, 2, argv.join(' '));
    assert.match(r.stderr, /unknown flag --(check|plan|remove|add)-mode/, argv.join(' '));
  }
  // plan and check do what they say without any flag; plan's own --help describes plan.
  assert.is((await run('deploy-kit', ['check'], dir)).code, 0);
  assert.match((await run('deploy-kit', ['plan'], dir)).stdout, /Nothing would change/);
  assert.match((await run('deploy-kit', ['plan', '--help'], dir)).stdout, /^Show what `deploy-kit generate` would change.*\n\nUsage: deploy-kit plan /s);
  assert.match((await run('deploy-kit', ['check', '--help'], dir)).stdout, /Usage: deploy-kit check \[dir\]/);
});

test('--help on each command, --version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-help-'));
  for (const c of ['init', 'generate', 'plan', 'check']) {
    const r = cli('deploy-kit', [c, '--help'], dir);
    assert.is(r.code, 0, c);
    assert.match(r.stdout, /Usage: /);
  }
  assert.match(cli('deploy-kit', ['--version'], dir).stdout, /^\d+\.\d+\.\d+/);
  rmSync(dir, { recursive: true });
});

test.run();
