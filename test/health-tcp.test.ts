/**
 * A service whose code serves no health route gets TCP probes, never an invented route: the
 * Dockerfile, compose, CI smoke test and Kubernetes probes connect to the port, DEPLOY.md says so
 * with the route to add; fly, hf-spaces and vps gate their deploys on the port answering instead.
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

test('fly, hf-spaces and vps gate deploys on the port answering, and DEPLOY.md gives the route to add', async () => {
  const targets = [{ type: 'fly', app: 'tcp-app' }, { type: 'hf-spaces', space: 'acme/tcp' }, { type: 'vps', domain: 'tcp.example.com' }] as TargetConfig[];
  for (const t of targets) assert.equal(configProblems(noRoute([t])), [], `${t.type} takes a service with no health route`);
  const fly = await renderScenario(noRoute([{ type: 'fly', app: 'tcp-app' }]));
  const flyToml = fly.find((f) => f.path === 'fly.toml')!.content;
  assert.match(flyToml, /\[\[services\.tcp_checks\]\]/);
  assert.not.match(flyToml, /path = |^\[http_service\]/m);
  const flyWorkflow = fly.find((f) => f.path === '.github/workflows/fly.yml')!.content;
  assert.match(flyWorkflow, /--write-out '%\{http_code\}' "\$APP_URL\/"/);
  assert.match(fly.find((f) => f.path === 'DEPLOY.md')!.content, /serves no health route, so Fly's check only connects to port \d+[\s\S]*app\.get\('\/health'/);

  const hf = await renderScenario(noRoute([{ type: 'hf-spaces', space: 'acme/tcp' }]));
  const hfWorkflow = hf.find((f) => f.path === '.github/workflows/hf-spaces.yml')!.content;
  assert.match(hfWorkflow, /HEALTH_PATH: \/\n/);
  assert.match(hfWorkflow, /"\$code" -lt 500/);
  assert.match(hf.find((f) => f.path === 'DEPLOY.md')!.content, /serves no health route, so the job only waits[\s\S]*app\.get\('\/health'/);

  const vps = await renderScenario(noRoute([{ type: 'vps', domain: 'tcp.example.com' }]));
  const settings = vps.find((f) => f.path === 'deploy/scripts/settings.sh')!.content;
  assert.match(settings, /: "\$\{HEALTH_PATH:=""\}"/);
  const site = vps.find((f) => f.path.startsWith('deploy/nginx/') && f.path.endsWith('.conf') && !f.path.includes('00-default'))!.content;
  assert.not.match(site, /location = (?:null|\s*\{)/);
  const deployWorkflow = vps.find((f) => f.path === '.github/workflows/deploy.yml')!.content;
  assert.match(deployWorkflow, /verify\.sh https:\/\/tcp\.example\.com '\/=up'/);
  const vpsRunbook = vps.find((f) => f.path === 'DEPLOY.md')!.content;
  assert.match(vpsRunbook, /the app to answer HTTP there \(any status: "\w+" serves no health route; add one,\s+`app\.get/);
});

test.run();
