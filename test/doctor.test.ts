import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { auditEnv, auditWorkflowBranches, branchFilterToRegExp, dockerIgnores } from '../src/doctor/index.js';
import { cli, exampleRepo, git } from './_repo.js';

test('doctor on the example after init: no findings, exit 0', () => {
  const dir = exampleRepo();
  assert.is(cli('create-deploy-kit', ['--yes'], dir).code, 0);
  const r = cli('deploy-kit', ['doctor', '--json'], dir);
  const report = JSON.parse(r.stdout);
  assert.equal(report.findings, [], r.stdout);
  assert.is(r.code, 0);
});

test('doctor finds exactly a missing env var, a branch filter matching no branch and a tracked .env', () => {
  const dir = exampleRepo();
  assert.is(cli('create-deploy-kit', ['--yes'], dir).code, 0);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'kit');
  git(dir, 'branch', '-m', 'trunk', 'main'); // the team renamed its branch after generating
  const app = join(dir, 'src/app.js');
  writeFileSync(
    app,
    readFileSync(app, 'utf8').replace("app.disable('x-powered-by');", "app.disable('x-powered-by');\n  const paymentKey = process.env.PAYMENT_API_KEY;"),
  );
  writeFileSync(join(dir, '.env'), 'PAYMENT_API_KEY=not-a-real-key\n');
  git(dir, 'add', '-f', '.env', 'src/app.js');
  git(dir, 'commit', '-qm', 'oops');
  const r = cli('deploy-kit', ['doctor', '--json'], dir);
  assert.is(r.code, 1, 'errors exit 1');
  const found = (JSON.parse(r.stdout).findings as Array<{ rule: string; file: string; line?: number }>).map((f) => `${f.rule} ${f.file}:${f.line}`);
  const appLine = readFileSync(app, 'utf8').split('\n').findIndex((l) => l.includes('PAYMENT_API_KEY')) + 1;
  assert.equal(found.sort(), [
    `dotenv/tracked .env:1`,
    `env/missing-from-example src/app.js:${appLine}`,
    'workflow/branch-not-found .github/workflows/ci.yml:9',
    'workflow/branch-not-found .github/workflows/ci.yml:11',
  ].sort());
  const human = cli('deploy-kit', ['doctor'], dir);
  assert.match(
    human.stdout,
    /error\s+src\/app\.js:\d+\s+\[env\/missing-from-example\]\n\s+PAYMENT_API_KEY is read here but missing from \.env\.example.*\n\s+fix: /,
  );
  assert.match(human.stdout, /doctor: 4 error\(s\), 0 warning\(s\)/);
});

test('auditEnv: declared but never read is a warning; platform vars are not reported', () => {
  const f = auditEnv({ env: [{ name: 'NODE_ENV', locations: ['a.js:1'] }, { name: 'A', locations: ['a.js:2'] }] }, 'A=\nSTALE=1\n');
  assert.equal(f.map((x) => [x.rule, x.severity, x.line]), [['env/unused-in-example', 'warning', 2]]);
  // What the kit itself reads (PORT, the PostgreSQL add-on's settings) is not stale.
  assert.equal(auditEnv({ env: [] }, 'PORT=3000\nPOSTGRES_PASSWORD=\nPOSTGRES_DB=app\nSTALE=1\n').map((x) => x.line), [4]);
});

test('auditWorkflowBranches: globs match, negations are ignored, a miss names the line', () => {
  const wf = 'on:\n  push:\n    branches: ["release/*", "!release/old", main]\n';
  assert.equal(auditWorkflowBranches('w.yml', wf, ['release/1.0', 'main']), []);
  const miss = auditWorkflowBranches('w.yml', wf, ['release/1.0']);
  assert.is(miss.length, 1);
  assert.is(miss[0]!.line, 3);
  assert.match(miss[0]!.message, /"main", which matches no branch/);
});

test('lockfile out of sync, .env missing from .dockerignore and .gitignore, no health route', () => {
  const dir = exampleRepo();
  assert.is(cli('create-deploy-kit', ['--yes'], dir).code, 0);
  const pkgPath = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  pkg.dependencies.pino = '^9.0.0'; // added to package.json, never installed
  writeFileSync(pkgPath, JSON.stringify(pkg, null, 2));
  const di = join(dir, '.dockerignore');
  writeFileSync(di, readFileSync(di, 'utf8').replace(/^\*\*\/\.env$/m, ''));
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  const app = join(dir, 'src/app.js');
  writeFileSync(app, readFileSync(app, 'utf8').replace("'/health'", "'/status'"));
  const r = cli('deploy-kit', ['doctor', '--json'], dir);
  assert.is(r.code, 1);
  const rules = (JSON.parse(r.stdout).findings as Array<{ rule: string; severity: string }>).map((f) => `${f.severity} ${f.rule}`).sort();
  assert.equal(rules, [
    'error dotenv/not-dockerignored',
    'error dotenv/not-gitignored',
    'error node/lockfile-out-of-sync',
    'warning app/no-health-route',
    'warning kit/edited', // the .dockerignore edit above
  ]);
});

test('dockerIgnores: the last matching pattern wins', () => {
  assert.ok(dockerIgnores('.env\n', '.env'));
  assert.ok(dockerIgnores('**/.env*\n', '.env'));
  assert.not.ok(dockerIgnores('.env.*\n!.env.example\n', '.env'));
  assert.not.ok(dockerIgnores('.env\n!.env\n', '.env'));
});

test('a repo without a lockfile is an error with the install command as the fix', () => {
  const dir = exampleRepo();
  rmSync(join(dir, 'package-lock.json'));
  const r = cli('deploy-kit', ['doctor', '--json'], dir);
  const f = (JSON.parse(r.stdout).findings as Array<{ rule: string; fix?: string }>).find((x) => x.rule === 'node/no-lockfile');
  assert.ok(f, r.stdout);
  assert.match(f!.fix!, /npm install/);
});

/** Secret-looking files a build context can hold, beyond a root .env. */
const SECRETS: Record<string, string> = {
  'config/.env': 'DATABASE_URL=postgres://u:p@db/app\n',
  '.env.production': 'PAYMENT_API_KEY=live\n',
  '.npmrc': '//registry.npmjs.org/:_authToken=npm_0123456789abcdef\n',
  id_ed25519: '-----BEGIN OPENSSH PRIVATE KEY-----\n',
  'certs/client.p12': 'binary',
  'config/tls/server.key': '-----BEGIN PRIVATE KEY-----\n',
};

function withSecrets(dir: string): void {
  for (const [path, text] of Object.entries(SECRETS)) {
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // Not secrets: examples, a public key, an .npmrc that reads its token from the environment.
  writeFileSync(join(dir, 'config/.env.example'), 'DATABASE_URL=\n');
  writeFileSync(join(dir, 'id_ed25519.pub'), 'ssh-ed25519 AAAA\n');
  mkdirSync(join(dir, 'tools'), { recursive: true });
  writeFileSync(join(dir, 'tools/.npmrc'), '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n');
}

const secretFindings = (dir: string) =>
  (JSON.parse(cli('deploy-kit', ['doctor', '--json'], dir).stdout).findings as Array<{ rule: string; file: string }>)
    .filter((f) => f.rule === 'secret/not-dockerignored')
    .map((f) => f.file)
    .sort();

test('secrets in the build context: doctor names each one a narrow .dockerignore lets through', () => {
  const dir = exampleRepo();
  assert.is(cli('create-deploy-kit', ['--yes'], dir).code, 0);
  withSecrets(dir);
  // The .dockerignore deploy-kit wrote before: only a root .env and root .env.* were excluded.
  writeFileSync(join(dir, '.dockerignore'), '.git\n.env\n.env.*\n!.env.example\n**/*.pem\n**/*.key\nnode_modules\n');
  assert.equal(secretFindings(dir), ['.npmrc', 'certs/client.p12', 'config/.env', 'id_ed25519']);
});

test('secrets in the build context: the generated .dockerignore excludes them all, and keeps the examples', () => {
  const dir = exampleRepo();
  assert.is(cli('create-deploy-kit', ['--yes'], dir).code, 0);
  withSecrets(dir);
  assert.equal(secretFindings(dir), []);
  const ignore = readFileSync(join(dir, '.dockerignore'), 'utf8');
  for (const path of Object.keys(SECRETS)) assert.ok(dockerIgnores(ignore, path), `${path} is excluded`);
  assert.not.ok(dockerIgnores(ignore, '.env.example'));
  assert.not.ok(dockerIgnores(ignore, 'config/.env.example'));
});

test('the generated .dockerignore drops the kit\'s own deploy files by path, not an app\'s deploy/ directory', () => {
  const dir = exampleRepo();
  assert.is(cli('create-deploy-kit', ['--yes'], dir).code, 0);
  assert.is(cli('deploy-kit', ['add', 'vps', '--domain', 'api.example.com'], dir).code, 0);
  const ignore = readFileSync(join(dir, '.dockerignore'), 'utf8');
  for (const kit of ['deploy/scripts/deploy.sh', 'deploy/scripts/lib.sh', 'deploy/nginx/00-default.conf', 'deploy/nginx/express-api.conf']) {
    assert.ok(existsSync(join(dir, kit)), `${kit} is generated`);
    assert.ok(dockerIgnores(ignore, kit), `${kit} is excluded`);
  }
  assert.not.ok(dockerIgnores(ignore, 'deploy/index.js'), "the app's own deploy/index.js stays in the context");
  assert.not.ok(dockerIgnores(ignore, 'deploy/scripts/migrate.js'));
});

test("branch filters in GitHub's syntax: ? and + quantify, [] is a class, a later ! can exclude everything", () => {
  const wf = (...patterns: string[]) => `on:\n  push:\n    branches: [${patterns.map((p) => JSON.stringify(p)).join(', ')}]\n`;
  // `?` is zero or one of the preceding character, [] a range: these match, so nothing is reported.
  assert.equal(auditWorkflowBranches('w.yml', wf('releases?'), ['release']), []);
  assert.equal(auditWorkflowBranches('w.yml', wf('v[0-9]'), ['v1']), []);
  assert.equal(auditWorkflowBranches('w.yml', wf('hotfix/**'), ['hotfix/a/b']), []);
  // `+` is one or more of the preceding character: a branch literally named fix+1 never triggers it.
  const plus = auditWorkflowBranches('w.yml', wf('fix+1'), ['fix+1']);
  assert.is(plus.length, 1);
  assert.match(plus[0]!.message, /"fix\+1", which matches no branch/);
  assert.equal(auditWorkflowBranches('w.yml', wf('fix\\+1'), ['fix+1']), [], 'an escaped + is literal');
  // Every match excluded by a later negation: the trigger never runs.
  const negated = auditWorkflowBranches('w.yml', wf('release/**', '!release/**'), ['release/1', 'main']);
  assert.is(negated.length, 1);
  assert.match(negated[0]!.message, /lets no branch of this repository through/);
  assert.equal(auditWorkflowBranches('w.yml', wf('release/**', '!release/old'), ['release/1']), []);
  assert.ok(branchFilterToRegExp('feature/*').test('feature/x'));
  assert.not.ok(branchFilterToRegExp('feature/*').test('feature/x/y'));
});

test('doctor runs the validators on the GitLab pipeline, compose, nginx sites and deploy scripts too', () => {
  const dir = exampleRepo();
  assert.is(cli('create-deploy-kit', ['--yes'], dir).code, 0);
  assert.is(cli('deploy-kit', ['add', 'vps', '--domain', 'api.example.com'], dir).code, 0);
  const clean = JSON.parse(cli('deploy-kit', ['doctor', '--json'], dir).stdout).findings as Array<{ rule: string }>;
  assert.equal(clean.filter((f) => !f.rule.startsWith('kit/')), [], 'the generated files pass');
  const edit = (path: string, from: RegExp, to: string) => {
    const text = readFileSync(join(dir, path), 'utf8');
    assert.match(text, from, `${path} has ${from}`);
    writeFileSync(join(dir, path), text.replace(from, to));
  };
  edit('deploy/scripts/verify.sh', /^set -euo pipefail$/m, 'set -euo pipefail\ntarget=$1\necho checking $target');
  edit('deploy/nginx/express-api.conf', /proxy_pass http:\/\/(\w+);\n    \}\n\}/, 'proxy_pas http://$1;\n    }\n}');
  edit('compose.yaml', /^services:/m, 'version: "3.9"\nservices:');
  writeFileSync(join(dir, '.gitlab-ci.yml'), 'test:\n  script: [npm test]\n  script: [npm run lint]\n');
  writeFileSync(join(dir, 'scripts-deploy.sh'), '#!/bin/sh\necho not checked: not a deploy script\n');
  const found = (JSON.parse(cli('deploy-kit', ['doctor', '--json'], dir).stdout).findings as Array<{ rule: string; file: string }>)
    .filter((f) => !f.rule.startsWith('kit/'))
    .map((f) => `${f.rule} ${f.file}`);
  for (const want of [
    'shellcheck/SC2086 deploy/scripts/verify.sh',
    'nginx/test deploy/nginx/express-api.conf',
    'compose/no-version compose.yaml',
    'yaml/syntax .gitlab-ci.yml',
  ]) {
    assert.ok(found.includes(want), `${want} in ${found.join(', ')}`);
  }
});

test.run();
