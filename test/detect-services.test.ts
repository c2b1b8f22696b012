import { cpSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixture, scratch } from './_scratch.js';
import { detectNode, detectRepo, detectServices, detectStatic, envFor } from '../src/detect/index.js';
import type { DetectedService } from '../src/detect/types.js';

const dirs = scratch('services');
/** A throwaway repo holding the given files. */
const repo = (files: Record<string, string>): string => dirs.files(files);
test.after(dirs.cleanup);

const summary = (services: DetectedService[]): string[] => services.map((s) => `${s.stack} ${s.path}`);

test('monorepo: Next.js in apps/web, FastAPI in apps/api, Go in services/worker; the UI library and the workspace root are not services', async () => {
  const services = await detectServices(fixture('monorepo'));
  assert.equal(summary(services), ['python apps/api', 'node apps/web', 'go services/worker']);
  const [api, web, worker] = services;

  assert.ok(api?.stack === 'python');
  assert.is(api.evidence, 'fastapi app: apps/api/main.py:5 app = FastAPI()');
  assert.equal(api.facts.framework, { value: 'fastapi', evidence: 'apps/api/requirements.txt:1 fastapi==0.111.0' });
  assert.equal(api.facts.start, { value: 'uvicorn main:app --host 0.0.0.0 --port 8000', evidence: 'apps/api/main.py:5 app = FastAPI()' });
  assert.equal(api.facts.healthPath, { value: '/health', evidence: 'apps/api/main.py:9 @app.get("/health")' });
  assert.equal(api.facts.warnings, [], 'uvicorn[standard] is listed');

  assert.ok(web?.stack === 'node');
  assert.is(web.evidence, 'ssr: apps/web/package.json dependencies.next: "14.2.5" (Next.js renders on a Node server)');
  assert.equal(web.facts.nextOutput, { value: 'standalone', evidence: "apps/web/next.config.js:2 output: 'standalone'," });
  assert.is(web.facts.workspaceRoot?.value, '.');
  assert.is(web.facts.packageManager.evidence, 'package-lock.json present (workspace root)');
  assert.equal(web.facts.warnings, []);

  assert.ok(worker?.stack === 'go');
  assert.is(worker.evidence, 'main package .: services/worker/main.go:1 package main');
  assert.equal(worker.facts.module, { value: 'github.com/acme/worker', evidence: 'services/worker/go.mod:1 module github.com/acme/worker' });
  assert.equal(worker.facts.name?.value, 'worker');
});

test('detectRepo keeps node and warnings as before and adds the services', async () => {
  // A copy outside any git repository, so the git warning does not depend on how this repo is checked out.
  const root = repo({});
  cpSync(fixture('monorepo'), root, { recursive: true });
  const facts = await detectRepo(root);
  assert.equal(summary(facts.services ?? []), ['python apps/api', 'node apps/web', 'go services/worker']);
  // facts.node is still the root package.json, for init; the services add no warnings of their own here.
  assert.equal(facts.node, await detectNode(root));
  // The workspace root holds the packages: no "no start command found" for it.
  assert.equal(facts.warnings, [
    'not a git repository: CI workflows need a branch to trigger on; run `git init` (or pass the branch explicitly)',
  ]);
});

test('envFor: each service gets the variables its own code reads', async () => {
  const facts = await detectRepo(fixture('monorepo'));
  const paths = (facts.services ?? []).map((s) => s.path);
  assert.equal(envFor(facts.env, 'apps/api', paths), [{ name: 'DATABASE_URL', locations: ['apps/api/main.py:6'] }]);
  assert.equal(envFor(facts.env, 'apps/web', paths), [{ name: 'API_URL', locations: ['apps/web/app/page.tsx:2'] }]);
  assert.equal(envFor(facts.env, 'services/worker', paths), [{ name: 'QUEUE_URL', locations: ['services/worker/main.go:9'] }]);
  // The root claims nothing a nested service reads; without the others it claims everything.
  assert.equal(envFor(facts.env, '.', paths), []);
  assert.is(envFor(facts.env, '.').length, 3);
  assert.equal(envFor(facts.env, 'apps', paths), [], 'apps/api and apps/web are services of their own');
});

test('envFor keeps a root service its own variables and respects path boundaries', () => {
  const env = [
    { name: 'A', locations: ['server.js:1', 'apps/api/x.py:2'] },
    { name: 'B', locations: ['apps/api2/y.py:3'] },
  ];
  assert.equal(envFor(env, '.', ['.', 'apps/api']), [{ name: 'A', locations: ['server.js:1'] }, { name: 'B', locations: ['apps/api2/y.py:3'] }]);
  assert.equal(envFor(env, './apps/api/', ['.', 'apps/api']), [{ name: 'A', locations: ['apps/api/x.py:2'] }], 'apps/api2 is not under apps/api');
});

test('one stack at the root: each fixture is a single service of its stack', async () => {
  const cases: Array<[string, string]> = [
    ['next-standalone', 'node .'],
    ['vite-spa', 'node .'],
    ['py-poetry-django', 'python .'],
    ['py-plain', 'python .'],
    ['go-chi', 'go .'],
    ['static-site', 'static .'],
  ];
  for (const [name, expected] of cases) assert.equal(summary(await detectServices(fixture(name))), [expected], name);
});

test('a plain static site: index.html with no manifest, served as is', async () => {
  const [site] = await detectServices(fixture('static-site'));
  assert.ok(site?.stack === 'static');
  assert.equal(site.facts.root, { value: '.', evidence: 'index.html present (no package.json: served as is)' });
  assert.is(await detectStatic(fixture('vite-spa')), undefined, 'a Vite project builds its index.html');
});

test('layouts, manifests in direct subdirectories, two stacks in one directory, libraries left out', async () => {
  const dir = repo({
    'package.json': JSON.stringify({ name: 'site', scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.2' } }),
    'package-lock.json': '{"lockfileVersion":3}',
    'server.js': 'app.listen(3000);\n',
    'requirements.txt': 'flask\ngunicorn\n',
    'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    'backend/go.mod': 'module example.com/backend\n\ngo 1.22\n',
    'backend/main.go': 'package main\n\nfunc main() {}\n',
    'apps/landing/index.html': '<h1>hi</h1>\n',
    'packages/cli/package.json': JSON.stringify({ name: 'cli', bin: { cli: 'index.js' }, main: 'index.js' }),
    'packages/admin/package.json': JSON.stringify({ name: 'admin', scripts: { start: 'node admin.js' } }),
    'docs/index.html': '<h1>docs</h1>\n',
    'scripts/requirements.txt': 'requests\n',
    'node_modules/dep/package.json': JSON.stringify({ scripts: { start: 'node x.js' } }),
  });
  const services = await detectServices(dir);
  assert.equal(summary(services), ['node .', 'python .', 'static apps/landing', 'go backend', 'node packages/admin']);
  const [node, python] = services;
  for (const s of [node, python]) {
    assert.ok(
      s?.facts.warnings?.includes('the repository root is deployable as node and python: listed once per stack; say which one runs (or drop the other)'),
      String(s?.facts.warnings),
    );
  }
  assert.equal(await detectServices(dir), services, 'deterministic');
  const facts = await detectRepo(dir);
  assert.not.ok(
    facts.node?.warnings?.some((w) => w.includes('deployable as')),
    'RepoFacts.node is not changed by the service listing',
  );
  assert.is(
    facts.services?.[0]?.facts.warnings?.at(-1),
    'the repository root is deployable as node and python: listed once per stack; say which one runs (or drop the other)',
  );
});

test('pnpm-workspace.yaml without a root package.json still names the workspace packages', async () => {
  const dir = repo({
    'pnpm-workspace.yaml': 'packages:\n  - sites/*\n',
    'sites/blog/package.json': JSON.stringify({ name: 'blog', scripts: { build: 'astro build' }, dependencies: { astro: '^4.13.1' } }),
  });
  const services = await detectServices(dir);
  assert.equal(summary(services), ['node sites/blog']);
  assert.ok(services[0]?.stack === 'node');
  assert.is(services[0].facts.workspaceRoot?.evidence, 'pnpm-workspace.yaml packages: ["sites/*"] includes sites/blog');
});

test('a broken package.json in one package is reported, the others are still listed', async () => {
  const dir = repo({
    'apps/bad/package.json': '{ "name": ',
    'apps/api/requirements.txt': 'fastapi\nuvicorn\n',
    'apps/api/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
  });
  const warnings: string[] = [];
  assert.equal(summary(await detectServices(dir, warnings)), ['python apps/api']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /^apps\/bad: apps\/bad\/package\.json is not valid JSON .*; not listed as a service$/);
  const facts = await detectRepo(dir);
  assert.ok(facts.warnings.some((w) => w.startsWith('apps/bad: apps/bad/package.json is not valid JSON')), String(facts.warnings));
});

test('an empty directory has no services', async () => {
  assert.equal(await detectServices(repo({ 'README.md': '# nothing\n' })), []);
});

test.run();
