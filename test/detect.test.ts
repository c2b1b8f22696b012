import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectEnvVars, detectGit, detectNode, detectRepo, nodeMajor, plainNodeCommand } from '../src/detect/index.js';
import { NODE_LTS_MAJOR } from '../src/versions.js';
import { slugify } from '../src/detect/shared.js';
import { walkFiles } from '../src/detect/walk.js';


const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const example = fileURLToPath(new URL('../examples/express-api', import.meta.url));

/** The 1-based line of the first line containing `needle`, so assertions follow edits to the example. */
function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}

const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `deploy-kit-${prefix}-`));
  temps.push(dir);
  return dir;
}

// Git must not read this machine's config (init.defaultBranch, hooks, signing). detectGit inherits
// this process's environment, so isolate it for this suite and restore it for the suites after.
const GIT_ISOLATION = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const savedEnv: Record<string, string | undefined> = {};
test.before(() => {
  for (const [key, value] of Object.entries(GIT_ISOLATION)) {
    savedEnv[key] = process.env[key];
    process.env[key] = value;
  }
});
test.after(() => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=x', '-c', 'user.email=x@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
}

// ---------------------------------------------------------------- node

test('npm + express: the example app', async () => {
  const node = await detectNode(example);
  assert.ok(node);
  assert.is(node.path, '.');
  assert.equal(node.packageManager, { value: 'npm', evidence: 'package-lock.json present' });
  assert.is(node.packageManagerVersion, undefined, 'no packageManager field, no version');
  assert.equal(node.lockfile?.value, 'package-lock.json');
  assert.is(node.yarnFlavor, undefined);
  assert.equal(node.name?.value, 'express-api');
  assert.equal(node.nodeVersion, { value: '22', evidence: '.nvmrc: "22"' });
  assert.is(node.framework?.value, 'express');
  assert.match(node.framework?.evidence ?? '', /^package\.json dependencies\.express: "\^5/);
  assert.equal(node.start, { value: 'node src/server.js', evidence: 'package.json scripts.start: "node src/server.js"' });
  assert.is(node.test?.value, 'npm test');
  assert.is(node.build, undefined, 'the example has no build script');

  const portLine = lineOf(join(example, 'src/server.js'), 'process.env.PORT');
  assert.is(node.port?.value, 3000);
  assert.is(node.port?.evidence, `src/server.js:${portLine} const port = Number(process.env.PORT) || 3000;`);

  const healthLine = lineOf(join(example, 'src/app.js'), "'/health'");
  assert.is(node.healthPath?.value, '/health');
  assert.ok(node.healthPath?.evidence.startsWith(`src/app.js:${healthLine} `), node.healthPath?.evidence);
  assert.equal(node.warnings, []);
});

test('env vars of the example, with file:line locations and tests skipped', async () => {
  const env = await detectEnvVars(example);
  assert.equal(env, [
    { name: 'APP_VERSION', locations: [`src/app.js:${lineOf(join(example, 'src/app.js'), 'process.env.APP_VERSION')}`] },
    { name: 'LOG_LEVEL', locations: [`src/server.js:${lineOf(join(example, 'src/server.js'), 'process.env.LOG_LEVEL')}`] },
    { name: 'PORT', locations: [`src/server.js:${lineOf(join(example, 'src/server.js'), 'process.env.PORT')}`] },
  ]);
});

test('pnpm + fastify from the packageManager field, despite a stale package-lock.json', async () => {
  const node = await detectNode(fixture('pnpm-fastify'));
  assert.ok(node);
  assert.is(node.packageManager.value, 'pnpm');
  assert.match(node.packageManager.evidence, /packageManager: "pnpm@9\.1\.0/);
  assert.is(node.packageManagerVersion?.value, '9.1.0', 'the corepack hash is not part of the version');
  assert.equal(node.lockfile, { value: 'pnpm-lock.yaml', evidence: 'pnpm-lock.yaml present' });
  assert.ok(node.warnings?.some((w) => w.includes('package-lock.json') && w.includes('pnpm')), String(node.warnings));
  assert.is(node.name?.value, 'acme-orders-api');
  assert.is(node.framework?.value, 'fastify');
  assert.equal(node.nodeVersion, { value: '20', evidence: 'package.json engines.node: "^18 || ^20"' });
  assert.is(node.build?.value, 'pnpm run build');
  assert.is(node.test?.value, 'pnpm test');
  assert.is(node.start?.value, 'node dist/index.js');
  // `port: 5432` in src/db.ts is the database's; `PORT ?? 8080` is the server's.
  assert.is(node.port?.value, 8080);
  assert.is(node.port?.evidence, 'src/index.ts:7 const port = Number(process.env.PORT ?? 8080);');
  // /healthz beats /ready even though /ready comes first.
  assert.is(node.healthPath?.value, '/healthz');
  assert.is(node.healthPath?.evidence, "src/routes/health.ts:5 app.get('/healthz', async () => ({ status: 'ok' }));");
});

test('yarn classic + koa: lockfile v1, .node-version, env-prefixed start, placeholder test', async () => {
  const node = await detectNode(fixture('yarn-classic-koa'));
  assert.ok(node);
  assert.is(node.packageManager.value, 'yarn');
  assert.equal(node.yarnFlavor, { value: 'classic', evidence: 'yarn.lock is "yarn lockfile v1"' });
  assert.equal(node.nodeVersion, { value: '18', evidence: '.node-version: "v18.19.0"' });
  assert.is(node.framework?.value, 'koa');
  assert.is(node.build?.value, 'yarn build');
  assert.is(node.test, undefined, "npm's placeholder test script is not a test command");
  assert.is(node.start?.value, 'node --enable-source-maps server.js');
  assert.match(node.start?.evidence ?? '', /scripts\.start: "NODE_ENV=production node/);
  assert.is(node.port?.value, 4000);
  assert.is(node.port?.evidence, 'server.js:8 app.listen(process.env.PORT || 4000);');
  assert.is(node.healthPath, undefined);
});

test('yarn berry from the lockfile __metadata; hono; volta; start from main', async () => {
  const node = await detectNode(fixture('yarn-berry-hono'));
  assert.ok(node);
  assert.is(node.packageManager.value, 'yarn');
  assert.is(node.yarnFlavor?.value, 'berry');
  assert.match(node.yarnFlavor?.evidence ?? '', /__metadata/);
  assert.equal(node.nodeVersion, { value: '20', evidence: 'package.json volta.node: "20.11.1"' });
  assert.is(node.framework?.value, 'hono');
  assert.is(node.test?.value, 'yarn test');
  // scripts.dev is a plain node command too, but only start/start:prod/main decide production.
  assert.equal(node.start, { value: 'node src/index.js', evidence: 'package.json main: "src/index.js"' });
  assert.is(node.port?.value, 8787);
  assert.is(node.healthPath?.value, '/api/health');
});

test('yarn berry from .yarnrc.yml', async () => {
  const node = await detectNode(fixture('yarn-berry-rc'));
  assert.equal(node?.yarnFlavor, { value: 'berry', evidence: '.yarnrc.yml present' });
  assert.is(node?.build?.value, 'yarn build');
});

test('yarn flavor from the packageManager field beats the lockfile', async () => {
  const dir = tempDir('yarn-field');
  cpSync(fixture('yarn-classic-koa'), dir, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, packageManager: 'yarn@4.1.0' }));
  const berry = await detectNode(dir);
  assert.is(berry?.yarnFlavor?.value, 'berry');
  assert.is(berry?.packageManagerVersion?.value, '4.1.0');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, packageManager: 'yarn@1.22.22' }));
  assert.equal((await detectNode(dir))?.yarnFlavor, { value: 'classic', evidence: 'package.json packageManager: "yarn@1.22.22"' });
});

test('bun from bun.lock; its test script runs through `bun run test`', async () => {
  const node = await detectNode(fixture('bun-hono'));
  assert.ok(node);
  assert.equal(node.packageManager, { value: 'bun', evidence: 'bun.lock present' });
  assert.is(node.lockfile?.value, 'bun.lock');
  assert.is(node.build?.value, 'bun run build');
  assert.is(node.test?.value, 'bun run test');
  assert.equal(node.port, { value: 3001, evidence: 'src/index.ts:6 export default { port: 3001, fetch: app.fetch };' });
  assert.is(node.start, undefined);
  assert.ok(node.warnings?.some((w) => w.startsWith('no start command')), String(node.warnings));
});

test('bun from the binary bun.lockb', async () => {
  const dir = tempDir('bun-lockb');
  writeFileSync(join(dir, 'package.json'), '{"name":"b"}');
  writeFileSync(join(dir, 'bun.lockb'), Buffer.from([0x23, 0x21, 0x2f, 0x00, 0x01]));
  assert.equal((await detectNode(dir))?.lockfile, { value: 'bun.lockb', evidence: 'bun.lockb present' });
});

test('no lockfile: npm assumed, with a warning; engines range; start from main', async () => {
  const node = await detectNode(fixture('no-lockfile'));
  assert.ok(node);
  assert.equal(node.packageManager, { value: 'npm', evidence: 'no lockfile; npm assumed' });
  assert.is(node.lockfile, undefined);
  assert.is(node.warnings?.length, 1);
  assert.match(node.warnings?.[0] ?? '', /^no lockfile in the repository root: npm assumed/);
  assert.equal(node.nodeVersion, { value: NODE_LTS_MAJOR, evidence: 'package.json engines.node: ">=20.9" (a minimum: the current LTS satisfies it)' });
  assert.is(node.start?.value, 'node index.js');
  assert.is(node.framework, undefined);
  assert.equal(node.port, { value: 5000, evidence: 'index.js:3 const PORT = 5000;' });
});

test('several lockfiles and no packageManager: a warning naming them all', async () => {
  const node = await detectNode(fixture('several-lockfiles'));
  assert.ok(node);
  assert.is(node.packageManager.value, 'yarn', 'the stray package-lock.json loses');
  assert.is(node.lockfile?.value, 'yarn.lock');
  const warning = node.warnings?.find((w) => w.startsWith('several lockfiles'));
  assert.ok(warning, String(node.warnings));
  assert.ok(warning.includes('yarn.lock') && warning.includes('package-lock.json'), warning);
});

test('.nvmrc lts/* decides nothing: warned, and engines gets its say', async () => {
  const node = await detectNode(fixture('nvmrc-lts'));
  assert.ok(node);
  assert.equal(node.nodeVersion, { value: '22', evidence: 'package.json engines.node: ">=18 <23"' });
  assert.ok(node.warnings?.some((w) => w.startsWith('.nvmrc "lts/*"')), String(node.warnings));
  assert.is(node.start, undefined, '`npm run build && node ...` needs a shell');
});

test('lts/* alone leaves the version undefined', async () => {
  const dir = tempDir('lts');
  writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
  writeFileSync(join(dir, '.nvmrc'), 'node\n');
  const node = await detectNode(dir);
  assert.is(node?.nodeVersion, undefined);
  assert.ok(node?.warnings?.some((w) => w.includes('.nvmrc "node"')), String(node?.warnings));
});

test('nestjs: framework over express, start:prod, @Controller health route', async () => {
  const node = await detectNode(fixture('nestjs-api'));
  assert.ok(node);
  assert.is(node.framework?.value, 'nestjs');
  assert.equal(node.start, { value: 'node dist/main', evidence: 'package.json scripts.start:prod: "node dist/main"' });
  assert.is(node.build?.value, 'npm run build');
  assert.is(node.port?.value, 3000);
  assert.is(node.healthPath?.value, '/health');
  assert.match(node.healthPath?.evidence ?? '', /^src\/health\.controller\.ts:3 @Controller\('health'\)/);
  assert.equal(node.warnings, [], 'express under Nest is not a second framework');
});

test('nestjs without a node start script falls back to dist/main.js', async () => {
  const dir = tempDir('nest');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'nest start' }, dependencies: { '@nestjs/core': '^10.0.0' } }));
  const node = await detectNode(dir);
  assert.is(node?.start?.value, 'node dist/main.js');
  assert.match(node?.start?.evidence ?? '', /"nest start" is not a plain node command/);
});

test('port: the start command file wins among equal matches, the others are warned about', async () => {
  const dir = tempDir('ports');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'node server.js' } }));
  writeFileSync(join(dir, 'admin.js'), 'require("http").createServer().listen(4000);\n');
  writeFileSync(join(dir, 'server.js'), '\napp.listen(5000);\n');
  const node = await detectNode(dir);
  assert.equal(node?.port, { value: 5000, evidence: 'server.js:2 app.listen(5000);' });
  assert.ok(node?.warnings?.some((w) => w.includes('several ports') && w.includes('4000 (admin.js:1)')), String(node?.warnings));
});

test('health path: /health over /healthz over /api/health over readiness, wherever they appear', async () => {
  const dir = tempDir('health');
  writeFileSync(join(dir, 'package.json'), '{}');
  const routes = ["router.get('/readyz', h);", "router.get('/api/health', h);", "app.route('/healthz').get(h);", "app.get(\"/health\", h);"];
  writeFileSync(join(dir, 'app.js'), routes.join('\n'));
  assert.equal((await detectNode(dir))?.healthPath, { value: '/health', evidence: 'app.js:4 app.get("/health", h);' });
  writeFileSync(join(dir, 'app.js'), routes.slice(0, 3).join('\n'));
  assert.is((await detectNode(dir))?.healthPath?.value, '/healthz');
  writeFileSync(join(dir, 'app.js'), routes.slice(0, 2).join('\n'));
  assert.is((await detectNode(dir))?.healthPath?.value, '/api/health');
});

test('a directory without package.json has no Node facts', async () => {
  assert.is(await detectNode(fixture('no-package')), undefined);
});

test('a nested service: path recorded, evidence relative to the repo root', async () => {
  const root = tempDir('mono');
  cpSync(fixture('yarn-classic-koa'), join(root, 'apps/shop'), { recursive: true });
  const node = await detectNode(root, './apps/shop/');
  assert.ok(node);
  assert.is(node.path, 'apps/shop');
  assert.is(node.port?.evidence.split(' ')[0], 'apps/shop/server.js:8');
  assert.is(node.nodeVersion?.evidence, 'apps/shop/.node-version: "v18.19.0"');
});

test('invalid package.json is an error naming the file', async () => {
  const dir = tempDir('bad-json');
  writeFileSync(join(dir, 'package.json'), '{ "name": ');
  try {
    await detectNode(dir);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, Error);
    assert.match((err as Error).message, /^package\.json is not valid JSON/);
  }
});

test('slugify keeps the npm scope as a prefix and yields a valid config name', () => {
  assert.is(slugify('@acme/Orders API'), 'acme-orders-api');
  assert.is(slugify('my_app.js'), 'my-app-js');
  assert.is(slugify('--Weird__name--'), 'weird-name');
  assert.is(slugify(`${'a'.repeat(62)}-b`), 'a'.repeat(62));
  assert.is(slugify('@@@'), '');
});

test('nodeMajor reduces version specs to one major', () => {
  const cases: Array<[string, string | undefined]> = [
    ['22', '22'],
    ['v22.3.0', '22'],
    // A minimum is not a pin: the newest supported release (the current LTS) satisfies it.
    ['>=20.9', NODE_LTS_MAJOR],
    ['>= 16.0.0', NODE_LTS_MAJOR],
    ['^20.9 || >=22', NODE_LTS_MAJOR],
    ['>=18 <25', '24'],
    ['^18 || ^20', '20'],
    ['^20 || ^18', '20'],
    ['>=18 <21', '20'],
    ['>=18 <21.4', '21'],
    ['>=18 <=22', '22'],
    ['18 - 20', '20'],
    ['20.x', '20'],
    ['~18.17.0', '18'],
    ['lts/iron', '20'],
    ['lts/*', undefined],
    ['node', undefined],
    ['*', undefined],
  ];
  for (const [spec, major] of cases) assert.is(nodeMajor(spec), major, spec);
});

test('plainNodeCommand accepts exec-form node commands only', () => {
  assert.is(plainNodeCommand('node src/server.js'), 'node src/server.js');
  assert.is(plainNodeCommand('NODE_ENV=production node dist/main.js'), 'node dist/main.js');
  assert.is(plainNodeCommand('cross-env NODE_ENV=production node dist/main.js'), 'node dist/main.js');
  assert.is(plainNodeCommand('node --enable-source-maps dist/main.js'), 'node --enable-source-maps dist/main.js');
  assert.is(plainNodeCommand('node -r dotenv/config server.js'), 'node -r dotenv/config server.js');
  assert.is(plainNodeCommand('node --enable-source-maps'), undefined);
  assert.is(plainNodeCommand('node -e "require(1)"'), undefined);
  assert.is(plainNodeCommand('ts-node src/index.ts'), undefined);
  assert.is(plainNodeCommand('node server.js --port $PORT'), undefined);
  assert.is(plainNodeCommand('npm run build && node dist/index.js'), undefined);
});

// ---------------------------------------------------------------- env vars

test('env vars: every syntax, sorted, tests/build output/hidden dirs skipped', async () => {
  const env = await detectEnvVars(fixture('env-vars'));
  assert.equal(
    env.map((e) => e.name),
    ['API_KEY', 'AWS_REGION', 'DATABASE_URL', 'FEATURE_FLAG', 'LISTEN_ADDR', 'LOG_FORMAT', 'PORT', 'QUEUE_NAME', 'REDIS_URL', 'VITE_API_URL'],
  );
  const at = (name: string): string[] | undefined => env.find((e) => e.name === name)?.locations;
  // Destructured names sit on their own lines; `...rest` and the alias `redisUrl` are not variables.
  assert.equal(at('DATABASE_URL'), ['src/config.ts:2']);
  assert.equal(at('REDIS_URL'), ['src/config.ts:3']);
  assert.equal(at('LOG_FORMAT'), ['src/config.ts:4']);
  assert.equal(at('API_KEY'), ['src/config.ts:12']);
  assert.equal(at('AWS_REGION'), ['src/config.ts:13']);
  assert.equal(at('PORT'), ['src/config.ts:14', 'src/config.ts:18']);
  assert.equal(at('VITE_API_URL'), ['src/App.vue:2']);
  assert.equal(at('LISTEN_ADDR'), ['cmd/server/main.go:6']);
  assert.equal(at('FEATURE_FLAG'), ['cmd/server/main.go:7']);
  assert.equal(at('QUEUE_NAME'), ['worker.py:3']);
});

test('env vars in Python: os.environ[...], .get, os.getenv; comments ignored', async () => {
  assert.equal(await detectEnvVars(fixture('no-package')), [
    { name: 'DATABASE_URL', locations: ['app.py:8'] },
    { name: 'FLASK_DEBUG', locations: ['app.py:6'] },
    { name: 'SECRET_KEY', locations: ['app.py:5'] },
  ]);
});

test('env vars: node_modules skipped, locations ordered by file then line number', async () => {
  const dir = tempDir('env');
  mkdirSync(join(dir, 'node_modules/dep'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/dep/index.js'), 'process.env.FROM_A_DEPENDENCY');
  const lines = Array.from({ length: 12 }, (_, i) => (i === 1 || i === 9 ? 'x(process.env.TOKEN)' : ''));
  writeFileSync(join(dir, 'b.js'), lines.join('\n'));
  writeFileSync(join(dir, 'a.mjs'), 'const t = process.env.TOKEN; const u = process.env.TOKEN;');
  assert.equal(await detectEnvVars(dir), [{ name: 'TOKEN', locations: ['a.mjs:1', 'b.js:2', 'b.js:10'] }]);
});

test('walkFiles: breadth-first, sorted, skips hidden and listed dirs, honours maxFiles', async () => {
  const root = fixture('env-vars');
  const all = await walkFiles(root, { extensions: ['.ts', '.js', '.go', '.py'] });
  assert.equal(all, ['worker.py', 'build/bundle.js', 'src/config.spec.ts', 'src/config.ts', 'test/config.test.ts', 'test/helpers.ts', 'cmd/server/main.go']);
  const some = await walkFiles(root, { extensions: ['.ts', '.js', '.go', '.py'], skipDirs: ['build', 'test'], skipTestFiles: true, maxFiles: 2 });
  assert.equal(some, ['worker.py', 'src/config.ts']);
});

// ---------------------------------------------------------------- git

test('git: a directory outside any repository', async () => {
  assert.equal(await detectGit(tempDir('nogit')), { isRepo: false, branches: [] });
});

test('git: a fresh repo with no commits reports its unborn branch', async () => {
  const dir = tempDir('trunk');
  git(dir, 'init', '-q', '-b', 'trunk');
  const facts = await detectGit(dir);
  assert.is(facts.isRepo, true);
  assert.equal(facts.branches, ['trunk']);
  assert.is(facts.defaultBranch?.value, 'trunk');
  assert.match(facts.defaultBranch?.evidence ?? '', /^current branch/);
});

test('git: a repo with commits on develop and a feature branch', async () => {
  const dir = tempDir('develop');
  git(dir, 'init', '-q', '-b', 'develop');
  writeFileSync(join(dir, 'README.md'), 'hi\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'first');
  git(dir, 'branch', 'feature/login');
  const facts = await detectGit(dir);
  assert.equal(facts.branches, ['develop', 'feature/login']);
  assert.equal(facts.defaultBranch, { value: 'develop', evidence: 'current branch develop (no remote origin HEAD)' });
});

test('git: a clone takes its default branch from the remote HEAD, not the checked-out branch', async () => {
  const base = tempDir('clone');
  const remote = join(base, 'remote.git');
  const work = join(base, 'work');
  const clone = join(base, 'clone');
  git(base, 'init', '-q', '--bare', '-b', 'production', remote);
  git(base, 'init', '-q', '-b', 'production', work);
  writeFileSync(join(work, 'README.md'), 'hi\n');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'first');
  git(work, 'branch', 'feature-x');
  git(work, 'remote', 'add', 'origin', remote);
  git(work, 'push', '-q', 'origin', 'production', 'feature-x');
  git(base, 'clone', '-q', remote, clone);
  git(clone, 'checkout', '-q', '-b', 'hotfix');

  const facts = await detectGit(clone);
  assert.is(facts.isRepo, true);
  assert.is(facts.defaultBranch?.value, 'production');
  assert.match(facts.defaultBranch?.evidence ?? '', /remote origin HEAD/);
  // origin/feature-x and origin/production stripped and merged with the local branches; no "HEAD".
  assert.equal(facts.branches, ['feature-x', 'hotfix', 'production']);
});

test('git: detached HEAD without a remote falls back to init.defaultBranch', async () => {
  const dir = tempDir('detached');
  git(dir, 'init', '-q', '-b', 'develop');
  writeFileSync(join(dir, 'a'), 'a');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'a');
  git(dir, 'checkout', '-q', '--detach');
  assert.is((await detectGit(dir)).defaultBranch, undefined, 'nothing to go on: no guess');
  git(dir, 'config', 'init.defaultBranch', 'release');
  const facts = await detectGit(dir);
  assert.is(facts.defaultBranch?.value, 'release');
  assert.match(facts.defaultBranch?.evidence ?? '', /init\.defaultBranch/);
  assert.equal(facts.branches, ['develop']);
});

// ---------------------------------------------------------------- detectRepo

test('detectRepo combines node, git and env, and collects warnings', async () => {
  const dir = tempDir('repo');
  cpSync(fixture('no-lockfile'), dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), `${readFileSync(join(dir, 'index.js'), 'utf8')}console.log(process.env.GREETING);\n`);
  const facts = await detectRepo(dir);
  assert.is(facts.root, dir);
  assert.is(facts.node?.start?.value, 'node index.js');
  assert.equal(facts.env, [{ name: 'GREETING', locations: ['index.js:5'] }]);
  assert.equal(facts.git, { isRepo: false, branches: [] });
  assert.is(facts.warnings.length, 2);
  assert.ok(facts.warnings.some((w) => w.startsWith('no lockfile')), String(facts.warnings));
  assert.ok(facts.warnings.some((w) => w.startsWith('not a git repository')), String(facts.warnings));

  git(dir, 'init', '-q', '-b', 'trunk');
  const again = await detectRepo(dir);
  assert.is(again.git.defaultBranch?.value, 'trunk');
  assert.is(again.warnings.length, 1);
});

test('detectRepo without package.json: node absent, env still found', async () => {
  const facts = await detectRepo(fixture('no-package'));
  assert.is(facts.node, undefined);
  assert.not.ok('node' in facts);
  assert.is(facts.env.length, 3);
});

test.run();
