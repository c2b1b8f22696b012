import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectServices } from '../src/detect/services.js';
import { detectDeno } from '../stacks/deno/detect.js';
import { denoView } from '../stacks/deno/view.js';
import type { ServiceDirs } from '../stacks/types.js';
import type { ServiceConfig } from '../src/config/types.js';
import { detectRepo } from '../src/detect/index.js';
import { chooseServices } from '../src/config/choose-services.js';
import { scratch } from './_scratch.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const dirs = scratch('deno');
const repo = dirs.files;
test.after(dirs.cleanup);

test('Oak on Deno from deno.jsonc (comments, trailing commas): every fact with its evidence', async () => {
  assert.equal(await detectDeno(fixture('deno-oak')), {
    path: '.',
    config: { value: 'deno.jsonc', evidence: 'deno.jsonc present' },
    warnings: [],
    lockfile: { value: 'deno.lock', evidence: 'deno.lock present' },
    framework: { value: 'oak', evidence: 'deno.jsonc imports.@oak/oak: "jsr:@oak/oak@^17.1.0"' },
    test: { value: 'deno task test', evidence: 'deno.jsonc tasks.test: "deno test --allow-net"' },
    start: {
      value: 'deno run --allow-net --allow-env=PORT,DATABASE_URL src/main.ts',
      evidence: 'deno.jsonc tasks.start: "deno run --allow-net --allow-env=PORT,DATABASE_URL src/main.ts"',
    },
    port: { value: 8080, evidence: "src/main.ts:13 await app.listen({ port: Number(Deno.env.get('PORT') ?? 8080) });" },
    healthPath: { value: '/livez', evidence: "src/main.ts:4 router.get('/livez', (ctx) => {" },
  });
  assert.equal((await detectServices(fixture('deno-oak'))).map((s) => [s.stack, s.path]), [['deno', '.']]);
});

test('no start task: main.ts with network and env access; Deno.serve pathname route; no lockfile is warned about', async () => {
  const dir = repo({
    'deno.json': '{"imports":{"hono":"npm:hono@^4"}}',
    'main.ts': 'Deno.serve({ port: 9000 }, (req) => new URL(req.url).pathname === "/healthz" ? new Response("ok") : new Response("no", { status: 404 }));\n',
  });
  const deno = await detectDeno(dir);
  assert.equal(deno?.start, { value: 'deno run --allow-net --allow-env main.ts', evidence: 'main.ts present' });
  assert.is(deno?.port?.value, 9000);
  assert.is(deno?.healthPath?.value, '/healthz');
  assert.is(deno?.framework?.value, 'hono');
  assert.ok(deno?.warnings.some((w) => /commit deno\.lock/.test(w)), deno?.warnings.join('\n'));
});

test('a start task that is not `deno run <file>` is not taken; a deno.json with nothing to run is not a service', async () => {
  const dir = repo({ 'deno.json': '{"tasks":{"start":"deno task build && deno serve -A _fresh/server.js"}}' });
  const deno = await detectDeno(dir);
  assert.is(deno?.start, undefined);
  assert.equal(await detectServices(dir), []);
});

test('a broken deno.json says where', async () => {
  const dir = repo({ 'deno.json': '{ "tasks": ' });
  await detectDeno(dir).then(
    () => assert.unreachable('should throw'),
    (err: Error) => assert.match(err.message, /^deno\.json is not valid JSON/),
  );
});

test('deno.json globs that hold /* and */ are strings, not comments (before: "not valid JSON", the app left out)', async () => {
  const dir = repo({
    'deno.json': JSON.stringify({ tasks: { start: 'deno run --allow-net main.ts' }, exclude: ['**/_out/*', '*/tmp/**'] }, null, 2),
    'deno.lock': '{}',
    'main.ts': 'Deno.serve({ port: 8000 }, () => new Response("ok"));\n',
  });
  assert.is((await detectDeno(dir))?.start?.value, 'deno run --allow-net main.ts');
  // Comments still go, and a string keeps its `//`.
  const text = '{\n  // dev only\n  "tasks": { "start": "deno run -A main.ts" }, /* note */\n  "imports": { "x": "https://e.org/x.ts" },\n}\n';
  const jsonc = repo({ 'deno.jsonc': text, 'main.ts': '' });
  assert.is((await detectDeno(jsonc))?.start?.value, 'deno run -A main.ts');
});

test("a --watch start task is the dev server: tasks.preview runs the app (Fresh 1); `deno serve` runs on the kit's port", async () => {
  const dir = repo({
    'deno.json': JSON.stringify({
      tasks: { start: 'deno run -A --watch=static/,routes/ dev.ts', preview: 'deno run -A main.ts', build: 'deno run -A dev.ts build' },
    }),
    'deno.lock': '{}',
    'dev.ts': '',
    'main.ts': 'Deno.serve(() => new Response("ok"));\n',
  });
  assert.equal((await detectDeno(dir))?.start, { value: 'deno run -A main.ts', evidence: 'deno.json tasks.preview: "deno run -A main.ts"' });

  const serve = repo({
    'deno.json': JSON.stringify({ tasks: { start: 'deno serve -A server.ts' } }),
    'deno.lock': '{}',
    'server.ts': 'export default { fetch: () => new Response("ok") };\n',
  });
  assert.is((await detectDeno(serve))?.start?.value, 'deno serve -A server.ts');
  const view = denoView({ name: 'app', path: '.', stack: 'deno', start: 'deno serve -A server.ts', port: 8080 } as ServiceConfig, { dir: '' } as ServiceDirs);
  assert.equal(JSON.parse(view.deno?.cmd ?? '[]'), ['serve', '--cached-only', '--port=8080', '-A', 'server.ts']);
});

test('a start task that serves a build output (Fresh 2: _fresh/server.js from vite build): no kit, and init says why', async () => {
  const dir = repo({
    'deno.json': JSON.stringify({ tasks: { dev: 'vite', build: 'vite build', start: 'deno serve -A _fresh/server.js' } }),
    'deno.lock': '{}',
    'main.ts': 'export const app = 1;\n',
  });
  const deno = await detectDeno(dir);
  assert.is(deno?.start, undefined, 'before: deno run main.ts, which serves nothing');
  assert.match(deno?.unbuilt ?? '', /^deno\.json tasks\.start runs _fresh\/server\.js, which tasks\.build \("vite build"\) writes/);
  const facts = await detectRepo(dir);
  const why = (err: Error) => err.message.includes('\n  deno.json tasks.start runs _fresh/server.js');
  assert.throws(() => chooseServices(facts, { stacks: new Map() }, dir), why);
});

test.run();
