/**
 * Node, Bun and Deno servers that read their listen port from their own variable (SERVER_PORT,
 * API_PORT, a lower-case `port`): detection records it as portEnv, with the default the code listens
 * on as the port, so the image, compose, .env.example and the VPS scripts set it beside PORT. Only a
 * read that reaches the listener counts; a database's or cache's port never does, and code that reads
 * PORT itself needs nothing more.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bunConfig } from '../stacks/bun/config.js';
import { detectBun } from '../stacks/bun/detect.js';
import { denoConfig } from '../stacks/deno/config.js';
import { detectDeno } from '../stacks/deno/detect.js';
import { nodeConfig } from '../stacks/node/config.js';
import { detectNode } from '../stacks/node/detect.js';
import { scratch } from './_scratch.js';

const dirs = scratch('js-port');
const repo = dirs.files;
test.after(dirs.cleanup);

const EXPRESS_PKG = JSON.stringify({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } });
const node = (server: string, more: Record<string, string> = {}) =>
  detectNode(repo({ 'package.json': EXPRESS_PKG, 'package-lock.json': '{}', 'server.js': server, ...more }));

test('Node: a variable assigned from the own read and passed to .listen( is the port variable, its default the port', async () => {
  const f = await node("const app = require('express')();\nconst port = process.env.SERVER_PORT || 4000;\napp.listen(port, () => {});\n");
  assert.equal(f?.portEnv, { value: 'SERVER_PORT', evidence: 'server.js:2 const port = process.env.SERVER_PORT || 4000;' });
  assert.is(f?.port?.value, 4000);
  const svc = nodeConfig(f!, { name: 'api', path: '.' }, { port: 4000, build: null, test: null });
  assert.is(svc.portEnv, 'SERVER_PORT');
});

test('Node: inside .listen( and fastify-style listen({ port }), through Number() and ??', async () => {
  const direct = await node("const app = require('express')();\napp.listen(Number(process.env.API_PORT ?? 8080));\n");
  assert.equal([direct?.portEnv?.value, direct?.port?.value], ['API_PORT', 8080]);
  const keyed = await node(
    "const app = require('fastify')();\nawait app.listen({\n  host: '0.0.0.0',\n  port: parseInt(process.env.HTTP_PORT, 10) || 3001,\n});\n",
  );
  assert.equal([keyed?.portEnv?.value, keyed?.port?.value], ['HTTP_PORT', 3001]);
  const shorthand = await node(
    "import { serve } from '@hono/node-server';\nconst port = Number(process.env.API_PORT) || 8787;\nserve({ fetch: app.fetch, port });\n",
  );
  assert.equal([shorthand?.portEnv?.value, shorthand?.port?.value], ['API_PORT', 8787]);
});

test('Node: the lower-case `port` variable (PORT does not set it)', async () => {
  const f = await node("const app = require('express')();\nconst port = process.env.port || 8080;\napp.listen(port);\n");
  assert.equal([f?.portEnv?.value, f?.port?.value], ['port', 8080]);
});

test('Node: code that reads PORT (alone or before or after its own name) needs no port variable', async () => {
  const chain = await node("const app = require('express')();\napp.listen(process.env.PORT || process.env.ALT_PORT || 8080);\n");
  assert.is(chain?.portEnv, undefined);
  assert.is(chain?.port?.value, 8080);
  const both = await node("const app = require('express')();\nconst port = process.env.APP_PORT || 3000;\napp.listen(port);\n", {
    'config.js': 'module.exports = { port: process.env.PORT };\n',
  });
  assert.is(both?.portEnv, undefined);
});

test("Node: another service's port, or an own-named read that never reaches a listener, is not taken", async () => {
  const f = await node(
    [
      "const app = require('express')();",
      'const db = { host: process.env.DB_HOST, port: process.env.DB_PORT || 5432 };',
      'const cachePort = Number(process.env.CACHE_PORT || 6380);',
      'const redis = new Redis({',
      '  host: "cache",',
      '  port: process.env.QUEUE_PORT || 6390,',
      '});',
      'redis.connect(cachePort);',
      "console.log('admin on', process.env.WEB_PORT);",
      'app.listen(3000);',
    ].join('\n'),
    { 'vite.config.js': 'export default {\n  server: {\n    port: Number(process.env.VITE_PORT) || 5173,\n  },\n};\n' },
  );
  assert.is(f?.portEnv, undefined);
  assert.is(f?.port?.value, 3000);
});

test('Node: two different own names reaching listeners are a guess: none', async () => {
  const f = await node("const app = require('express')();\napp.listen(process.env.API_PORT || 3000);\nadmin.listen(process.env.UI_PORT || 3001);\n");
  assert.is(f?.portEnv, undefined);
});

test("Bun: a Hono app's `export default { port: process.env.port || 8080, fetch }` and Bun.serve's port: Bun.env.APP_PORT", async () => {
  const pkg = JSON.stringify({ name: 'bun-api', module: 'src/index.ts', dependencies: { hono: '^4.6.0' } });
  const hono = await detectBun(
    repo({
      'package.json': pkg,
      'bun.lock': '{}',
      'src/index.ts': "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/health', (c) => c.text('ok'));\n" +
        'export default {\n  port: process.env.port || 8080,\n  fetch: app.fetch,\n};\n',
    }),
  );
  assert.equal([hono?.portEnv?.value, hono?.port?.value], ['port', 8080]);
  assert.is(bunConfig(hono!, { name: 'api', path: '.' }, { port: 8080, build: null, test: null }).portEnv, 'port');
  const serve = await detectBun(
    repo({
      'package.json': JSON.stringify({ name: 'bun-serve', module: 'index.ts' }),
      'bun.lock': '{}',
      'index.ts': 'Bun.serve({\n  port: Bun.env.APP_PORT ?? 3300,\n  fetch() {\n    return new Response("ok");\n  },\n});\n',
    }),
  );
  assert.equal([serve?.portEnv?.value, serve?.port?.value], ['APP_PORT', 3300]);
});

test('Deno: Deno.serve({ port: Number(Deno.env.get("APP_PORT") ?? 8000) }); Deno.env.get("PORT") needs none', async () => {
  const deno = (main: string) =>
    detectDeno(repo({ 'deno.json': JSON.stringify({ tasks: { start: 'deno run --allow-net --allow-env main.ts' } }), 'deno.lock': '{}', 'main.ts': main }));
  const own = await deno('Deno.serve({ port: Number(Deno.env.get("APP_PORT") ?? 8100) }, () => new Response("ok"));\n');
  assert.equal([own?.portEnv?.value, own?.port?.value], ['APP_PORT', 8100]);
  assert.is(denoConfig(own!, { name: 'api', path: '.' }, { port: 8100, build: null, test: null }).portEnv, 'APP_PORT');
  const port = await deno('Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8000) }, () => new Response("ok"));\n');
  assert.is(port?.portEnv, undefined);
  assert.is(port?.port?.value, 8000);
});

test.run();
