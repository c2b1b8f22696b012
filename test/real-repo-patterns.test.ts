/**
 * Patterns seen on real repositories that used to give a kit whose image could not build: each
 * runs init --yes on a small fixture and reads what it wrote.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import type { DeployKitConfig } from '../src/config/types.js';
import { detectServices } from '../src/detect/services.js';
import { detectGo } from '../stacks/go/detect.js';
import { detectPython } from '../stacks/python/detect.js';
import { validateDockerfile } from '../src/validate/dockerfile.js';
import { DISTROLESS_CC_IMAGE, GO_DEFAULT, NODE_LTS_MAJOR, goImage } from '../src/versions.js';
import { cli, git, ROOT } from './_repo.js';

/** init --yes in a copy of test/fixtures/<name>; its exit code, output and a reader for what it wrote. */
function initFixture(name: string, args: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), `dk-${name}-`));
  cpSync(join(ROOT, 'test/fixtures', name), dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes', ...args], dir);
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  return { ...res, dir, read, config: () => parse(read('deploy-kit.yaml')) as DeployKitConfig };
}

test('no lockfile: the image installs from package.json with npm install, never copies a missing lockfile', () => {
  const r = initFixture('no-lockfile');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.config().services[0]!.lockfile, false);
  const dockerfile = r.read('Dockerfile');
  assert.not.match(dockerfile, /package-lock\.json|npm ci/);
  assert.match(dockerfile, /^COPY package\.json \.\/$/m);
  assert.match(dockerfile, /npm install --omit=dev/);
  const ci = r.read('.github/workflows/ci.yml');
  assert.not.match(ci, /package-lock\.json|npm ci/);
});

test('engines ">=20.9" is a minimum: the current LTS, not the end-of-life 20', () => {
  const r = initFixture('no-lockfile');
  assert.is(r.config().services[0]!.languageVersion, NODE_LTS_MAJOR);
  assert.not.match(r.stderr, /past end of life/);
});

test('env var names of any case: a lowercase one is listed as it is read, npm_* is npm\'s own, init does not crash', () => {
  const r = initFixture('env-lowercase');
  assert.is(r.code, 0, r.stderr);
  const names = (r.config().env ?? []).map((e) => e.name);
  assert.ok(names.includes('database_url'), names.join(','));
  assert.not.ok(names.some((n) => n.startsWith('npm_')), names.join(','));
  assert.match(r.read('.env.example'), /^database_url=/m);
});

test('existing .dockerignore, .env.example and dependabot.yml are merged; another existing file is kept and listed; .env is ignored', () => {
  const r = initFixture('existing-files');
  assert.is(r.code, 0, r.stdout + r.stderr);
  const dockerignore = r.read('.dockerignore');
  assert.ok(dockerignore.startsWith('node_modules\ncoverage\n# our notes stay out of the image\nnotes/\n'), 'the user\'s lines first, untouched');
  assert.match(dockerignore, /^\*\*\/\.env$/m);
  assert.match(dockerignore, /^\.git$/m);
  assert.is(dockerignore.match(/^node_modules$/gm)?.length, 1, 'a line both have is not repeated');
  const envExample = r.read('.env.example');
  assert.match(envExample, /^SESSION_SECRET=change-me$/m);
  assert.match(envExample, /^PORT=3000$/m);
  const dependabot = parse(r.read('.github/dependabot.yml')) as { updates: { 'package-ecosystem': string; schedule: { interval: string } }[] };
  assert.equal(
    dependabot.updates.map((u) => u['package-ecosystem']),
    ['npm', 'github-actions', 'docker'],
  );
  assert.is(dependabot.updates[0]!.schedule.interval, 'daily', 'the user\'s own entry is kept');
  assert.match(r.read('.github/dependabot.yml'), /^# Our own schedule for npm\.$/m);
  assert.is(r.read('compose.yaml'), 'services:\n  app:\n    build: .\n', 'a file deploy-kit cannot merge is kept as it is');
  assert.match(r.stdout, /Kept your compose\.yaml .*generate --force` replaces it/);
  assert.match(r.read('.gitignore'), /^node_modules\n\n# Local environment: secrets, never committed \(deploy-kit init\)\.\n\.env\n$/);
  // The next generate keeps the merged files (the user's edits) and still refuses to replace compose.yaml.
  const again = cli('deploy-kit', ['generate'], r.dir);
  assert.is(again.code, 1);
  assert.match(again.stderr, /compose\.yaml already exists/);
  assert.is(r.read('.dockerignore'), dockerignore);
  assert.not.match(cli('deploy-kit', ['doctor'], r.dir).stdout, /dotenv\/not-gitignored/);
});

test("a Remix template's remix.init/ is its setup script, not a service", async () => {
  const services = await detectServices(join(ROOT, 'test/fixtures/remix-template'));
  assert.equal(
    services.map((s) => s.path),
    ['.'],
  );
});

test('Angular CLI: a static site from angular.json\'s output (browser/ under the application builder), not a server', () => {
  const r = initFixture('angular-spa');
  assert.is(r.code, 0, r.stdout + r.stderr);
  const svc = r.config().services[0]!;
  assert.is(svc.kind, 'static');
  assert.is(svc.webFramework, 'angular');
  assert.is(svc.outputDir, 'dist/shop/browser');
  assert.not.match(r.read('deploy-kit.yaml'), /9876/, "karma's port is not the app's");
  assert.match(r.read('Dockerfile'), /COPY --from=build \/app\/dist\/shop\/browser \/usr\/share\/nginx\/html/);
});

test("Vue CLI: a static site built to vue.config.js's outputDir", () => {
  const r = initFixture('vue-cli-spa');
  assert.is(r.code, 0, r.stdout + r.stderr);
  const svc = r.config().services[0]!;
  assert.equal([svc.kind, svc.webFramework, svc.outputDir], ['static', 'vue-cli', 'public-build']);
});

test('a Flask app factory: gunicorn loads module:create_app(), not the local `app` inside it', () => {
  const r = initFixture('flask-factory');
  assert.is(r.code, 0, r.stdout + r.stderr);
  const svc = r.config().services[0]!;
  assert.is(svc.entrypoint, 'notes:create_app()');
  assert.match(svc.start ?? '', / notes:create_app\(\)$/);
});

test('pyproject.toml and no requirements.txt: pip installs the project with its build backend, nothing copies a missing file', () => {
  const r = initFixture('py-pyproject-only');
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(r.config().services[0]!.lockfile, false);
  const dockerfile = r.read('Dockerfile');
  assert.not.match(dockerfile, /COPY requirements|-r requirements/);
  assert.match(dockerfile, /^COPY \. \.\nRUN .*python -m venv --without-pip \/opt\/venv \\\n && python -m pip --python \/opt\/venv\/bin\/python install \.$/m);
  assert.match(r.read('.github/workflows/ci.yml'), /python -m pip install \./);
});

test('start is `npm run start-server`: the script it runs, one level down', () => {
  const r = initFixture('start-via-run');
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(r.config().services[0]!.start, 'node server/server.js');
});

test('health routes keep their router prefixes: APIRouter(prefix=) under include_router(prefix=), a Blueprint url_prefix', () => {
  const fastapi = initFixture('fastapi-router-prefix');
  assert.is(fastapi.code, 0, fastapi.stdout + fastapi.stderr);
  assert.is(fastapi.config().services[0]!.healthPath, '/api/v1/health');
  const flask = initFixture('flask-blueprint-prefix');
  assert.is(flask.code, 0, flask.stdout + flask.stderr);
  assert.is(flask.config().services[0]!.healthPath, '/ops/healthz');
});

test('gin groups: the route under r.Group("/api").Group("/v1") is /api/v1/health', async () => {
  const [svc] = await detectServices(join(ROOT, 'test/fixtures/gin-group'));
  assert.is(svc?.stack, 'go');
  assert.is((svc?.facts as { healthPath?: { value: string } } | undefined)?.healthPath?.value, '/api/v1/health');
});

test('backend/ + frontend/: the Python package one level down, fastapi[standard] brings uvicorn, a prefix from a settings default', () => {
  const r = initFixture('fastapi-backend-frontend');
  assert.is(r.code, 0, r.stdout + r.stderr);
  const [backend, frontend] = r.config().services;
  assert.equal([backend!.path, backend!.stack, backend!.entrypoint, backend!.installServer], ['backend', 'python', 'app.main:app', undefined]);
  // app.include_router(api_router, prefix=settings.API_V1_STR) -> api_router.include_router(utils.router) -> APIRouter(prefix="/utils")
  assert.is(backend!.healthPath, '/api/v1/utils/health-check/');
  assert.equal([frontend!.path, frontend!.kind], ['frontend', 'static']);
  assert.not.match(r.read('backend/Dockerfile'), /install uvicorn/);
});

test('a router mounted under a prefix whose value is not in the code: its route is not claimed (TCP instead)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-prefix-'));
  cpSync(join(ROOT, 'test/fixtures/fastapi-backend-frontend'), dir, { recursive: true });
  const config = join(dir, 'backend/app/core/config.py');
  writeFileSync(config, readFileSync(config, 'utf8').replace('API_V1_STR: str = "/api/v1"', 'API_V1_STR: str = os.environ["API_PREFIX"]'));
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(res.code, 0, res.stderr);
  assert.is((parse(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8')) as DeployKitConfig).services[0]!.healthPath, undefined);
});

test('FastAPI routers included under another name (import m as y, from m import router as y) keep their prefixes; a "/" route under /health', async () => {
  const r = initFixture('fastapi-router-alias');
  assert.is(r.code, 0, r.stdout + r.stderr);
  // app.include_router(v2_router, prefix=settings.API_PREFIX) -> include_router(status_endpoints.router, prefix="/status")
  assert.is(r.config().services[0]!.healthPath, '/api/v2/status/healthz');
  const dir = mkdtempSync(join(tmpdir(), 'dk-router-alias-'));
  cpSync(join(ROOT, 'test/fixtures/fastapi-router-alias'), dir, { recursive: true });
  const main = join(dir, 'app/api/main.py');
  const rewrite = (imports: string, mount: string) =>
    writeFileSync(
      main,
      readFileSync(join(ROOT, 'test/fixtures/fastapi-router-alias/app/api/main.py'), 'utf8')
        .replace('from app.api.endpoints import status as status_endpoints', imports)
        .replace('status_endpoints.router', mount),
    );
  rewrite('from .endpoints.status import router as status_router', 'status_router');
  assert.is((await detectPython(dir))!.healthPath?.value, '/api/v2/status/healthz');
  rewrite('from app.api.endpoints import (\n    orders,\n    status as status_routes,\n)', 'status_routes.router');
  assert.is((await detectPython(dir))!.healthPath?.value, '/api/v2/status/healthz');
  rewrite('import app.api.endpoints.status as status_module', 'status_module.router');
  assert.is((await detectPython(dir))!.healthPath?.value, '/api/v2/status/healthz');
  // A router mounted at a health prefix whose own route is "/": the prefix is the route.
  rewrite('from .endpoints.status import router as health_router', 'health_router');
  writeFileSync(main, readFileSync(main, 'utf8').replace('prefix="/status"', 'prefix="/health"'));
  const status = join(dir, 'app/api/endpoints/status.py');
  writeFileSync(status, readFileSync(status, 'utf8').replace('@router.get("/healthz")', '@router.get("/")'));
  assert.equal((await detectPython(dir))!.healthPath, { value: '/api/v2/health/', evidence: 'app/api/endpoints/status.py:6 @router.get("/")' });
});

test('services one level down in a folder without a manifest (server/api, server/web); examples/ is not a service', async () => {
  const services = await detectServices(join(ROOT, 'test/fixtures/nested-services'));
  assert.equal(
    services.map((s) => `${s.stack} ${s.path}`),
    ['python server/api', 'node server/web'],
  );
});

test("Go: the daemon (cmd/notesd) over a storybook; a scheme default (port = \"80\") is no listen port; a loopback default's variable is set", async () => {
  const facts = (await detectGo(join(ROOT, 'test/fixtures/go-loopback-default')))!;
  assert.is(facts.mainPackage?.value, './cmd/notesd');
  assert.is(facts.port?.value, 8090);
  assert.is(facts.healthPath?.value, '/healthz');
  // Its settings table's LISTEN_ADDR: the kit sets it to 0.0.0.0:8090, so no warning (test/listen-addr-env.test.ts).
  assert.is(facts.listenAddrEnv?.value, 'LISTEN_ADDR');
  assert.not.ok((facts.warnings ?? []).some((w) => /default listen address is loopback/.test(w)), (facts.warnings ?? []).join('\n'));
});

test('Django: wsgi.py and manage.py both name settings.local, and settings/production.py exists: the image runs production', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-django-dev-'));
  cpSync(join(ROOT, 'test/fixtures/django-settings-package'), dir, { recursive: true });
  const wsgi = join(dir, 'config/wsgi.py');
  writeFileSync(wsgi, readFileSync(wsgi, 'utf8').replace('config.settings.production', 'config.settings.local'));
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(res.code, 0, res.stderr);
  assert.is((parse(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8')) as DeployKitConfig).services[0]!.settingsModule, 'config.settings.production');
  assert.match(res.stdout, /names development settings; config\/settings\/production\.py is production's/);
});

test("Go: go-pkgz/rest's Ping middleware (router.Use(R.Ping)) is the health route /ping, and the build-ability check accepts it", () => {
  const r = initFixture('go-pkgz-ping');
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(r.config().services[0]!.healthPath, '/ping');
  assert.match(r.stdout, /main\.go:14 router\.Use\(R\.Ping\) \(go-pkgz\/rest answers GET \/ping\)/);
});

test('Go: a server that is a cobra `serve` subcommand starts with it, and its address flag moves the loopback default', () => {
  const r = initFixture('go-cobra-serve');
  assert.is(r.code, 0, r.stdout + r.stderr);
  const s = r.config().services[0]!;
  assert.equal([s.start, s.port, s.healthPath], ['notebase serve --http=0.0.0.0:8090', 8090, '/api/health']);
  assert.match(r.read('Dockerfile'), /^CMD \["serve","--http=0\.0\.0\.0:8090"\]$/m);
  assert.not.match(r.stdout, /default listen address is loopback/);
});

test('Go: a group passed to a function keeps its prefix there, and a group whose own route is "" is the health route (/api/health)', async () => {
  const facts = (await detectGo(join(ROOT, 'test/fixtures/go-group-param')))!;
  assert.is(facts.healthPath?.value, '/api/health');
  assert.match(facts.healthPath?.evidence ?? '', /routes\.go:16 health\.GET\("", /);
});

test.run();

test('cgo (github.com/mattn/go-sqlite3): CGO_ENABLED=1 on the Debian golang image, run on distroless/cc, the probe still static', () => {
  const r = initFixture('go-sqlite');
  assert.is(r.code, 0, r.stderr);
  const svc = r.config().services[0]!;
  assert.is(svc.cgo, true);
  const dockerfile = r.read('Dockerfile');
  assert.match(dockerfile, new RegExp(`^FROM ${goImage(GO_DEFAULT).replace(/[.]/g, '\\.')} AS build$`, 'm'));
  assert.match(dockerfile, /^ENV CGO_ENABLED=1$/m);
  assert.not.match(dockerfile, /CGO_ENABLED=0\n/);
  assert.match(dockerfile, /&& CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o \/out\/healthcheck/);
  assert.match(dockerfile, new RegExp(`^FROM ${DISTROLESS_CC_IMAGE.replace(/[./]/g, '\\$&')} AS runtime$`, 'm'));
  assert.match(r.stdout + r.stderr, /go\.mod:5 require github\.com\/mattn\/go-sqlite3 v1\.14\.24/);
  assert.equal(validateDockerfile('Dockerfile', dockerfile).filter((f) => f.severity === 'error'), []);
  assert.match(r.read('DEPLOY.md'), /`CGO_ENABLED=1` \(cgo, linked against glibc\)/);
});

test("Django: wsgi.py's production settings module set in the image; collectstatic found through `from .base import *`", () => {
  const r = initFixture('django-settings-package');
  assert.is(r.code, 0, r.stderr);
  const svc = r.config().services[0]!;
  assert.is(svc.settingsModule, 'config.settings.production');
  assert.is(svc.collectstatic, true);
  assert.match(
    r.stdout,
    new RegExp(
      String.raw`config/wsgi\.py:5 os\.environ\.setdefault\("DJANGO_SETTINGS_MODULE", "config\.settings\.production"\) ` +
        String.raw`\(what the server loads; manage\.py:7 .* names config\.settings\.local\)`,
    ),
  );
  const dockerfile = r.read('Dockerfile');
  assert.match(dockerfile, /^ENV DJANGO_SETTINGS_MODULE=config\.settings\.production$/m);
  // Set in the base stage, so collectstatic in the build stage reads the production settings too.
  assert.ok(dockerfile.indexOf('ENV DJANGO_SETTINGS_MODULE') < dockerfile.indexOf('manage.py collectstatic'));
  assert.match(dockerfile, /manage\.py collectstatic --noinput/);
  assert.match(r.stdout, /python version\s+3\.10\s+\(no Python version in the repo; requirements\.txt:1 Django==3\.2\.25 \(django 3\.2\)/);
  assert.match(dockerfile, /^FROM python:3\.10-slim-trixie AS base$/m);
});
