import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseConfig } from '../src/config/load.js';
import { cli, git, ROOT } from './_repo.js';

/** A throwaway git repo holding a copy of test/fixtures/<name>. */
function fixtureRepo(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dk-${name.replace(/\//g, '-')}-`));
  cpSync(join(ROOT, 'test', 'fixtures', name), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

const config = (dir: string) => parseConfig(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8')).config;

test('init --yes on a Python, a Go and a static repo: a full config and the stack\'s own kit', () => {
  const py = fixtureRepo('py-poetry-django');
  const r = cli('deploy-kit', ['init', '--yes'], py);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /python version\s+3\.11\s+\(\.python-version/);
  assert.match(r.stdout, /collectstatic\s+true/);
  const [django] = config(py).services;
  assert.equal(
    {
      stack: django!.stack,
      framework: django!.framework,
      pm: django!.packageManager,
      v: django!.languageVersion,
      migrate: django!.migrate,
      collectstatic: django!.collectstatic,
    },
    { stack: 'python', framework: 'django', pm: 'poetry', v: '3.11', migrate: 'python manage.py migrate --noinput', collectstatic: true },
  );
  assert.match(readFileSync(join(py, 'Dockerfile'), 'utf8'), /poetry install --only main --no-root/);
  assert.match(readFileSync(join(py, 'DEPLOY.md'), 'utf8'), /docker compose run --rm app python manage\.py migrate --noinput/);

  const go = fixtureRepo('go-chi');
  const g = cli('deploy-kit', ['init', '--yes'], go);
  assert.is(g.code, 0, g.stderr);
  // go.mod says 1.22.0 (a minimum): the newest Go builds it.
  assert.equal(config(go).services[0], {
    name: 'app',
    path: '.',
    stack: 'go',
    mainPackage: './cmd/api',
    languageVersion: '1.27',
    test: 'go test ./...',
    start: 'api',
    port: 9090,
    healthPath: '/healthz',
  });
  assert.match(readFileSync(join(go, 'Dockerfile'), 'utf8'), /FROM gcr\.io\/distroless\/static-debian13:nonroot AS runtime/);

  const site = fixtureRepo('static-site');
  const s = cli('deploy-kit', ['init', '--yes'], site);
  assert.is(s.code, 0, s.stderr);
  assert.equal(config(site).services[0], { name: 'app', path: '.', stack: 'static', port: 8080, healthPath: '/healthz' });
  assert.ok(existsSync(join(site, 'nginx.conf')));
  assert.not.match(readFileSync(join(site, '.env.example'), 'utf8'), /^PORT=/m, 'nginx reads no PORT');
});

test('a monorepo: one config, a service per app, per-service flags, add-ons from the code', () => {
  const dir = fixtureRepo('monorepo');
  // The route --health-path names must be one the code serves (the build-ability check reads it).
  mkdirSync(join(dir, 'apps/web/app/api/health'), { recursive: true });
  writeFileSync(join(dir, 'apps/web/app/api/health/route.ts'), 'export function GET() {\n  return new Response("ok");\n}\n');
  const r = cli(
    'deploy-kit',
    ['init', '--yes', '--services', 'web,api', '--health-path', 'web=/api/health', '--port', 'api=8001', '--addons', 'postgres,redis'],
    dir,
  );
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /service "web" \(apps\/web\): node/);
  assert.match(r.stdout, /service "api" \(apps\/api\): python/);
  const c = config(dir);
  assert.equal(c.services.map((s) => [s.name, s.path, s.stack, s.port, s.healthPath]), [
    ['api', 'apps/api', 'python', 8001, '/health'],
    ['web', 'apps/web', 'node', 3000, '/api/health'],
  ]);
  // The port flag moved the uvicorn command line with it.
  assert.is(c.services[0]!.start, 'uvicorn main:app --host 0.0.0.0 --port 8001');
  assert.is(c.services[1]!.workspaceRoot, '.');
  assert.equal(c.addons, { postgres: true, redis: true });
  for (const f of ['apps/web/Dockerfile', 'apps/web/Dockerfile.dockerignore', 'apps/api/Dockerfile', 'apps/api/.dockerignore', 'compose.yaml'])
    assert.ok(existsSync(join(dir, f)), f);
  const compose = readFileSync(join(dir, 'compose.yaml'), 'utf8');
  assert.match(compose, /dockerfile: apps\/web\/Dockerfile/);
  assert.match(compose, /condition: service_healthy/);
  assert.ok(!existsSync(join(dir, 'services/worker/Dockerfile')), '--services left the worker out');
});

test('ambiguous or wrong per-service input: exit 2 with the flag to pass, nothing written', () => {
  const dir = fixtureRepo('monorepo');
  const bare = cli('deploy-kit', ['init', '--yes', '--port', '3000'], dir);
  assert.is(bare.code, 2);
  assert.match(bare.stderr, /--port "3000": there are several services \(api, web, worker\); name one: --port <service>=<value>/);
  const unknown = cli('deploy-kit', ['init', '--yes', '--services', 'web,admin'], dir);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /--services: "admin" is not a detected service; detected: api \(apps\/api\), web \(apps\/web\), worker \(services\/worker\)/);
  // No TTY, no --yes: what detection could not find is listed per service.
  const missing = cli('deploy-kit', ['init', '--services', 'web,worker'], dir);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /missing answers .*: --health-path web=, --port worker=, --health-path worker=/);
  assert.equal(readdirSync(dir).filter((f) => f === 'deploy-kit.yaml' || f === 'compose.yaml'), []);

  // A directory that is both a Node and a Python app: say which.
  const both = mkdtempSync(join(tmpdir(), 'dk-both-'));
  writeFileSync(join(both, 'package.json'), JSON.stringify({ name: 'both', scripts: { start: 'node server.js' } }));
  writeFileSync(join(both, 'package-lock.json'), JSON.stringify({ name: 'both', lockfileVersion: 3, packages: {} }));
  writeFileSync(join(both, 'server.js'), "require('http').createServer((q, s) => s.end('ok')).listen(3000);\n");
  writeFileSync(join(both, 'requirements.txt'), 'flask==3.0.3\ngunicorn==22.0.0\n');
  writeFileSync(join(both, 'app.py'), 'from flask import Flask\napp = Flask(__name__)\n');
  git(both, 'init', '-q', '-b', 'main');
  const amb = cli('deploy-kit', ['init', '--yes'], both);
  assert.is(amb.code, 2);
  assert.match(amb.stderr, /the repository root is deployable as node and python: say which one runs/);
  assert.match(amb.stderr, /--stack \.=node/);
  const picked = cli('deploy-kit', ['init', '--yes', '--stack', '.=python'], both);
  assert.is(picked.code, 0, picked.stderr);
  assert.is(config(both).services[0]!.stack, 'python');
});

test('cgo builds on distroless/cc; bad stack flags are usage errors', () => {
  const cgo = fixtureRepo('go-cgo');
  const r = cli('deploy-kit', ['init', '--yes'], cgo);
  assert.is(r.code, 0, r.stderr);
  assert.match(readFileSync(join(cgo, 'Dockerfile'), 'utf8'), /^ENV CGO_ENABLED=1$/m);
  const dir = mkdtempSync(join(tmpdir(), 'dk-flags-'));
  mkdirSync(join(dir, 'x'));
  for (const [args, msg] of [
    [['--python-version', '3'], /--python-version: "3" is not a Python minor version/],
    [['--go-version', '1.x'], /--go-version: "1\.x" is not a Go minor version/],
    [['--addons', 'mysql'], /--addons: "mysql" is not a list of add-ons/],
    [['--ci', 'jenkins'], /--ci: "jenkins" is not a CI provider: github or gitlab/],
    [['--port', 'api=70000'], /--port: "70000" is not a port/],
  ] as Array<[string[], RegExp]>) {
    const res = cli('deploy-kit', ['init', '--yes', ...args], dir);
    assert.is(res.code, 2, args.join(' '));
    assert.match(res.stderr, msg);
  }
});

test('init again with per-stack flags updates the config in place', () => {
  const dir = fixtureRepo('py-uv-fastapi');
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  const r = cli('deploy-kit', ['init', '--python-version', '3.13', '--addons', 'none', '--ci', 'gitlab'], dir);
  assert.is(r.code, 0, r.stderr);
  const c = config(dir);
  assert.is(c.services[0]!.languageVersion, '3.13');
  assert.equal(c.addons, {});
  assert.is(c.ci.provider, 'gitlab');
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /FROM python:3\.13-slim-trixie AS base/);
  assert.ok(existsSync(join(dir, '.gitlab-ci.yml')));
});

test.run();
