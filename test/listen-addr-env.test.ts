/**
 * An app that reads its listen address (host:port) from a variable of its own whose default is
 * loopback (a real-repo pattern: miniflux's LISTEN_ADDR, default 127.0.0.1:8080). PORT does not
 * move it: the container's app would answer its own HEALTHCHECK and nothing through the published
 * port. Detection (Go) finds the variable, the config carries it (`listenAddrEnv`), and every place
 * the kit sets PORT sets it to 0.0.0.0:<port>: the image of every stack, compose, .env.example,
 * the VPS scripts and unit. test/e2e-listen-addr.test.ts runs the image.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectGo } from '../stacks/go/detect.js';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';
import { cli, git, ROOT } from './_repo.js';
import { startColor as libStartColor } from './_lib-start.js';

const FIXTURE = join(ROOT, 'test/fixtures/e2e/go-listen-addr');
const GOMOD = 'module example.com/a\n\ngo 1.22\n';

function repo(main: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-listen-addr-'));
  writeFileSync(join(dir, 'go.mod'), GOMOD);
  writeFileSync(join(dir, 'main.go'), main);
  return dir;
}

const LOOPBACK_WARNING = /default listen address is loopback/;

test('Go: a variable whose default is the host:port the app listens on is its listenAddrEnv, and the loopback warning goes', async () => {
  const facts = (await detectGo(FIXTURE))!;
  assert.equal(facts.listenAddrEnv, {
    value: 'LISTEN_ADDR',
    evidence: 'main.go:13 addr := os.Getenv("LISTEN_ADDR") (default "127.0.0.1:8080", line 15)',
  });
  assert.is(facts.port?.value, 8080);
  assert.not.ok(facts.warnings.some((w) => LOOPBACK_WARNING.test(w)), facts.warnings.join('\n'));
});

test('Go patterns: a default on the same line (cmp.Or, an env struct tag), a settings table keyed by the name; none without a variable', async () => {
  const inline = repo('package main\n\nfunc main() {\n\taddr := cmp.Or(os.Getenv("HTTP_ADDR"), "localhost:9000")\n\thttp.ListenAndServe(addr, nil)\n}\n');
  assert.equal([(await detectGo(inline))!.listenAddrEnv?.value, (await detectGo(inline))!.port?.value], ['HTTP_ADDR', 9000]);

  const tag = repo('package main\n\ntype config struct {\n\tListen string `env:"BIND_ADDRESS" envDefault:"127.0.0.1:7000"`\n}\n\nfunc main() {}\n');
  assert.is((await detectGo(tag))!.listenAddrEnv?.value, 'BIND_ADDRESS');

  // miniflux's shape: the key, then the parsed and raw defaults a line or two below it.
  const table = [
    'package main',
    '',
    'var options = map[string]*option{',
    '\t"KEY_FILE": {',
    '\t\traw: "",',
    '\t},',
    '\t"LISTEN_ADDR": {',
    '\t\tparsed: []string{"127.0.0.1:8080"},',
    '\t\traw:    "127.0.0.1:8080",',
    '\t},',
    '}',
    '',
    'func main() {}',
    '',
  ].join('\n');
  const t = (await detectGo(repo(table)))!;
  assert.equal(t.listenAddrEnv, { value: 'LISTEN_ADDR', evidence: 'main.go:7 "LISTEN_ADDR": { (default "127.0.0.1:8080", line 8)' });
  assert.not.ok(t.warnings.some((w) => LOOPBACK_WARNING.test(w)));

  // Another setting's key between the name and the default: not the address's default.
  const other = (await detectGo(repo(table.replace('\t"LISTEN_ADDR": {\n', '\t"LISTEN_ADDR": {\n\t\traw: "",\n\t},\n\t"UPSTREAM": {\n'))))!;
  assert.is(other.listenAddrEnv, undefined);

  // A literal address with no variable: nothing for the kit to set; the warning stays.
  const literal = (await detectGo(repo('package main\n\nfunc main() {\n\thttp.ListenAndServe("127.0.0.1:8080", nil)\n}\n')))!;
  assert.is(literal.listenAddrEnv, undefined);
  assert.ok(literal.warnings.some((w) => LOOPBACK_WARNING.test(w)), literal.warnings.join('\n'));
});

test('init: the config carries listenAddrEnv, and the kit sets it to 0.0.0.0:<port> where it sets PORT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-listen-addr-'));
  cpSync(FIXTURE, dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const r = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.is(cli('deploy-kit', ['add', 'vps', '--domain', 'inbox.example.com'], dir).code, 0);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  assert.match(r.stdout, /address var\s+LISTEN_ADDR {2}\(main\.go:13 /);
  assert.not.match(r.stdout, LOOPBACK_WARNING);
  const config = read('deploy-kit.yaml');
  assert.match(config, /^ {4}port: 8080\n {4}listenAddrEnv: LISTEN_ADDR$/m);
  assert.match(read('Dockerfile'), /^ENV PORT=8080 \\\n {4}LISTEN_ADDR=0\.0\.0\.0:8080$/m);
  assert.match(read('compose.yaml'), /^ {6}PORT: "8080"\n {6}LISTEN_ADDR: "0\.0\.0\.0:8080"$/m);
  assert.match(read('.env.example'), /^LISTEN_ADDR=0\.0\.0\.0:8080$/m);
  assert.match(read('deploy/scripts/settings.sh'), /^: "\$\{APP_LISTEN_ADDR_ENV:="LISTEN_ADDR"\}"$/m);
  const name = /^name: (.+)$/m.exec(config)![1]!;
  assert.match(read(`deploy/systemd/${name}@.service`), / --env PORT=8080 --env LISTEN_ADDR=0\.0\.0\.0:8080 /);
});

test("every stack's image sets the address variable in the ENV that sets PORT; a static site refuses it", async () => {
  const apps = Object.entries(scenarios).filter(([, c]) => c.services.length === 1 && c.services[0]!.stack !== 'static' && c.services[0]!.kind !== 'static');
  const stacks = new Set<string>();
  for (const [name, config] of apps) {
    const s = config.services[0]!;
    if (stacks.has(`${s.stack} ${s.framework ?? ''} ${s.webFramework ?? ''}`)) continue;
    stacks.add(`${s.stack} ${s.framework ?? ''} ${s.webFramework ?? ''}`);
    const files = await renderScenario({ ...config, services: [{ ...s, listenAddrEnv: 'BIND_ADDR' }] });
    const dockerfile = files.find((f) => f.path === (s.path === '.' ? 'Dockerfile' : `${s.path}/Dockerfile`))?.content ?? '';
    const env = dockerfile
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((l) => /^ENV\s/.test(l));
    assert.ok(
      env.some((l) => new RegExp(`\\sPORT=${s.port}\\s`).test(`${l} `) && new RegExp(`\\sBIND_ADDR=0\\.0\\.0\\.0:${s.port}(\\s|$)`).test(l)),
      `${name} (${s.stack}): ${env.join('\n')}`,
    );
  }
  assert.ok(stacks.size >= 11, [...stacks].join(', '));
});

const startColor = (env: Record<string, string>) => libStartColor('inbox', 8080, env);

test("deploy.sh's docker run sets APP_LISTEN_ADDR_ENV to 0.0.0.0:APP_PORT, and refuses a name that is not a variable", () => {
  const set = startColor({ APP_LISTEN_ADDR_ENV: 'LISTEN_ADDR' });
  assert.is(set.code, 0, set.err);
  assert.match(set.err, /^run .*--env PORT=8080 .*--env LISTEN_ADDR=0\.0\.0\.0:8080 /m);
  const unset = startColor({});
  assert.is(unset.code, 0, unset.err);
  assert.not.match(unset.err, /LISTEN_ADDR/);
  const bad = startColor({ APP_LISTEN_ADDR_ENV: 'x;rm' });
  assert.is(bad.code, 2);
  assert.match(bad.err, /APP_LISTEN_ADDR_ENV must be a variable name/);
});

test.run();
