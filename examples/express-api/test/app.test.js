import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../src/app.js';

let server;
let base;

before(async () => {
  server = createApp().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

test('GET /health returns 200 {status:"ok"}', async () => {
  const res = await fetch(`${base}/health`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('GET / reports APP_VERSION, "dev" by default', async () => {
  const saved = process.env.APP_VERSION;
  try {
    delete process.env.APP_VERSION;
    assert.equal((await (await fetch(`${base}/`)).json()).version, 'dev');
    process.env.APP_VERSION = '1.2.3';
    assert.equal((await (await fetch(`${base}/`)).json()).version, '1.2.3');
  } finally {
    if (saved === undefined) delete process.env.APP_VERSION;
    else process.env.APP_VERSION = saved;
  }
});

test('unknown routes are 404', async () => {
  const res = await fetch(`${base}/nope`);
  assert.equal(res.status, 404);
});
