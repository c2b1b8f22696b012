import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectServices } from '../src/detect/services.js';
import { detectDeno } from '../stacks/deno/detect.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const temps: string[] = [];
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-kit-deno-'));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
test.after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

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

test.run();
