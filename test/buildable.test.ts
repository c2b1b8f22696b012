/**
 * The build-ability self-check (src/doctor/buildable.ts): each problem that made a real
 * repository's image fail to build is reported with its file and fix, and init writes nothing.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DeployKitConfig, ServiceConfig } from '../src/config/types.js';
import { buildProblems, ignoredBy, type RepoReader } from '../src/doctor/buildable.js';
import { cli, git, ROOT } from './_repo.js';
import { baseConfig } from './_scenarios.js';

/** A repository as a map of path -> content; with the /health route baseConfig's probes call, unless `route` is false. */
function repo(given: Record<string, string>, route = true): RepoReader {
  const files: Record<string, string> = route ? { 'routes.js': "app.get('/health', (_req, res) => res.sendStatus(200));\n", ...given } : given;
  return {
    exists: (p) => p in files || Object.keys(files).some((f) => f.startsWith(`${p}/`)),
    read: (p) => files[p],
    list: (dir) => Object.keys(files).filter((f) => dir === '' || f.startsWith(`${dir}/`)),
  };
}

const flask: Partial<ServiceConfig> = {
  stack: 'python',
  framework: 'flask',
  server: 'gunicorn',
  entrypoint: 'app:app',
  packageManager: 'pip',
  packageManagerVersion: null,
  languageVersion: '3.14',
  start: 'gunicorn --bind 0.0.0.0:8000 app:app',
  port: 8000,
  build: undefined,
};

function pyConfig(over: Partial<ServiceConfig> = {}): DeployKitConfig {
  const config = baseConfig({}, { ...flask, ...over });
  const { build: _b, kind: _k, workspaceRoot: _w, webFramework: _wf, ...svc } = config.services[0]!;
  return { ...config, services: [svc as ServiceConfig] };
}

const dockerfile = (lines: string[]) => [{ path: 'Dockerfile', content: lines.join('\n') }];

test('.dockerignore rules: the last match wins, directories exclude what is under them', () => {
  assert.ok(ignoredBy('.git\n', '.git/config'));
  assert.ok(ignoredBy('.env.*\n!.env.example\n', '.env.local'));
  assert.not.ok(ignoredBy('.env.*\n!.env.example\n', '.env.example'));
  assert.ok(ignoredBy('**/*.pem\n', 'certs/server.pem'));
  assert.not.ok(ignoredBy('deploy\n', 'deployment.txt'));
});

test('a COPY source that does not exist, or that .dockerignore excludes, is an error with the fix', () => {
  const files = dockerfile(['FROM node:26 AS base', 'COPY package.json package-lock.json ./', 'COPY config.json ./', 'RUN npm ci']);
  const ignore = { path: '.dockerignore', content: 'config.json\n' };
  const found = buildProblems(baseConfig(), [...files, ignore], repo({ 'package.json': '{}', 'config.json': '{}' }));
  assert.is(found.length, 2, JSON.stringify(found));
  assert.match(found[0]!.problem, /copies package-lock\.json, which does not exist in the build context/);
  assert.match(found[0]!.fix, /commit package-lock\.json/);
  assert.match(found[1]!.problem, /copies config\.json, which \.dockerignore excludes/);
});

test('a dotfile source is read as it is named (.npmrc), not without its dot', () => {
  const files = dockerfile(['FROM node:26 AS base', 'COPY package.json .npmrc ./']);
  assert.equal(buildProblems(baseConfig(), files, repo({ 'package.json': '{}', '.npmrc': '' })), []);
  assert.match(buildProblems(baseConfig(), files, repo({ 'package.json': '{}' }))[0]!.fix, /commit \.npmrc/);
});

test('a glob may match nothing when the COPY copies something else; a COPY of only empty globs fails', () => {
  const ok = buildProblems(baseConfig(), dockerfile(['FROM golang AS build', 'COPY go.mod go.sum* ./']), repo({ 'go.mod': 'module x' }));
  assert.equal(ok, []);
  const bad = buildProblems(baseConfig(), dockerfile(['FROM golang AS build', 'COPY *.lock ./']), repo({ 'go.mod': 'module x' }));
  assert.match(bad[0]!.problem, /copies \*\.lock, which match no file/);
});

test('variables in a COPY source take their ARG/ENV values; a source with an unknown variable is not judged', () => {
  const lines = ['FROM elixir AS build', 'ENV MIX_ENV="prod"', 'ARG CONF=config', 'COPY mix.exs ./', 'COPY ${CONF}/config.exs ${CONF}/${MIX_ENV}.exs config/'];
  const files = { 'mix.exs': '', 'config/config.exs': '', 'config/prod.exs': '' };
  assert.equal(buildProblems(baseConfig(), dockerfile(lines), repo(files)), []);
  const missing = buildProblems(baseConfig(), dockerfile(lines), repo({ 'mix.exs': '', 'config/config.exs': '' }));
  assert.match(missing[0]!.problem, /copies config\/prod\.exs, which does not exist/);
  // A new stage forgets the last one's ENV; a variable nobody set is not guessed at.
  const unknown = ['FROM elixir AS build', 'ENV MIX_ENV=prod', 'FROM debian', 'COPY config/${MIX_ENV}.exs ${RELEASE}/x ./'];
  assert.equal(buildProblems(baseConfig(), dockerfile(unknown), repo({})), []);
});

test('COPY --from and files the kit writes are not read from the repository', () => {
  const lines = ['FROM nginx', 'COPY --from=build /app/dist /usr/share/nginx/html', 'COPY nginx.conf /etc/nginx/nginx.conf'];
  const files = [...dockerfile(lines), { path: 'nginx.conf', content: '' }];
  assert.equal(buildProblems(baseConfig(), files, repo({})), []);
});

test('requirements includes: each -r/-c file must exist and be copied before the install reads it', () => {
  const files = dockerfile(['FROM python AS build', 'COPY requirements*.txt ./', 'RUN python -m pip install -r requirements.txt', 'COPY . .']);
  const found = buildProblems(
    pyConfig(),
    files,
    repo({ 'requirements.txt': '-r requirements/production.txt\n-c constraints.txt\n', 'requirements/production.txt': 'flask\ngunicorn\n' }),
  );
  const messages = found.map((p) => `${p.problem} | ${p.fix}`);
  const included = /reads requirements\/production\.txt \(included at requirements\.txt:1\).*list requirements\/production\.txt under requirementIncludes/;
  assert.ok(messages.some((m) => included.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /requirements\.txt:2 includes constraints\.txt, which does not exist/.test(m)), messages.join('\n'));
});

test('a server the start command runs must come from the image: declared, or installServer', () => {
  const files = dockerfile(['FROM python AS build', 'COPY requirements*.txt ./', 'RUN python -m pip install -r requirements.txt']);
  const reader = repo({ 'requirements.txt': 'flask==3.0.3\n' });
  const [missing] = buildProblems(pyConfig(), files, reader);
  assert.match(missing!.problem, /the start command runs gunicorn, which no manifest of the service declares/);
  assert.match(missing!.fix, /installServer: true/);
  assert.equal(buildProblems(pyConfig({ installServer: true }), files, reader), []);
  assert.equal(buildProblems(pyConfig(), files, repo({ 'requirements.txt': 'flask==3.0.3\ngunicorn==23.0.0\n' })), []);
});

test('init --yes: requirements includes are copied before the install, and the check passes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-reqinc-'));
  cpSync(join(ROOT, 'test/fixtures/py-requirements-include'), dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(res.code, 0, res.stdout + res.stderr);
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  const copies = dockerfile.indexOf('COPY requirements/base.txt ./requirements/base.txt\nCOPY requirements/production.txt ./requirements/production.txt\n');
  assert.ok(copies > 0 && copies < dockerfile.indexOf('install -r requirements.txt'), dockerfile);
  assert.not.match(dockerfile, /pip --python \/opt\/venv\/bin\/python install gunicorn/, 'gunicorn is declared in an included file');
});

test('init --yes: an image that cannot build is an error naming the file and fix, and nothing is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-reqinc-'));
  cpSync(join(ROOT, 'test/fixtures/py-requirements-include'), dir, { recursive: true });
  writeFileSync(join(dir, 'requirements.txt'), '-r requirements/production.txt\n-c constraints.txt\n');
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(res.code, 1, res.stdout + res.stderr);
  assert.match(res.stderr, /Dockerfile: requirements\.txt:2 includes constraints\.txt, which does not exist\. Fix: commit constraints\.txt or drop/);
  assert.match(res.stderr, /Nothing was written/);
  assert.not.match(res.stderr, /\n\s+at /, 'no stack trace');
  assert.not.ok(existsSync(join(dir, 'Dockerfile')));
  assert.not.ok(existsSync(join(dir, 'deploy-kit.yaml')));
});

test('doctor: a kit whose image can no longer build (an included file removed) is an error with the fix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-reqinc-'));
  cpSync(join(ROOT, 'test/fixtures/py-requirements-include'), dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  assert.is(cli('create-deploy-kit', ['init', '--yes'], dir).code, 0);
  rmSync(join(dir, 'requirements/base.txt'));
  const res = cli('deploy-kit', ['doctor', '--json'], dir);
  const report = JSON.parse(res.stdout) as { findings: { rule: string; message: string; fix: string }[] };
  const found = report.findings.filter((f) => f.rule === 'kit/image-cannot-build');
  assert.ok(found.some((f) => /copies requirements\/base\.txt, which does not exist/.test(f.message)), JSON.stringify(found));
  assert.is(res.code, 1);
});

test('init --yes: the .dockerignore checked is the merged one that ships, not the kit\'s alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-ignored-'));
  cpSync(join(ROOT, 'test/fixtures/dockerignore-excludes-lockfile'), dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(res.code, 1, res.stdout + res.stderr);
  assert.match(res.stderr, /copies package-lock\.json, which \.dockerignore excludes from the build context\. Fix: remove its pattern from \.dockerignore/);
  assert.not.ok(existsSync(join(dir, 'Dockerfile')));
  assert.not.match(readFileSync(join(dir, '.dockerignore'), 'utf8'), /deploy-kit/, 'the user\'s file is untouched');
});

test("init --yes: the repository's own Dockerfile, kept, is not held to the kit's build context", () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-own-dockerfile-'));
  cpSync(join(ROOT, 'test/fixtures/no-lockfile'), dir, { recursive: true });
  // Built from the parent directory in this repository's own setup: its sources are not in the kit's context.
  writeFileSync(join(dir, 'Dockerfile'), 'FROM node:22\nCOPY ./app/package.json ./\nCOPY ./app .\nCMD ["node", "index.js"]\n');
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(res.code, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /Kept your Dockerfile/);
});

test("init --yes: a merged .dockerignore never excludes what the repository's own Dockerfile copies (.npmrc)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-own-npmrc-'));
  cpSync(join(ROOT, 'test/fixtures/no-lockfile'), dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), 'FROM node:22\nWORKDIR /app\nADD package.json .npmrc ./\nCOPY . .\nCMD ["node", "index.js"]\n');
  writeFileSync(join(dir, '.npmrc'), 'fund=false\n');
  writeFileSync(join(dir, '.dockerignore'), 'node_modules\n');
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(res.code, 0, res.stdout + res.stderr);
  const merged = readFileSync(join(dir, '.dockerignore'), 'utf8');
  assert.not.ok(ignoredBy(merged, '.npmrc'), merged);
  assert.match(merged, /^# Not added: \*\*\/\.npmrc \(your Dockerfile copies \.npmrc\)\.$/m);
  assert.ok(ignoredBy(merged, '.env'), 'the other secrets are still kept out');
  const doctor = cli('deploy-kit', ['doctor'], dir);
  assert.not.match(doctor.stdout, /image-cannot-build/);
});

test('the health route the probes call must be one the code serves', () => {
  const files = dockerfile(['FROM node:26 AS base', 'COPY package.json ./']);
  const pkg = { 'package.json': '{}' };
  const [unserved] = buildProblems(baseConfig(), files, repo({ ...pkg, 'server.js': "app.get('/', home);\n" }, false));
  assert.match(unserved!.problem, /the health checks call \/health, and no file of the service serves it/);
  assert.match(unserved!.fix, /remove healthPath for "app" from deploy-kit\.yaml \(the probes then connect to port 3000\)/);
  // A route literal, a file-system route, a prefix mounted elsewhere: served.
  assert.equal(buildProblems(baseConfig(), files, repo({ ...pkg, 'src/routes.ts': "router.get('/health', ok);\n" }, false)), []);
  assert.equal(buildProblems(baseConfig(), files, repo({ ...pkg, 'app/api/health/route.ts': 'export const GET = ok;\n' }, false)), []);
  assert.equal(buildProblems(baseConfig(), files, repo({ ...pkg, 'app/routes/api.health.tsx': 'export const loader = ok;\n' }, false)), []);
  // "healthz" is not "health"; a comment's word is not a route.
  assert.is(buildProblems(baseConfig(), files, repo({ ...pkg, 'server.js': "app.get('/healthz', ok); // health\n" }, false)).length, 1);
  // TCP probes call no route, and a framework's own route needs no code.
  const { healthPath: _h, ...tcp } = baseConfig().services[0]!;
  assert.equal(buildProblems({ ...baseConfig(), services: [tcp] }, files, repo(pkg, false)), []);
  const streamlit = pyConfig({ framework: 'streamlit', server: 'streamlit', installServer: true, healthPath: '/_stcore/health' });
  assert.equal(buildProblems(streamlit, dockerfile(['FROM python AS build']), repo({ 'requirements.txt': 'streamlit\n' }, false)), []);
});

test.run();
