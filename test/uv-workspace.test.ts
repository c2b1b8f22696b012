/**
 * A Python service that is a member of a uv workspace whose uv.lock sits at the root (the layout
 * of fastapi/full-stack-fastapi-template: root pyproject.toml `[tool.uv.workspace] members =
 * ["backend"]`): detected as uv with its workspace root, built from the workspace root with the
 * member synced from the workspace's lockfile, and held to that by the build-ability check.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, parseConfig } from '../src/config/load.js';
import type { DeployKitConfig, ServiceConfig } from '../src/config/types.js';
import { renderNewConfig } from '../src/config/write.js';
import { buildProblems, diskReader } from '../src/doctor/buildable.js';
import { detectPython } from '../stacks/python/detect.js';
import { cli, git } from './_repo.js';
import { baseConfig } from './_scenarios.js';
import { fixture, scratch } from './_scratch.js';

const dirs = scratch('uvws');
test.after(dirs.cleanup);

const MEMBERS = 'pyproject.toml:6 [tool.uv.workspace] members = ["backend","packages/*"] exclude = ["packages/legacy"]';

test('a workspace member: uv from the root uv.lock, the workspace root, the root .python-version', async () => {
  const py = await detectPython(fixture('uv-workspace-root'), 'backend');
  assert.ok(py);
  assert.equal(py.packageManager, { value: 'uv', evidence: 'uv.lock present' });
  assert.equal(py.lockfile, { value: 'uv.lock', evidence: "uv.lock present (the uv workspace's lockfile)" });
  assert.equal(py.workspaceRoot, { value: '.', evidence: `${MEMBERS} includes backend` });
  assert.equal(py.pythonVersion, { value: '3.13', evidence: '.python-version: "3.13"' });
  assert.is(py.framework.value, 'fastapi');
  assert.is(py.entrypoint?.value, 'app.main:app');
  assert.is(py.healthPath?.value, '/api/v1/utils/health-check/');
  assert.equal(py.warnings, []);
});

test('membership follows uv: members globs, exclude globs, and no workspace without [tool.uv.workspace]', async () => {
  const dir = dirs.copy('uv-workspace-root');
  const member = '[project]\nname = "x"\nversion = "0"\ndependencies = ["fastapi>=0.115"]\n';
  dirs.write(dir, 'packages/worker/pyproject.toml', member);
  dirs.write(dir, 'packages/legacy/pyproject.toml', member);
  dirs.write(dir, 'tools/pyproject.toml', member);
  assert.equal((await detectPython(dir, 'packages/worker'))?.workspaceRoot, { value: '.', evidence: `${MEMBERS} includes packages/worker` });
  for (const outside of ['packages/legacy', 'tools']) {
    const py = await detectPython(dir, outside);
    assert.is(py?.workspaceRoot, undefined, outside);
    assert.is(py?.packageManager.value, 'pip', outside);
  }
  // Without its uv.lock the workspace is named in a warning; the member is not built from it.
  rmSync(join(dir, 'uv.lock'));
  const unlocked = await detectPython(dir, 'backend');
  assert.is(unlocked?.packageManager.value, 'pip');
  assert.is(unlocked?.workspaceRoot, undefined);
  assert.ok(unlocked?.warnings.some((w) => w.includes('but uv.lock is missing: run `uv lock` there')), unlocked?.warnings.join('\n'));
  // A root pyproject.toml without the table is not a workspace.
  const plain = dirs.copy('uv-workspace-root');
  dirs.write(plain, 'pyproject.toml', '[tool.ruff]\nline-length = 100\n');
  assert.is((await detectPython(plain, 'backend'))?.workspaceRoot, undefined);
});

test('init --yes: the image builds from the workspace root, dependencies first, then the member alone', () => {
  const dir = dirs.copy('uv-workspace-root');
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(res.code, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /workspace root\s+\.\s+\(pyproject\.toml:6 \[tool\.uv\.workspace\]/);
  const yaml = readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8');
  assert.match(yaml, /path: backend\n[\s\S]*packageManager: uv\n\s+workspaceRoot: \.\n/);

  const dockerfile = readFileSync(join(dir, 'backend/Dockerfile'), 'utf8');
  const steps = [
    'COPY pyproject.toml uv.lock ./\n',
    'COPY backend/pyproject.toml ./backend/\n',
    'WORKDIR /app/backend\n',
    'uv sync --frozen --no-dev --no-install-workspace\n',
    'COPY . /app\n',
    'uv sync --frozen --no-dev --no-editable\n',
    'FROM base AS runtime\n',
    'COPY --from=build /opt/venv /opt/venv\n',
    'COPY --from=build /app/backend ./backend\nWORKDIR /app/backend\nUSER app\n',
  ];
  let at = 0;
  for (const step of steps) {
    const next = dockerfile.indexOf(step, at);
    assert.ok(next >= at, `${JSON.stringify(step)} after offset ${at}:\n${dockerfile}`);
    at = next + step.length;
  }
  assert.match(dockerfile, /# Build: {2}docker build -t \S+ -f backend\/Dockerfile \.\n/);
  assert.not.match(dockerfile, /--no-install-project|COPY --from=build \/app \.\//);
  assert.match(dockerfile, /\/api\/v1\/utils\/health-check\//);

  // The context is the workspace root: its ignore file sits beside the Dockerfile, covering every depth.
  const ignore = readFileSync(join(dir, 'backend/Dockerfile.dockerignore'), 'utf8');
  for (const line of ['**/.env', '**/.venv', '**/__pycache__', '**/node_modules']) assert.ok(ignore.split('\n').includes(line), line);
  assert.not.ok(readFileSync(join(dir, 'compose.yaml'), 'utf8').includes('context: ./backend'));
  assert.match(readFileSync(join(dir, 'compose.yaml'), 'utf8'), /build:\n\s+context: \.\n\s+dockerfile: backend\/Dockerfile\n/);
  const ci = readFileSync(join(dir, '.github/workflows/ci.yml'), 'utf8');
  assert.match(ci, /context: \.\n\s+file: backend\/Dockerfile\n/);
  assert.match(ci, /cache-dependency-glob: uv\.lock\n\s+- name: Install dependencies\n\s+run: uv sync --locked\n/);

  // init ran the build-ability check; doctor agrees on the kit as written.
  git(dir, 'add', '-A');
  const doctor = cli('deploy-kit', ['doctor'], dir);
  assert.is(doctor.code, 0, doctor.stdout + doctor.stderr);
  assert.not.match(doctor.stdout, /image-cannot-build|not-dockerignored/);
});

test("doctor: a Dockerfile's own <Dockerfile>.dockerignore is read first, as BuildKit does, else its directory's", () => {
  const dir = dirs.files({ 'api/Dockerfile': 'FROM python:3.13-slim\nCOPY . .\n', 'api/.dockerignore': '**/.env\n' });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const finding = () => cli('deploy-kit', ['doctor'], dir).stdout.split('\n').find((l) => l.includes('[dotenv/not-dockerignored]'));
  assert.is(finding(), undefined, "api/.dockerignore excludes .env");
  dirs.write(dir, 'api/Dockerfile.dockerignore', '**/__pycache__\n');
  assert.match(finding() ?? '', /api\/Dockerfile\.dockerignore\s+\[dotenv\/not-dockerignored\]/);
});

test("doctor: the HF Space's Dockerfile of a workspace member is held to the ignore file its workflow copies in", () => {
  const dir = dirs.copy('uv-workspace-root');
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  assert.is(cli('create-deploy-kit', ['init', '--yes'], dir).code, 0);
  const add = cli('deploy-kit', ['add', 'hf-spaces', '--space', 'acme/items'], dir);
  assert.is(add.code, 0, add.stdout + add.stderr);
  const workflow = readFileSync(join(dir, '.github/workflows/hf-spaces.yml'), 'utf8');
  assert.match(workflow, /cp backend\/Dockerfile\.dockerignore "\$RUNNER_TEMP\/space\/\.dockerignore"/);
  git(dir, 'add', '-A');
  const doctor = cli('deploy-kit', ['doctor'], dir);
  assert.is(doctor.code, 0, doctor.stdout + doctor.stderr);
  // Without the line that excludes .env, the finding names the file the Space gets.
  dirs.replace(dir, 'backend/Dockerfile.dockerignore', /^\*\*\/\.env$/m, '');
  assert.match(cli('deploy-kit', ['doctor'], dir).stdout, /error\s+backend\/Dockerfile\.dockerignore\s+\[dotenv\/not-dockerignored\]/);
});

function memberConfig(over: Partial<ServiceConfig> = {}): DeployKitConfig {
  const config = baseConfig({}, {
    name: 'api',
    path: 'backend',
    stack: 'python',
    framework: 'fastapi',
    server: 'uvicorn',
    entrypoint: 'app.main:app',
    packageManager: 'uv',
    workspaceRoot: '.',
    packageManagerVersion: null,
    languageVersion: '3.13',
    start: 'uvicorn app.main:app --host 0.0.0.0 --port 8000',
    port: 8000,
    healthPath: '/api/v1/utils/health-check/',
    ...over,
  });
  const { build: _b, kind: _k, webFramework: _wf, ...svc } = config.services[0]!;
  return { ...config, services: [svc as ServiceConfig] };
}

/** The Dockerfile and ignore file init writes for `config`, read back from a generated copy of the fixture. */
function generated(config: DeployKitConfig): { dir: string; files: { path: string; content: string }[] } {
  const dir = dirs.copy('uv-workspace-root');
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  writeFileSync(join(dir, 'deploy-kit.yaml'), renderNewConfig(config));
  const res = cli('deploy-kit', ['generate'], dir);
  assert.is(res.code, 0, res.stdout + res.stderr);
  const files = ['backend/Dockerfile', 'backend/Dockerfile.dockerignore'].map((path) => ({ path, content: readFileSync(join(dir, path), 'utf8') }));
  return { dir, files };
}

test('build-ability: the member kit passes; a member dropped from the workspace is an error with the fix', () => {
  const config = memberConfig();
  const { dir, files } = generated(config);
  assert.equal(buildProblems(config, files, diskReader(dir)), []);

  writeFileSync(join(dir, 'pyproject.toml'), '[tool.uv.workspace]\nmembers = ["services/*"]\n');
  const [problem, ...rest] = buildProblems(config, files, diskReader(dir));
  assert.equal(rest, []);
  assert.match(problem!.problem, /builds "api" as a member of the uv workspace at \., but pyproject\.toml no longer lists backend/);
  assert.match(problem!.problem, /in \[tool\.uv\.workspace\] members, so uv\.lock does not cover it$/);
  assert.match(problem!.fix, /add "backend" to \[tool\.uv\.workspace\] members and run uv lock, or remove workspaceRoot for "api"/);
});

test('build-ability: a uv service built from its own directory whose uv.lock is the workspace root\'s is told to set workspaceRoot', () => {
  const { workspaceRoot: _w, ...standalone } = memberConfig().services[0]!;
  const config = { ...memberConfig(), services: [standalone] };
  const dir = dirs.copy('uv-workspace-root');
  const dockerfile = ['FROM python AS build', 'COPY pyproject.toml uv.lock ./', 'RUN uv sync --frozen --no-dev --no-install-project', 'COPY . .'];
  const problems = buildProblems(config, [{ path: 'backend/Dockerfile', content: dockerfile.join('\n') }], diskReader(dir));
  const missing = problems.find((p) => p.problem.includes('copies uv.lock, which does not exist in the build context (./backend)'));
  assert.ok(missing, JSON.stringify(problems));
  assert.match(missing.fix, /backend is a member of the uv workspace at \. \(pyproject\.toml \[tool\.uv\.workspace\] members = \["backend","packages\/\*"\]\)/);
  assert.match(missing.fix, /set workspaceRoot: \. for "api" in deploy-kit\.yaml/);
});

test('config: workspaceRoot on a python service needs packageManager uv', () => {
  const text = renderNewConfig(memberConfig({ packageManager: 'pip' }));
  try {
    parseConfig(text);
    assert.unreachable('pip with workspaceRoot loaded');
  } catch (e) {
    assert.instance(e, ConfigError);
    const message = (e as Error).message;
    assert.match(message, /services\[0\]\.packageManager: "pip" is not allowed; allowed: uv \(A python service with workspaceRoot is a uv workspace member/);
  }
  assert.is(parseConfig(renderNewConfig(memberConfig())).config.services[0]!.workspaceRoot, '.');
});

test.run();
