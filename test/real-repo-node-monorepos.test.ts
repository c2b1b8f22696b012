/**
 * Node patterns seen on larger self-hosted monorepos (docs/real-world.md, the second Node sweep): each
 * runs init --yes on a small fixture of our own and reads what it detected and wrote.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import type { DeployKitConfig } from '../src/config/types.js';
import { plainNodeCommand } from '../src/detect/index.js';
import { detectNode } from '../stacks/node/detect.js';
import { detectPort } from '../stacks/node/detect-code.js';
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

test('plainNodeCommand drops dotenv-cli and dotenvx env files before the node command', () => {
  assert.is(plainNodeCommand('dotenv -e ../../.env -- node --experimental-require-module ./dist/main.js'), 'node --experimental-require-module ./dist/main.js');
  assert.is(plainNodeCommand('dotenv -e ../../.env -e .env.local -- cross-env NODE_ENV=production node build/server/main.js'), 'node build/server/main.js');
  assert.is(plainNodeCommand('dotenv -e .env node server.js'), 'node server.js');
  assert.is(plainNodeCommand('dotenv -c production -- node server.js'), 'node server.js');
  assert.is(plainNodeCommand('dotenvx run -f .env.production -- node dist/index.js'), 'node dist/index.js');
  // What follows the env files must still be a plain node command.
  assert.is(plainNodeCommand('dotenv -e ../../.env -- next start -p 4200'), undefined);
  assert.is(plainNodeCommand('dotenv -e .env --'), undefined);
});

test('a start script run through dotenv-cli (directly or through `npm run env --`) is the start command, over react-router-serve', () => {
  const r = initFixture('workspace-dotenv-start');
  assert.is(r.code, 0, r.stderr);
  const services = Object.fromEntries(r.config().services.map((s) => [s.name, s]));
  // `dotenv -e ../../.env -- node --enable-source-maps ./dist/main.js`: no .env in the image, the node command runs.
  assert.is(services.api!.start, 'node --enable-source-maps ./dist/main.js');
  assert.match(r.read('apps/api/Dockerfile'), /^CMD \["node","--enable-source-maps",".\/dist\/main.js"\]$/m);
  // `npm run env -- cross-env NODE_ENV=production node build/server/main.js`, env being `dotenv -e ... --`: the app's own
  // server (it serves /api/health), not react-router-serve, which its dependencies also list.
  assert.equal([services.web!.start, services.web!.port, services.web!.healthPath], ['node build/server/main.js', 3000, '/api/health']);
  assert.match(r.stdout, /scripts\.env: "dotenv -e \.\.\/\.\.\/\.env -e \.\.\/\.\.\/\.env\.local --"/);
  const dockerfile = r.read('apps/web/Dockerfile');
  assert.match(dockerfile, /^CMD \["node","build\/server\/main.js"\]$/m);
  assert.not.match(dockerfile, /react-router-serve|dotenv/);
});

test('workspace libraries are no services: next in peerDependencies (a component package), a Vite build of modules to import', async () => {
  const r = initFixture('workspace-framework-libraries');
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.config().services.map((s) => [s.path, s.kind]),
    [['apps/shop', 'ssr']],
  );
  assert.not.match(r.stdout + r.stderr, /packages\/ui: |ui: the Next\.js config|service "(?:ui|db)"/);
  // The app still builds both first: they are its libraries.
  assert.match(r.read('apps/shop/Dockerfile'), /pnpm --filter @corner\/db --filter @corner\/ui run build && pnpm run build/);
  const ui = (await detectNode(r.dir, 'packages/ui'))!;
  assert.is(ui.kind, undefined);
  const db = (await detectNode(r.dir, 'packages/db'))!;
  assert.is(db.kind, undefined);
});

test('a Vite site with index.html stays a site even when package.json has a leftover "main"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-vite-main-'));
  const pkg = { name: 'board', main: 'index.js', scripts: { build: 'vite build' }, devDependencies: { vite: '^7.1.0' } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/src/main.js"></script>\n');
  const facts = (await detectNode(dir))!;
  assert.equal([facts.kind?.value, facts.outputDir?.value], ['static', 'dist']);
});

test("a root that serves a member's build (http-server packages/web/dist) is no service; a Tauri app is no site", async () => {
  const r = initFixture('workspace-static-root');
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.config().services.map((s) => [s.path, s.kind]),
    [['packages/web', 'static']],
  );
  const rootNote = /the repository root is no service of its own: .*"http-server packages\/web\/dist -p 3000" serves the build of the package in packages\/web/;
  assert.match(r.stdout, rootNote);
  assert.match(r.stdout, /packages\/desktop is a Tauri desktop app \(packages\/desktop\/package\.json devDependencies\.@tauri-apps\/cli: "\^2\.9\.0"\)/);
  // @tauri-apps/api alone (the web build also runs inside the desktop shell) keeps a site a site.
  assert.is((await detectNode(r.dir, 'packages/web'))!.clientApp, undefined);
  // A static server over a directory that is no package stays the root's own start (no delegation).
  writeFileSync(join(r.dir, 'package.json'), JSON.stringify({ name: 'x', scripts: { start: 'serve public/dist' } }));
  assert.is((await detectNode(r.dir))!.delegatesStart, undefined);
});

test("every dependency at the workspace root: members running next/nest take the root's, and the root is no service", () => {
  const r = initFixture('workspace-root-deps');
  assert.is(r.code, 0, r.stderr);
  const services = Object.fromEntries(r.config().services.map((s) => [s.path, s]));
  assert.equal(Object.keys(services), ['apps/api', 'apps/site']);
  assert.equal([services['apps/site']!.kind, services['apps/site']!.webFramework, services['apps/site']!.port], ['ssr', 'next', 4300]);
  assert.equal([services['apps/api']!.framework, services['apps/api']!.start], ['nestjs', 'node dist/main.js']);
  const fromRoot = /web framework {3}next {2}\(package\.json dependencies\.next: "15\.5\.0" \(the workspace root's, run by apps\/site\/package\.json/;
  assert.match(r.stdout, fromRoot);
  const rootNote = /the repository root is no service of its own: package\.json scripts\.build: "pnpm -r --filter .*" builds its workspace packages/;
  assert.match(r.stdout, new RegExp(`${rootNote.source} \\(pnpm --filter\\) and has no start script`));
  assert.match(r.read('apps/site/Dockerfile'), /^CMD \["node","server\.js"\]$/m);
});

test("NestJS's ConfigService port: get('PORT') || 3170 and get<number>('PORT', 3170) give 3170; a parseInt radix is no port", () => {
  const port = (text: string) => detectPort([{ path: 'src/main.ts', text }], undefined, [], (f) => f)?.value;
  assert.is(port("  await app.listen(configService.get('PORT') || 3170);\n"), 3170);
  assert.is(port('  await app.listen(config.get<number>("PORT", 3170));\n'), 3170);
  assert.is(port("const port = process.env['PORT'] ?? 4000;\n"), 4000);
  assert.is(port("await app.listen(parseInt(process.env['PORT'], 10));\n"), undefined);
});

test.run();
