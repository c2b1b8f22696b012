/**
 * Node patterns seen on real repositories (docs/real-world.md): each runs init --yes on a small
 * fixture of our own and reads what it detected and wrote.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import type { DeployKitConfig } from '../src/config/types.js';
import { detectHealthPath } from '../stacks/node/detect-code.js';
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

test("Express: a router's route under app.use('/api', routes) and router.use('/v1', ...) in other modules is /api/v1/health", () => {
  const r = initFixture('express-router-prefix');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.config().services[0]!.healthPath, '/api/v1/health');
  assert.match(r.stdout, /status\.route\.js:4 router\.get\('\/health'.*\(its router mounted at \/api\/v1\)/);
  assert.match(r.read('Dockerfile'), /\/api\/v1\/health/);
});

test('Express mounts: ES imports, a router in the same file, an inline require; an unmounted route keeps its path', () => {
  const at = (f: string) => f;
  const health = (files: Record<string, string>) => detectHealthPath(Object.entries(files).map(([path, text]) => ({ path, text })), at)?.value;
  assert.is(
    health({
      'src/index.ts': "import express from 'express';\nimport healthRouter from './health.js';\nconst app = express();\napp.use('/internal', healthRouter);\n",
      'src/health.ts': "export default Router().get('/healthz', ok);\n",
    }),
    '/internal/healthz',
  );
  assert.is(health({ 'app.js': "const router = express.Router();\nrouter.get('/health', ok);\napp.use('/api/', router);\n" }), '/api/health');
  assert.is(health({ 'app.js': "app.use('/status', require('./routes/status'));\n", 'routes/status.js': "router.get('/ready', ok);\n" }), '/status/ready');
  assert.is(health({ 'app.js': "app.use(cors());\napp.get('/health', ok);\n" }), '/health');
});

test.run();
