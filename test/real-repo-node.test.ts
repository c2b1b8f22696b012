/**
 * Node patterns seen on real repositories (docs/real-world.md): each runs init --yes on a small
 * fixture of our own and reads what it detected and wrote.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import type { DeployKitConfig } from '../src/config/types.js';
import { detectHealthPath } from '../stacks/node/detect-code.js';
import { detectNode } from '../stacks/node/detect.js';
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

test("TanStack Start with Nitro: a server-rendered app, Nitro's self-contained .output, not a static Vite site", () => {
  const r = initFixture('tanstack-start');
  assert.is(r.code, 0, r.stderr);
  const s = r.config().services[0]!;
  assert.equal([s.kind, s.webFramework, s.outputDir, s.start, s.port], ['ssr', 'tanstack-start', '.output', 'node .output/server/index.mjs', 3000]);
  const dockerfile = r.read('Dockerfile');
  assert.match(dockerfile, /^COPY --from=build \/app\/\.output \.\/\.output$/m);
  assert.match(dockerfile, /^CMD \["node",".output\/server\/index.mjs"\]$/m);
  assert.not.match(dockerfile, /nginx|node_modules \.\/node_modules/);
});

test('TanStack Start without Nitro: no Node server to run, and detection says what to add', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-tss-'));
  cpSync(join(ROOT, 'test/fixtures/tanstack-start'), dir, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
  delete pkg.devDependencies.nitro;
  delete pkg.scripts.start;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  const viteConfig = "import { tanstackStart } from '@tanstack/react-start/plugin/vite';\nexport default { plugins: [tanstackStart()] };\n";
  writeFileSync(join(dir, 'vite.config.ts'), viteConfig);
  const facts = (await detectNode(dir))!;
  assert.is(facts.kind, undefined);
  assert.is(facts.webFramework?.value, 'tanstack-start');
  assert.ok((facts.warnings ?? []).some((w) => /TanStack Start without Nitro builds a fetch handler.*add Nitro/.test(w)), (facts.warnings ?? []).join('\n'));
});

test.run();
