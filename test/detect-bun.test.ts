import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectServices } from '../src/detect/services.js';
import { detectRepo } from '../src/detect/index.js';
import { detectBun } from '../stacks/bun/detect.js';
import { chooseServices } from '../src/config/choose-services.js';
import { scratch } from './_scratch.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const dirs = scratch('bun');
const repo = dirs.files;
test.after(dirs.cleanup);

test('Elysia on Bun: every fact with its evidence', async () => {
  const bun = await detectBun(fixture('bun-elysia'));
  assert.equal(bun, {
    path: '.',
    warnings: [],
    lockfile: { value: 'bun.lock', evidence: 'bun.lock present' },
    bunfig: { value: true, evidence: 'bunfig.toml present' },
    name: { value: 'bun-elysia', evidence: 'package.json name: "bun-elysia"' },
    bunVersion: { value: '1.3', evidence: 'package.json packageManager: "bun@1.3.2"' },
    framework: { value: 'elysia', evidence: 'package.json dependencies.elysia: "^1.2.0"' },
    build: { value: 'bun run build', evidence: 'package.json scripts.build: "bun build src/server.ts --target bun --outdir dist"' },
    test: { value: 'bun run test', evidence: 'package.json scripts.test: "bun test"' },
    start: { value: 'bun run src/server.ts', evidence: 'package.json scripts.start: "bun run src/server.ts"' },
    port: { value: 8080, evidence: 'src/server.ts:3 const port = Number(process.env.PORT ?? 8080);' },
    healthPath: { value: '/healthz', evidence: "src/server.ts:6 .get('/healthz', () => ({ status: 'ok' }))" },
  });
});

test('a package bun installs is the Bun stack\'s only: node steps aside, and its start advice is not shown', async () => {
  const services = await detectServices(fixture('bun-hono'));
  assert.equal(
    services.map((s) => [s.stack, s.path, s.evidence]),
    [['bun', '.', 'bun run src/index.ts: package.json module: "src/index.ts"; bun.lock present']],
  );
  const facts = await detectRepo(fixture('bun-hono'));
  assert.not.ok(facts.warnings.some((w) => /scripts\.start|node <entry/.test(w)), facts.warnings.join('\n'));
});

test('a bun workspace: its libraries (an entry file, nothing that serves) are no services; its server is', async () => {
  const dir = repo({
    'package.json': '{"name":"mono","private":true,"workspaces":["apps/*","packages/*"]}',
    'bun.lock': '{}',
    // A library: main and a conventional index.ts, but no framework, start script, port or Bun.serve.
    'packages/greet/package.json': '{"name":"@mono/greet","main":"index.ts"}',
    'packages/greet/index.ts': 'export const greet = (name: string) => `hello ${name}`;\n',
    'packages/util/package.json': '{"name":"@mono/util"}',
    'packages/util/src/index.ts': 'export const twice = (n: number) => n * 2;\n',
    // A server whose entry calls Bun.serve in another file, with no port literal.
    'apps/api/package.json': '{"name":"@mono/api","module":"src/index.ts","dependencies":{"@mono/greet":"workspace:*"}}',
    'apps/api/src/index.ts': 'import { start } from "./server";\nstart();\n',
    'apps/api/src/server.ts': 'export function start() {\n  Bun.serve({ port: Number(process.env.PORT), fetch: () => new Response("ok") });\n}\n',
    // A default-export fetch handler is a server too.
    'apps/edge/package.json': '{"name":"@mono/edge","module":"index.ts"}',
    'apps/edge/index.ts': 'export default {\n  fetch(req: Request) { return new Response("edge"); },\n};\n',
  });
  const services = await detectServices(dir);
  assert.equal(services.map((s) => [s.stack, s.path]), [['bun', 'apps/api'], ['bun', 'apps/edge']]);
  assert.is((await detectBun(dir, 'packages/greet'))?.start, undefined, 'a library gets no start command');
});

test('a framework published for bun (exports, types, peerDependencies) is no service, whatever its examples listen on', async () => {
  const dir = repo({
    'package.json': JSON.stringify({
      name: 'tiny-router',
      main: './dist/index.js',
      module: './dist/index.mjs',
      types: './dist/index.d.ts',
      exports: { '.': './dist/index.mjs' },
      peerDependencies: { '@types/bun': '>= 1.2.0' },
      scripts: { build: 'bun build.ts', test: 'bun test' },
    }),
    'bun.lock': '{}',
    'src/index.ts': 'export class Router {\n  listen(port: number) { return Bun.serve({ port, fetch: () => new Response("ok") }); }\n}\n',
    'example/a.ts': "import { Router } from '../src';\nnew Router().listen(3000);\n",
  });
  const bun = await detectBun(dir);
  assert.is(bun?.start, undefined, 'before: bun run dist/index.mjs, a build output of the library, on the example port');
  assert.equal(await detectServices(dir), []);
  // init's answer: nothing to deploy (before: "bun images are not supported yet", from the root taken as a Node server).
  const facts = await detectRepo(dir);
  const nothing = (err: Error) => err.message.startsWith(`nothing to deploy found in ${dir}: its package.json is no server or built site`);
  assert.throws(() => chooseServices(facts, { stacks: new Map() }, dir), nothing);
});

test('npm, pnpm and yarn packages are not Bun services', async () => {
  const dir = repo({ 'package.json': '{"name":"x","main":"index.js","dependencies":{"hono":"^4.0.0"}}', 'package-lock.json': '{}', 'index.js': '' });
  assert.is(await detectBun(dir), undefined);
  assert.equal((await detectServices(dir)).map((s) => s.stack), ['node']);
});

test('Bun.serve routes and pathname checks are health routes; .bun-version pins the image', async () => {
  const dir = repo({
    'package.json': '{"name":"plain"}',
    'bun.lock': '{"lockfileVersion":1,"workspaces":{"":{"name":"plain"}},"packages":{}}',
    '.bun-version': '1.2.21\n',
    'index.ts': [
      'Bun.serve({',
      '  port: 4000,',
      '  routes: { "/livez": new Response("ok") },',
      '  fetch(req) { if (new URL(req.url).pathname === "/health") return new Response("ok"); return new Response("no", { status: 404 }); },',
      '});',
    ].join('\n'),
  });
  const bun = await detectBun(dir);
  assert.equal(bun?.start, { value: 'bun run index.ts', evidence: 'index.ts present' });
  assert.equal(bun?.bunVersion, { value: '1.2', evidence: '.bun-version: 1.2.21' });
  assert.equal(bun?.port, { value: 4000, evidence: 'index.ts:2 port: 4000,' });
  assert.is(bun?.healthPath?.value, '/health');
  assert.is(bun?.framework, undefined);
});

test('no lockfile: still a Bun service, with the warning to commit one', async () => {
  const dir = repo({
    'package.json': '{"name":"x","packageManager":"bun@1.3.0","module":"src/app.ts"}',
    'src/app.ts': 'export default { fetch: () => new Response("ok") };',
  });
  const bun = await detectBun(dir);
  assert.is(bun?.lockfile, undefined);
  assert.equal(bun?.start?.value, 'bun run src/app.ts');
  assert.ok(bun?.warnings.some((w) => /run `bun install` and commit bun\.lock/.test(w)), bun?.warnings.join('\n'));
});

test.run();
