/**
 * A site whose packages bun installs (a Vite site, alone or in a bun workspace): the Bun stack's
 * `kind: static`, built by bun and served by nginx, as a Node-built site is. Detection, the config
 * init writes and the schema's rules for it, the kit's files and doctor's health-route advice.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isValidConfig } from '../src/config/load.js';
import { detectServices } from '../src/detect/services.js';
import { doctor } from '../src/doctor/index.js';
import { detectBun } from '../stacks/bun/detect.js';
import { scenarios } from './_scenarios.js';
import { cli, git, ROOT } from './_repo.js';

const fixture = (name: string): string => join(ROOT, 'test', 'fixtures', 'e2e', name);

const temps: string[] = [];
function copy(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `deploy-kit-${name}-`));
  temps.push(dir);
  cpSync(fixture(name), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}
test.after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('a Vite site bun installs is a static site of the Bun stack: no entry file, port or route asked of it', async () => {
  const bun = await detectBun(fixture('bun-vite-site'));
  assert.equal(bun?.kind, { value: 'static', evidence: 'package.json scripts.build: "vite build" (a Vite build emits static files)' });
  assert.equal(bun?.webFramework?.value, 'vite');
  assert.equal(bun?.outputDir?.value, 'dist');
  assert.equal(bun?.build?.value, 'bun run build');
  assert.is(bun?.start, undefined);
  assert.equal(bun?.warnings, []);
  const services = await detectServices(fixture('bun-vite-site'));
  assert.equal(
    services.map((s) => [s.stack, s.path, s.evidence]),
    [['bun', '.', 'static: package.json scripts.build: "vite build" (a Vite build emits static files); bun.lock present']],
  );
});

test('a site in a bun workspace builds from the root, where bun.lock is; the workspace package it imports is no service', async () => {
  const services = await detectServices(fixture('bun-vite-workspace'));
  assert.equal(
    services.map((s) => [s.stack, s.path]),
    [['bun', 'web']],
  );
  const web = await detectBun(fixture('bun-vite-workspace'), 'web');
  assert.equal(web?.workspaceRoot?.value, '.');
  assert.equal(web?.lockfile, { value: 'bun.lock', evidence: 'bun.lock present (workspace root)' });
  assert.equal(web?.outputDir, { value: 'build', evidence: "web/vite.config.js:4 build: { outDir: 'build' }," });
  // The server's advice (the image builds the member alone) is not for a site built from the root.
  assert.not.ok(web?.warnings.some((w) => /without the workspace's lockfile/.test(w)), web?.warnings.join('\n'));
});

test('a site built into another app (Vite outDir "../backend/app/frontend") is no service of its own, and init says why', async () => {
  const dir = copy('bun-vite-workspace');
  const config = join(dir, 'web', 'vite.config.js');
  writeFileSync(config, readFileSync(config, 'utf8').replace("outDir: 'build'", "outDir: '../backend/app/static'"));
  const warnings: string[] = [];
  assert.equal(await detectServices(dir, warnings), []);
  assert.equal(warnings, [
    "web: the site is built into backend/app/static, outside its own package (web/vite.config.js:4 build: { outDir: '../backend/app/static' }), " +
      'for the app there to serve; it is not deployed on its own, and the image of the app that serves it must run its build',
  ]);
  const web = await detectBun(dir, 'web');
  assert.not.ok(web?.warnings.some((w) => /no entry file|without the workspace's lockfile/.test(w)), web?.warnings.join('\n'));
});

test('the same for a site npm installs: a warning, where init used to stop on an outputDir with ".."', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-kit-npm-built-into-'));
  temps.push(dir);
  mkdirSync(join(dir, 'client'));
  writeFileSync(join(dir, 'client', 'package.json'), '{"name":"client","scripts":{"build":"vite build"},"devDependencies":{"vite":"^7.1.0"}}');
  writeFileSync(join(dir, 'client', 'package-lock.json'), '{}');
  writeFileSync(join(dir, 'client', 'vite.config.js'), "export default { build: { outDir: '../server/public' } };\n");
  const warnings: string[] = [];
  assert.equal(await detectServices(dir, warnings), []);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^client: the site is built into server\/public, outside its own package \(client\/vite\.config\.js:1 /);
});

test('init --yes: stack bun, kind static, a bun build stage and nginx as the non-root runtime', () => {
  const dir = copy('bun-vite-site');
  const init = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(init.code, 0, init.stderr);
  const yaml = readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8');
  assert.match(yaml, /^ {4}stack: bun\n {4}kind: static\n/m);
  assert.match(yaml, /^ {4}outputDir: dist$/m);
  assert.not.match(yaml, /^ {4}start:/m);
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^FROM oven\/bun:\d+\.\d+-slim AS base$/m);
  assert.match(dockerfile, /^RUN --mount=type=cache,target=\/root\/\.bun\/install\/cache bun install --frozen-lockfile$/m);
  assert.match(dockerfile, /^RUN bun run build$/m);
  assert.match(dockerfile, /^FROM nginx:\S+ AS runtime$/m);
  assert.match(dockerfile, /^COPY --from=build \/app\/dist \/usr\/share\/nginx\/html$/m);
  assert.match(dockerfile, /^USER 101:101$/m);
  assert.match(readFileSync(join(dir, 'nginx.conf'), 'utf8'), /location \^~ \/assets\/ \{/);
  const ci = readFileSync(join(dir, '.github', 'workflows', 'ci.yml'), 'utf8');
  assert.match(ci, /uses: oven-sh\/setup-bun@[0-9a-f]{40} /);
  assert.match(ci, /run: bun install --frozen-lockfile\n/);
});

test('init --yes on a bun workspace: the Dockerfile in web/, the context the root, the manifests stage keeps bun.lock', () => {
  const dir = copy('bun-vite-workspace');
  const init = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(init.code, 0, init.stderr);
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /^ {4}workspaceRoot: \.$/m);
  const dockerfile = readFileSync(join(dir, 'web', 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^# Build: {2}docker build -t \S+ -f web\/Dockerfile \.$/m);
  assert.match(dockerfile, /^RUN find \. -type f ! -name package\.json ! -name bun\.lock ! -name bun\.lockb ! -name bunfig\.toml -delete \\$/m);
  assert.match(dockerfile, /^COPY --from=manifests \/app \.\/\nRUN --mount=type=cache,\S+ bun install --frozen-lockfile\nCOPY \. \.\nWORKDIR \/app\/web\n/m);
  assert.match(dockerfile, /^COPY --from=build \/app\/web\/build \/usr\/share\/nginx\/html$/m);
  const ci = readFileSync(join(dir, '.github', 'workflows', 'ci.yml'), 'utf8');
  assert.match(ci, /working-directory: \.\n {8}run: bun install --frozen-lockfile\n/);
});

test('github-pages, vercel and netlify build with npm, pnpm or yarn: a bun site is refused there, saying where it can go', () => {
  const dir = copy('bun-vite-site');
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  for (const target of ['github-pages', 'vercel', 'netlify']) {
    const add = cli('deploy-kit', ['add', target, '--yes', ...(target === 'vercel' ? ['--domain', 'site.example.com'] : [])], dir);
    assert.is.not(add.code, 0, `${target}: ${add.stdout}`);
    assert.match(add.stderr, `service "app" is built by bun, and the ${target} target builds with npm, pnpm or yarn only`);
    assert.not.match(add.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.not.ok(existsSync(join(dir, '.github', 'workflows', 'pages.yml')), 'nothing written');
});

test('schema: a bun site needs its build and output, and takes no start; a bun server takes no site keys', () => {
  const site = scenarios['bun-vite-site']!;
  assert.ok(isValidConfig(site));
  const withService = (over: Record<string, unknown>, drop: string[] = []) => {
    const service: Record<string, unknown> = { ...site.services[0]!, ...over };
    for (const key of drop) delete service[key];
    return { ...site, services: [service] } as unknown as typeof site;
  };
  assert.not.ok(isValidConfig(withService({}, ['build'])), 'build is required');
  assert.not.ok(isValidConfig(withService({}, ['outputDir'])), 'outputDir is required');
  assert.not.ok(isValidConfig(withService({ start: 'bun run index.ts' })), 'nginx serves it: no start');
  assert.not.ok(isValidConfig(withService({ kind: 'ssr' })), 'bun has no ssr kind');
  assert.not.ok(isValidConfig(withService({ listenAddrEnv: 'LISTEN_ADDR' })), 'nginx listens where the kit says: no address variable');
  const server = scenarios['bun-elysia']!;
  assert.ok(isValidConfig(server));
  const serverWith = (over: Record<string, unknown>) => ({ ...server, services: [{ ...server.services[0]!, ...over }] }) as typeof server;
  assert.not.ok(isValidConfig(serverWith({ outputDir: 'dist' })), 'a server has no outputDir');
  assert.not.ok(isValidConfig(serverWith({ workspaceRoot: '.' })), 'a bun server builds alone');
});

test('doctor: a site nginx serves is not told to add a health route to its code', async () => {
  const { findings } = await doctor(copy('bun-vite-site'));
  assert.equal(
    findings.filter((f) => f.rule === 'app/no-health-route'),
    [],
  );
});

test.run();
