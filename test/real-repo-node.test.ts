/**
 * Node patterns seen on real repositories (docs/real-world.md): each runs init --yes on a small
 * fixture of our own and reads what it detected and wrote.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import type { DeployKitConfig } from '../src/config/types.js';
import { detectHealthPath } from '../stacks/node/detect-code.js';
import { detectNode } from '../stacks/node/detect.js';
import { detectServices } from '../src/detect/services.js';
import { addonsFromEnv } from '../src/config/from-detection.js';
import { detectEnvVars } from '../src/detect/env.js';
import { validateDockerfile } from '../src/validate/dockerfile.js';
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
  // umami's /api/heartbeat: a health route by another name.
  assert.is(health({ 'server.ts': "router.get('/api/heartbeat', ok);\n" }), '/api/heartbeat');
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

test('Prisma: schema before the install, generate after the sources, OpenSSL, migrate deploy as the release step, Postgres from the datasource', () => {
  const r = initFixture('express-prisma');
  assert.is(r.code, 0, r.stderr);
  const c = r.config();
  const s = c.services[0]!;
  assert.equal([s.prisma, s.migrate, s.healthPath], ['prisma/schema.prisma', 'node_modules/.bin/prisma migrate deploy', '/health']);
  assert.equal(c.addons, { postgres: true });
  assert.ok((c.env ?? []).some((e) => e.name === 'DATABASE_URL'));
  assert.match(r.stdout, /postgres: the code reads DATABASE_URL \(prisma\/schema\.prisma:7, a Prisma datasource with provider "postgresql"\)/);
  const dockerfile = r.read('Dockerfile');
  const at = (text: string) => dockerfile.indexOf(text);
  assert.ok(at('COPY prisma ./prisma') > 0 && at('COPY prisma ./prisma') < at('npm ci'), 'the schema is there for a postinstall generate');
  assert.ok(at('COPY . .') < at('RUN npx --no prisma generate') && at('RUN npx --no prisma generate') < at('npm prune --omit=dev'), dockerfile);
  assert.ok(at('install -y --no-install-recommends openssl') < at('FROM base AS build'), 'OpenSSL in the base both stages share');
  assert.equal(validateDockerfile('Dockerfile', dockerfile).filter((f) => f.severity === 'error'), []);
  assert.match(r.read('DEPLOY.md'), /docker compose run --rm app node_modules\/\.bin\/prisma migrate deploy/);
});

test('Prisma: a MySQL datasource is no Postgres; the CLI as a devDependency gets no migrate step, and a warning says why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-prisma-'));
  cpSync(join(ROOT, 'test/fixtures/express-prisma'), dir, { recursive: true });
  const schema = join(dir, 'prisma/schema.prisma');
  writeFileSync(schema, readFileSync(schema, 'utf8').replace('provider = "postgresql"', 'provider = "mysql"'));
  assert.equal(addonsFromEnv(await detectEnvVars(dir)).addons, {});
  type Pkg = { dependencies: Record<string, string>; devDependencies?: Record<string, string> };
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Pkg;
  pkg.devDependencies = { prisma: pkg.dependencies.prisma! };
  delete pkg.dependencies.prisma;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  const facts = (await detectNode(dir))!;
  assert.equal(facts.prisma?.value, { schema: 'prisma/schema.prisma', provider: 'mysql', migrations: true, cliInProd: false });
  assert.ok((facts.warnings ?? []).some((w) => /prisma is a devDependency, so the image has no Prisma CLI/.test(w)), (facts.warnings ?? []).join('\n'));
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(res.code, 0, res.stderr);
  const s = (parse(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8')) as DeployKitConfig).services[0]!;
  assert.equal([s.prisma, s.migrate], ['prisma/schema.prisma', undefined]);
});

test("Nuxt 2 with target: 'static': a site nuxt generate writes to dist/, not Nuxt 3's Nitro server; a Nuxt 2 server says what to change", async () => {
  const r = initFixture('nuxt2-static');
  assert.is(r.code, 0, r.stderr);
  const s = r.config().services[0]!;
  assert.equal([s.kind, s.webFramework, s.outputDir, s.build], ['static', 'nuxt', 'dist', 'npm run generate']);
  assert.not.match(r.read('Dockerfile'), /\.output/);
  const dir = mkdtempSync(join(tmpdir(), 'dk-nuxt2-'));
  cpSync(join(ROOT, 'test/fixtures/nuxt2-static'), dir, { recursive: true });
  writeFileSync(join(dir, 'nuxt.config.js'), 'export default { head: { title: "Recipes" } };\n');
  const facts = (await detectNode(dir))!;
  assert.is(facts.outputDir, undefined);
  assert.ok((facts.warnings ?? []).some((w) => /a Nuxt 2 server \(nuxt start\).*target: 'static'/.test(w)), (facts.warnings ?? []).join('\n'));
});


test("a workspace root whose start is `turbo run start` is no service; nor a VS Code extension, an Expo app, a Next.js helper package the site imports", () => {
  const r = initFixture('workspace-delegates');
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.config().services.map((s) => s.path),
    ['apps/api', 'apps/site'],
  );
  const root = /the repository root is no service of its own: package\.json scripts\.start: "turbo run start" runs its workspace packages' scripts \(turbo\)/;
  assert.match(r.stdout, root);
  assert.match(r.stdout, /apps\/editor-ext is a VS Code extension \(apps\/editor-ext\/package\.json engines\.vscode: "\^1\.100\.0"\)/);
  assert.match(r.stdout, /apps\/phone is a mobile app \(apps\/phone\/package\.json dependencies\.expo/);
  assert.not.match(r.stdout + r.stderr, /no start command found/);
});

test("the port through other variables (`process.env.PORT || process.env.ALT_PORT || 4100`), not a mail relay's `port: 465`", async () => {
  const facts = (await detectNode(join(ROOT, 'test/fixtures/workspace-delegates'), 'apps/api'))!;
  assert.is(facts.port?.value, 4100);
  assert.match(facts.port?.evidence ?? '', /^apps\/api\/src\/server\.js:5 /);
  assert.ok(!(facts.warnings ?? []).some((w) => /several ports/.test(w)), (facts.warnings ?? []).join('\n'));
});

test('Next.js static export: nginx serves out/, the directory next build exports to (not dist/)', () => {
  const r = initFixture('workspace-delegates');
  const site = r.config().services.find((s) => s.path === 'apps/site')!;
  assert.equal([site.kind, site.webFramework, site.outputDir], ['static', 'next', 'out']);
  assert.match(r.read('apps/site/Dockerfile'), /^COPY --from=build \/app\/apps\/site\/out \/usr\/share\/nginx\/html$/m);
});


test('a workspace member importing a workspace package that builds (main: dist/): that package builds first, pnpm, npm and yarn', async () => {
  const r = initFixture('workspace-delegates');
  const api = r.config().services.find((s) => s.path === 'apps/api')!;
  assert.is(api.build, 'pnpm --filter @notebook/shared run build');
  // pnpm prune in a workspace left the members without their dependencies (and stops without a TTY since pnpm 10.16):
  // a production install of the workspace from the store instead.
  const run = /^RUN --mount=type=cache,target=\/root\/\.local\/share\/pnpm\/store pnpm --filter @notebook\/shared run build \\\n/m;
  assert.match(r.read('apps/api/Dockerfile'), run);
  assert.match(r.read('apps/api/Dockerfile'), /^ && cd \/app && CI=true pnpm install --frozen-lockfile --prod --prefer-offline$/m);
  // npm and yarn have no dependency order of their own: one build per package, dependencies first.
  const dir = mkdtempSync(join(tmpdir(), 'dk-ws-deps-'));
  const write = (file: string, pkg: object) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), JSON.stringify(pkg));
  };
  write('package.json', { name: 'ws', private: true, workspaces: ['apps/*', 'libs/*'], dependencies: { '@ws/base': '*' } });
  write('package-lock.json', { lockfileVersion: 3 });
  write('apps/web/package.json', { name: '@ws/web', scripts: { build: 'vite build' }, dependencies: { '@ws/ui': '*', vite: '^6.0.0' } });
  write('libs/ui/package.json', { name: '@ws/ui', main: 'dist/index.js', scripts: { build: 'tsc' }, dependencies: { '@ws/tokens': '*' } });
  write('libs/tokens/package.json', { name: '@ws/tokens', main: 'dist/index.js', scripts: { build: 'tsc' } });
  write('libs/base/package.json', { name: '@ws/base', main: 'dist/index.js', scripts: { build: 'tsc' } });
  write('libs/plain/package.json', { name: '@ws/plain', main: 'index.js' });
  const npm = await detectNode(dir, 'apps/web');
  const chain = 'npm run build --workspace=@ws/tokens && npm run build --workspace=@ws/ui && npm run build --workspace=@ws/base && npm run build';
  assert.is(npm?.build?.value, chain);
  writeFileSync(join(dir, 'yarn.lock'), '');
  rmSync(join(dir, 'package-lock.json'));
  const yarn = await detectNode(dir, 'apps/web');
  assert.is(yarn?.build?.value, 'yarn workspace @ws/tokens run build && yarn workspace @ws/ui run build && yarn workspace @ws/base run build && yarn build');
});


test("NestJS's ConfigService: the upper-case keys it gets are env vars; a namespace's lower-case setting is not", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-nest-config-'));
  const service = [
    "import { ConfigService } from '@nestjs/config';",
    'export class EnvironmentService {',
    '  constructor(private configService: ConfigService) {}',
    "  secret() { return this.configService.get<string>('APP_SECRET'); }",
    "  url() { return this.configService.getOrThrow('DATABASE_URL'); }",
    "  host() { return this.configService.get('database.host'); }",
    '}',
  ].join('\n');
  writeFileSync(join(dir, 'environment.service.ts'), service);
  const names = (await detectEnvVars(dir)).map((v) => v.name);
  assert.equal(names, ['APP_SECRET', 'DATABASE_URL']);
});


test('a Yarn Berry workspace: one refusal naming the workspace and all its packages, not "leave this one out"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-berry-ws-'));
  const write = (file: string, text: string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  write('package.json', JSON.stringify({ name: 'links', private: true, packageManager: 'yarn@4.12.0', workspaces: ['apps/*'] }));
  write('yarn.lock', '__metadata:\n  version: 8\n');
  for (const app of ['web', 'worker']) {
    write(`apps/${app}/package.json`, JSON.stringify({ name: `@links/${app}`, scripts: { start: 'node index.js' }, dependencies: { express: '^5.1.0' } }));
    write(`apps/${app}/index.js`, "require('express')().listen(process.env.PORT || 3000);\n");
  }
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const r = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stderr, /package\.json packageManager: "yarn@4\.12\.0": the Yarn workspace at the repository root installs with Yarn Berry \(2\+\)/);
  assert.match(r.stderr, /none of its packages \(apps\/web, apps\/worker\) can get a kit\. Move the workspace to one of those/);
  assert.not.match(r.stderr, /leave it out with --services|\n\s+at /);
});


test('start runs scripts before the server (`npm run scss && node app.js`): the image runs node app.js, its build runs the scripts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-prelude-'));
  const detect = async (scripts: Record<string, string>) => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'starter', scripts, dependencies: { express: '^5.1.0' } }));
    const facts = (await detectNode(dir))!;
    return [facts.start?.value, facts.build?.value, facts.kind?.value];
  };
  writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion": 3}');
  assert.equal(await detect({ scss: 'sass public/css', start: 'npm run scss && node app.js' }), ['node app.js', 'npm run scss', 'server']);
  // A build script of its own is the build; start's `npm run build` is that same build.
  assert.equal(await detect({ build: 'tsc', start: 'npm run build && node dist/server.js' }), ['node dist/server.js', 'npm run build', 'server']);
  // A script package.json does not have, or a step that is not a script: no start command guessed.
  assert.equal((await detect({ start: 'npm run missing && node app.js' }))[0], undefined);
  assert.equal((await detect({ start: 'rm -rf tmp && node app.js' }))[0], undefined);
});


test('an older repo: pnpm 8 for a lockfileVersion 6.0 pnpm-lock.yaml, and Node 16 or 18 on bookworm (they have no trixie images)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-old-node-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'old', scripts: { start: 'node server.js' }, dependencies: { express: '^4.18.0' } }));
  writeFileSync(join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '6.0'\n\ndependencies:\n  express:\n    specifier: ^4.18.0\n    version: 4.18.2\n");
  writeFileSync(join(dir, '.nvmrc'), 'v16.18.0\n');
  writeFileSync(join(dir, 'server.js'), "require('express')().listen(process.env.PORT || 3000);\n");
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const r = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^FROM node:16-bookworm-slim AS base$/m);
  assert.match(dockerfile, /npm install --global --no-fund --no-audit pnpm@8$/m);
  assert.match(readFileSync(join(dir, '.github/workflows/ci.yml'), 'utf8'), /version: "8"/);
  const again = cli('deploy-kit', ['init', '--yes', '--force', '--node-version', '18'], dir);
  assert.is(again.code, 0, again.stderr);
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /^FROM node:18-bookworm-slim AS base$/m);
});


test("dependency patches the install applies are in the image before it: pnpm's patchedDependencies, patch-package's patches/", () => {
  const r = initFixture('workspace-delegates');
  assert.is(r.config().services.find((s) => s.path === 'apps/api')!.patches, 'patches');
  assert.match(r.stdout, /patches +patches\/ copied before the install +\(pnpm-workspace\.yaml patchedDependencies: patches\/nodemailer@7\.0\.0\.patch\)/);
  assert.match(r.read('apps/api/Dockerfile'), /^RUN find \. -type f .* ! -path '\.\/patches\/\*' -delete \\$/m);
  const dir = mkdtempSync(join(tmpdir(), 'dk-patch-package-'));
  const scripts = { postinstall: 'patch-package --patch-dir fixes/', start: 'node app.js' };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'patched', scripts, dependencies: { express: '^5.1.0', 'patch-package': '^8.0.0' } }));
  writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion": 3}');
  writeFileSync(join(dir, 'app.js'), "require('express')().listen(process.env.PORT || 3000);\n");
  mkdirSync(join(dir, 'fixes'));
  writeFileSync(join(dir, 'fixes/express+5.1.0.patch'), '');
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const plain = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(plain.code, 0, plain.stderr);
  const copied = /^COPY package\.json package-lock\.json \.\/\n# The dependency patches the install applies\.\nCOPY fixes \.\/fixes\nRUN /m;
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), copied);
});


test("a site the API serves from its build output (join(__dirname, '..', '..', 'web', 'dist')) is built in the API's image, no service", () => {
  const r = initFixture('workspace-serves-site');
  assert.is(r.code, 0, r.stderr);
  const services = r.config().services;
  assert.equal(services.map((s) => [s.path, s.build]), [['apps/api', 'npm run build --workspace=@ledger/web']]);
  assert.match(r.stdout, /apps\/web: the site is served by apps\/api from its build output \(apps\/api\/src\/main\.js:7 const site = /);
  assert.match(r.read('apps/api/Dockerfile'), /^RUN npm run build --workspace=@ledger\/web \\\n && cd \/app && npm prune --omit=dev$/m);
  // The workspace root holds the packages: no "no start command" for it.
  assert.not.match(r.stdout, /no start command/);
});


test("NestJS: a controller's health route under app.setGlobalPrefix('api'), unless the prefix excludes it", () => {
  const at = (f: string) => `apps/server/${f}`;
  const health = (main: string) =>
    detectHealthPath(
      [
        { path: 'src/main.ts', text: main },
        { path: 'src/health/health.controller.ts', text: "@Controller('health')\nexport class HealthController {}\n" },
      ],
      at,
    );
  const prefixed = health("const app = await NestFactory.create(AppModule);\napp.setGlobalPrefix('api', {\n  exclude: ['robots.txt'],\n});\n");
  assert.is(prefixed?.value, '/api/health');
  assert.match(prefixed?.evidence ?? '', /under the global prefix: apps\/server\/src\/main\.ts:2 /);
  assert.is(health("app.setGlobalPrefix('/v1', { exclude: ['health'] });\n")?.value, '/health');
  assert.is(health('await app.listen(3000);\n')?.value, '/health');
});


test('Next.js with @t3-oss/env validating server secrets at build time: said, with the fix; not once it can skip', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-t3-env-'));
  const pkg = { name: 't3', scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '16.0.0', '@t3-oss/env-nextjs': '^0.13.0' } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion": 3}');
  writeFileSync(join(dir, 'next.config.mjs'), "import './src/env.mjs';\nexport default { output: 'standalone' };\n");
  mkdirSync(join(dir, 'src'));
  const schema = (extra: string) =>
    `import { createEnv } from '@t3-oss/env-nextjs';\nexport const env = createEnv({\n  server: { DATABASE_URL: z.string() },${extra}\n});\n`;
  writeFileSync(join(dir, 'src/env.mjs'), schema(''));
  const warned = (await detectNode(dir))!.warnings ?? [];
  assert.ok(warned.some((w) => /^src\/env\.mjs validates the server's variables with @t3-oss\/env .*SKIP_ENV_VALIDATION/.test(w)), warned.join('\n'));
  // create-t3-app's schema skips on SKIP_ENV_VALIDATION: the build stage sets it, and says nothing.
  writeFileSync(join(dir, 'src/env.mjs'), schema('\n  skipValidation: !!process.env.SKIP_ENV_VALIDATION,'));
  assert.not.ok(((await detectNode(dir))!.warnings ?? []).some((w) => /t3-oss/.test(w)));
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const r = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  const build = readFileSync(join(dir, 'Dockerfile'), 'utf8').split('FROM base AS runtime')[0] ?? '';
  assert.match(build, /^ENV SKIP_ENV_VALIDATION=1\n(?:.*\n)*RUN npm run build/m);
});


test("a root whose start is `yarn --cwd ./app start` or `cd server && npm start` is no service; a workspace's examples/ are samples", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-cwd-'));
  const write = (file: string, value: object | string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), typeof value === 'string' ? value : JSON.stringify(value));
  };
  const root = { name: 'board', private: true, workspaces: ['board-app', 'examples/*'], scripts: { start: 'yarn --cwd ./board-app start' } };
  write('package.json', { ...root, devDependencies: { vite: '^7.0.0' } });
  write('yarn.lock', '');
  // vite is the root's devDependency; the app's build runs it through another script.
  const appScripts = { 'build:app': 'vite build', build: 'yarn build:app && node version.js', start: 'yarn && vite' };
  write('board-app/package.json', { name: 'board-app', scripts: appScripts });
  write('board-app/index.html', '<!doctype html><title>board</title>');
  write('examples/with-next/package.json', { name: 'with-next', scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '16.0.0' } });
  const services = await detectServices(dir);
  assert.equal(services.map((s) => [s.path, s.stack === 'node' ? s.facts.kind?.value : '']), [['board-app', 'static']]);
  const rootFacts = (await detectNode(dir))!;
  assert.is(rootFacts.delegatesStart?.value, 'runs the package in board-app');
  write('package.json', { name: 'site', private: true, scripts: { start: 'cd server && npm start' } });
  assert.is((await detectNode(dir))!.delegatesStart, undefined, 'no server/ with a package.json: nothing to hand over to');
  write('server/package.json', { name: 'server', scripts: { start: 'node index.js' }, dependencies: { express: '^5.1.0' } });
  assert.is((await detectNode(dir))!.delegatesStart?.value, 'runs the package in server');
});

test.run();
