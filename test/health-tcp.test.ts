/**
 * A service whose code serves no health route gets TCP probes, never an invented route: the
 * Dockerfile, compose, CI smoke test and Kubernetes probes connect to the port, DEPLOY.md says so
 * with the route to add, and the targets that gate deploys on a route refuse with that fix.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import type { DeployKitConfig, TargetConfig } from '../src/config/types.js';
import { configProblems } from '../src/plan/index.js';
import { cli, git, ROOT } from './_repo.js';
import { renderScenario } from './_render.js';
import { baseConfig } from './_scenarios.js';

const noRoute = (targets: TargetConfig[], over: Partial<DeployKitConfig> = {}): DeployKitConfig => {
  const config = baseConfig({ targets, ...over });
  const [first, ...rest] = config.services;
  const { healthPath: _drop, ...service } = first!;
  return { ...config, services: [service, ...rest] };
};

test('init --yes on a server with no health route writes no healthPath and TCP probes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-tcp-'));
  cpSync(join(ROOT, 'test/fixtures/no-lockfile'), dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(res.code, 0, res.stderr + res.stdout);
  const config = parse(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8')) as DeployKitConfig;
  assert.is(config.services[0]!.healthPath, undefined, 'no route in the code: none invented');
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /require\('net'\)\.connect/);
  assert.not.match(dockerfile, /\/health/);
  const runbook = readFileSync(join(dir, 'DEPLOY.md'), 'utf8');
  assert.match(runbook, /serves no health route, so every probe only checks that port 5000 accepts a TCP connection/);
});

test('kubernetes: tcpSocket probes, and a rollout check that needs no route', async () => {
  const files = await renderScenario(noRoute([{ type: 'compose' }, { type: 'kubernetes', domain: 'tcp.example.com' }]));
  const deployment = files.find((f) => f.path.endsWith('base/deployment.yaml'))!.content;
  assert.is(deployment.match(/tcpSocket:/g)?.length, 3);
  assert.not.match(deployment, /httpGet/);
  const workflow = files.find((f) => f.path === '.github/workflows/kubernetes.yml')!.content;
  assert.match(workflow, /--write-out '%\{http_code\}' "https:\/\/tcp\.example\.com\/"/);
  const compose = files.find((f) => f.path === 'compose.yaml')!.content;
  assert.match(compose, /require\('net'\)/);
});

test('fly, hf-spaces and vps gate deploys on a route: without one they refuse, naming the route to add', () => {
  for (const t of [{ type: 'fly', app: 'tcp-app' }, { type: 'hf-spaces', space: 'acme/tcp' }, { type: 'vps', domain: 'tcp.example.com' }] as TargetConfig[]) {
    const problems = configProblems(noRoute([t]));
    assert.ok(problems.some((p) => p.includes('has no health route') && p.includes("app.get('/health'")), `${t.type}: ${problems.join('; ')}`);
  }
});

test.run();
