/**
 * The generated nginx sites at the edge, run for real: the host's catch-all (00-default.conf) and
 * the production site, on a real nginx with a self-signed certificate for the site's domain,
 * proxying to a stand-in app that echoes the Host and X-Forwarded-For it received.
 *   - a request for another host name gets no answer (444 on HTTP, TLS handshake refused);
 *   - the app sees the site's own host name and the connection's address, never a client-sent
 *     X-Forwarded-For.
 * Skips with the reason when nginx or openssl is missing (fails under CI).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';

const DOMAIN = 'api.example.com';
const hasTool = (t: string, arg: string) => spawnSync(t, [arg], { stdio: 'ignore' }).status === 0;
const missing = !hasTool('nginx', '-v') ? 'nginx not installed' : !hasTool('openssl', 'version') ? 'openssl not installed' : undefined;
if (missing) {
  if (process.env.CI) throw new Error(`vps-nginx-edge: ${missing}; CI must not skip it`);
  console.log(`vps-nginx-edge: skipped: ${missing}`);
}
const live = missing ? test.skip : test;

let dir: string;
let app: Server;
let ports: { http: number; https: number };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The rendered config, made runnable here: loopback ports, the test certificate, files under `dir`. */
function localize(text: string, appPort: number): string {
  return text
    .replace(/^\s*listen \[::\]:\d+.*$/gm, '')
    .replace(/listen 80\b/g, `listen 127.0.0.1:${ports.http}`)
    .replace(/listen 443\b/g, `listen 127.0.0.1:${ports.https}`)
    .replace(/ssl_certificate \S+;/, `ssl_certificate ${join(dir, 'cert.pem')};`)
    .replace(/ssl_certificate_key \S+;/, `ssl_certificate_key ${join(dir, 'key.pem')};`)
    .replace(/ssl_dhparam \S+;/, `ssl_dhparam ${join(dir, 'dhparam.pem')};`)
    .replace(/include \/srv\/\S+;/, `include ${join(dir, 'upstream.conf')};`)
    .replace(/^(upstream \w+ \{)/m, `$1\n    server 127.0.0.1:${appPort};`);
}

const nginxArgs = () => ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')];

interface Answer {
  status?: number;
  body?: string;
  error?: string;
}

function ask(scheme: 'http' | 'https', headers: Record<string, string>, servername?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const port = scheme === 'http' ? ports.http : ports.https;
    const options = { host: '127.0.0.1', port, path: '/', headers, rejectUnauthorized: false, servername, agent: false, timeout: 3000 };
    const req = (scheme === 'http' ? httpRequest : httpsRequest)(options, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

test.before(async () => {
  if (missing) return;
  dir = mkdtempSync(join(tmpdir(), 'dk-nginx-edge-'));
  mkdirSync(join(dir, 'temp'));
  ports = { http: await freePort(), https: await freePort() };
  app = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ host: req.headers.host, xff: req.headers['x-forwarded-for'], realIp: req.headers['x-real-ip'] }));
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  const appPort = (app.address() as { port: number }).port;
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${DOMAIN}`,
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'dh_param:ffdhe2048', '-out', join(dir, 'dhparam.pem')], {
    stdio: 'ignore',
  });
  writeFileSync(join(dir, 'upstream.conf'), '');
  const files = await renderScenario(scenarios['express-vps-github']!);
  const conf = (path: string) => files.find((f) => f.path === path)?.content ?? '';
  const catchAll = conf('deploy/nginx/00-default.conf');
  const site = conf('deploy/nginx/express-api.conf');
  assert.ok(site, 'the production site is rendered');
  writeFileSync(join(dir, 'sites.conf'), localize(catchAll, appPort) + '\n' + localize(site, appPort));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, 'temp', t)};`).join(' ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `pid ${join(dir, 'nginx.pid')};\nevents {}\nhttp {\n  ${temp}\n  access_log off;\n  include ${join(dir, 'sites.conf')};\n}\n`,
  );
  const t = spawnSync('nginx', ['-t', ...nginxArgs()], { encoding: 'utf8' });
  assert.is(t.status, 0, t.stderr);
  execFileSync('nginx', nginxArgs(), { stdio: 'pipe' });
});

test.after(async () => {
  if (missing) return;
  spawnSync('nginx', [...nginxArgs(), '-s', 'stop'], { stdio: 'ignore' });
  await new Promise<void>((r) => app.close(() => r()));
  for (let i = 0; i < 30 && existsSync(join(dir, 'nginx.pid')); i++) await new Promise((r) => setTimeout(r, 100));
  rmSync(dir, { recursive: true, force: true });
});

live('HTTP: the site redirects its own name; any other Host header gets no answer (444)', async () => {
  const own = await ask('http', { host: DOMAIN });
  assert.is(own.status, 301);
  const other = await ask('http', { host: 'attacker.example' });
  assert.is(other.status, undefined, `another host was answered: ${JSON.stringify(other)}`);
  assert.is(other.error, 'ECONNRESET');
  const none = await ask('http', { host: '' });
  assert.is(none.status, undefined, 'no Host header is not served either');
});

live('HTTPS: the handshake for another name is refused, and another Host over the site\'s handshake is dropped', async () => {
  const own = await ask('https', { host: DOMAIN }, DOMAIN);
  assert.is(own.status, 200, JSON.stringify(own));
  const otherSni = await ask('https', { host: 'attacker.example' }, 'attacker.example');
  assert.is(otherSni.status, undefined, `another name was served: ${JSON.stringify(otherSni)}`);
  const otherHost = await ask('https', { host: 'attacker.example' }, DOMAIN);
  assert.is(otherHost.status, undefined, `another Host header was served: ${JSON.stringify(otherHost)}`);
});

live('the app sees the site\'s own host and the connection\'s address, not a client-sent X-Forwarded-For', async () => {
  const r = await ask('https', { host: `${DOMAIN}:443`, 'x-forwarded-for': '203.0.113.66' }, DOMAIN);
  assert.is(r.status, 200, JSON.stringify(r));
  const seen = JSON.parse(r.body ?? '{}') as { host?: string; xff?: string; realIp?: string };
  assert.is(seen.host, DOMAIN);
  assert.is(seen.xff, '127.0.0.1');
  assert.is(seen.realIp, '127.0.0.1');
  assert.not.match(readFileSync(join(dir, 'sites.conf'), 'utf8'), /\$proxy_add_x_forwarded_for/);
});

test.run();
