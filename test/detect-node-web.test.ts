import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixture, scratch } from './_scratch.js';
import { detectNode } from '../src/detect/index.js';

const example = fileURLToPath(new URL('../examples/express-api', import.meta.url));
const dirs = scratch('web');
const { copy, write, editJson } = dirs;
test.after(dirs.cleanup);

// ---------------------------------------------------------------- SSR

test('Next.js with output: standalone: ssr, node server.js on 3000, HOSTNAME, health from a route file', async () => {
  const node = await detectNode(fixture('next-standalone'));
  assert.ok(node);
  assert.equal(node.webFramework, { value: 'next', evidence: 'package.json dependencies.next: "14.2.5"' });
  assert.equal(node.kind, { value: 'ssr', evidence: 'package.json dependencies.next: "14.2.5" (Next.js renders on a Node server)' });
  assert.equal(node.nextOutput, { value: 'standalone', evidence: "next.config.mjs:4 output: 'standalone'," });
  assert.equal(node.start, { value: 'node server.js', evidence: "next.config.mjs:4 output: 'standalone', (the standalone build's server.js)" });
  assert.is(node.outputDir?.value, '.next/standalone');
  assert.equal(node.port, { value: 3000, evidence: 'the Next.js server listens on $PORT, default 3000' });
  assert.is(node.hostEnv?.value, 'HOSTNAME');
  assert.equal(node.healthPath, { value: '/api/health', evidence: 'app/api/health/route.ts (route file)' });
  assert.is(node.framework, undefined, 'Next.js is not one of the server frameworks');
  // `next start` is not a plain node command, but the framework's start replaces it: nothing to warn about.
  assert.equal(node.warnings, []);
});

test('Next.js without output: standalone is warned about, and the fact says it is unset', async () => {
  const dir = copy('next-standalone');
  write(dir, 'next.config.mjs', 'export default { reactStrictMode: true };\n');
  const node = await detectNode(dir);
  assert.equal(node?.nextOutput, { value: 'default', evidence: 'next.config.mjs sets no output' });
  assert.is(node?.kind?.value, 'ssr');
  assert.match(node?.start?.evidence ?? '', /once next\.config\.mjs sets output: 'standalone'/);
  assert.is(node?.warnings?.length, 1, String(node?.warnings));
  assert.match(node?.warnings?.[0] ?? '', /^next\.config\.mjs does not set output: 'standalone'/);

  unlinkSync(join(dir, 'next.config.mjs'));
  const bare = await detectNode(dir);
  assert.equal(bare?.nextOutput, { value: 'default', evidence: 'no next.config.* next to package.json' });
  assert.match(bare?.warnings?.[0] ?? '', /there is no next\.config\.\*/);
});

test('Next.js output: export is a static site in out/ (or distDir); `next start -p` sets the port', async () => {
  const dir = copy('next-standalone');
  write(dir, 'next.config.mjs', "export default {\n  output: 'export',\n};\n");
  const exported = await detectNode(dir);
  assert.equal(exported?.kind?.value, 'static');
  assert.equal(exported?.nextOutput, { value: 'export', evidence: "next.config.mjs:2 output: 'export'," });
  assert.equal(exported?.outputDir?.value, 'out');
  assert.is(exported?.start, undefined);
  assert.is(exported?.port, undefined, 'a static site has no port of its own');

  write(dir, 'next.config.mjs', "export default {\n  output: 'export',\n  distDir: 'site',\n};\n");
  assert.equal((await detectNode(dir))?.outputDir, { value: 'site', evidence: "next.config.mjs:3 distDir: 'site'," });

  const ported = copy('next-standalone');
  editJson(ported, 'package.json', (p) => (p.scripts = { build: 'next build', start: 'next start -p 4000' }));
  assert.equal((await detectNode(ported))?.port, { value: 4000, evidence: 'package.json scripts.start: "next start -p 4000"' });
});

test('Nuxt: the Nitro server in .output, port 3000 (not the dev server port), pnpm, server/api health route', async () => {
  const node = await detectNode(fixture('nuxt-ssr'));
  assert.ok(node);
  assert.is(node.packageManager.value, 'pnpm');
  assert.equal(node.webFramework, { value: 'nuxt', evidence: 'package.json dependencies.nuxt: "^3.12.4"' });
  assert.is(node.kind?.value, 'ssr');
  assert.equal(node.start, { value: 'node .output/server/index.mjs', evidence: 'nuxt build emits .output/server/index.mjs' });
  assert.is(node.outputDir?.value, '.output');
  // nuxt.config.ts has devServer: { port: 3001 }: the dev server's, not production's.
  assert.equal(node.port, { value: 3000, evidence: 'the Nitro server listens on $NITRO_PORT or $PORT, default 3000' });
  assert.is(node.hostEnv?.value, 'HOST');
  assert.equal(node.healthPath, { value: '/api/healthz', evidence: 'server/api/healthz.get.ts (route file)' });
  assert.equal(node.warnings, []);
});

test('Nuxt built with `nuxt generate` is static in .output/public', async () => {
  const dir = copy('nuxt-ssr');
  editJson(dir, 'package.json', (p) => (p.scripts = { build: 'nuxt generate' }));
  const node = await detectNode(dir);
  assert.is(node?.kind?.value, 'static');
  assert.equal(node?.outputDir, { value: '.output/public', evidence: 'nuxt generate writes .output/public (package.json scripts.build: "nuxt generate")' });
  assert.is(node?.start, undefined);
});

test('Remix on remix-serve: exec-form start from the node_modules bin, port 3000, flat-route health', async () => {
  const node = await detectNode(fixture('remix-serve'));
  assert.ok(node);
  assert.equal(node.webFramework, { value: 'remix', evidence: 'package.json devDependencies.@remix-run/dev: "^2.11.1"' });
  assert.is(node.kind?.value, 'ssr');
  assert.equal(node.start, {
    value: 'node_modules/.bin/remix-serve ./build/server/index.js',
    evidence: 'package.json scripts.start: "remix-serve ./build/server/index.js"',
  });
  assert.equal(node.port, { value: 3000, evidence: 'remix-serve listens on $PORT, default 3000' });
  assert.equal(node.outputDir, { value: 'build', evidence: 'Remix (Vite) writes build/server and build/client' });
  assert.equal(node.healthPath, { value: '/healthcheck', evidence: 'app/routes/healthcheck.tsx (route file)' });
  assert.equal(node.warnings, []);
});

test('Remix with a custom Express server: its start script and the port in its code win', async () => {
  const dir = copy('remix-serve');
  editJson(dir, 'package.json', (p) => {
    p.scripts = { build: 'remix vite:build', start: 'node server.js' };
    p.dependencies = { ...(p.dependencies as object), express: '^4.19.2' };
  });
  write(dir, 'server.js', "import express from 'express';\nconst app = express();\napp.listen(process.env.PORT || 8080);\n");
  const node = await detectNode(dir);
  assert.is(node?.kind?.value, 'ssr');
  assert.equal(node?.start, { value: 'node server.js', evidence: 'package.json scripts.start: "node server.js"' });
  assert.equal(node?.port, { value: 8080, evidence: 'server.js:3 app.listen(process.env.PORT || 8080);' });
  assert.is(node?.hostEnv, undefined, "remix-serve's HOST does not apply to a custom server");
});

test('React Router 7 framework mode: react-router-serve, yarn classic; SPA mode is static', async () => {
  const node = await detectNode(fixture('react-router-serve'));
  assert.ok(node);
  assert.equal(node.webFramework, { value: 'react-router', evidence: 'package.json devDependencies.@react-router/dev: "^7.0.2"' });
  assert.is(node.kind?.value, 'ssr');
  assert.equal(node.start, {
    value: 'node_modules/.bin/react-router-serve ./build/server/index.js',
    evidence: 'package.json scripts.start: "react-router-serve ./build/server/index.js"',
  });
  assert.is(node.port?.value, 3000);
  assert.is(node.yarnFlavor?.value, 'classic');
  assert.is(node.healthPath, undefined);

  const dir = copy('react-router-serve');
  write(dir, 'react-router.config.ts', 'export default {\n  ssr: false,\n};\n');
  const spa = await detectNode(dir);
  assert.equal(spa?.kind, { value: 'static', evidence: 'react-router.config.ts:2 ssr: false, (SPA mode: no server at run time)' });
  assert.is(spa?.outputDir?.value, 'build/client');
});

test('React Router without @react-router/serve or a start script: a warning, no start', async () => {
  const dir = copy('react-router-serve');
  editJson(dir, 'package.json', (p) => {
    p.scripts = { build: 'react-router build' };
    p.dependencies = { 'react-router': '^7.0.2' };
  });
  const node = await detectNode(dir);
  assert.is(node?.start, undefined);
  assert.ok(node?.warnings?.some((w) => w.includes('without @react-router/serve')), String(node?.warnings));
  assert.not.ok(node?.warnings?.some((w) => w.startsWith('no start command')), 'the framework warning replaces the generic one');
});

test('SvelteKit with adapter-node: node <out>, port 3000, +server.ts health route', async () => {
  const node = await detectNode(fixture('sveltekit-node'));
  assert.ok(node);
  assert.equal(node.webFramework, { value: 'sveltekit', evidence: 'package.json devDependencies.@sveltejs/kit: "^2.5.20"' });
  assert.equal(node.kind, { value: 'ssr', evidence: "svelte.config.js:1 import adapter from '@sveltejs/adapter-node'; (adapter-node builds a Node server)" });
  assert.equal(node.outputDir, { value: 'server-build', evidence: "svelte.config.js:6 adapter: adapter({ out: 'server-build' })," });
  assert.is(node.start?.value, 'node server-build');
  assert.equal(node.port, { value: 3000, evidence: 'the adapter-node server listens on $PORT, default 3000' });
  assert.equal(node.healthPath, { value: '/healthz', evidence: 'src/routes/healthz/+server.ts (route file)' });
  assert.equal(node.warnings, []);
});

test('SvelteKit with adapter-auto cannot run in a container: warned, no kind; adapter-static is a static site', async () => {
  const dir = copy('sveltekit-node');
  write(dir, 'svelte.config.js', "import adapter from '@sveltejs/adapter-auto';\nexport default { kit: { adapter: adapter() } };\n");
  const auto = await detectNode(dir);
  assert.is(auto?.kind, undefined);
  assert.is(auto?.webFramework?.value, 'sveltekit');
  assert.ok(
    auto?.warnings?.some((w) => w.startsWith("svelte.config.js:1 import adapter from '@sveltejs/adapter-auto'") && w.includes('adapter-node')),
    String(auto?.warnings),
  );

  write(dir, 'svelte.config.js', "import adapter from '@sveltejs/adapter-static';\nexport default { kit: { adapter: adapter({ pages: 'public' }) } };\n");
  const stat = await detectNode(dir);
  assert.is(stat?.kind?.value, 'static');
  assert.equal(stat?.outputDir, { value: 'public', evidence: "svelte.config.js:2 export default { kit: { adapter: adapter({ pages: 'public' }) } };" });
});

test('Astro with @astrojs/node: entry.mjs, server.port from the config, src/pages health endpoint', async () => {
  const node = await detectNode(fixture('astro-ssr'));
  assert.ok(node);
  assert.is(node.webFramework?.value, 'astro');
  assert.equal(node.kind, { value: 'ssr', evidence: "astro.config.mjs:2 import node from '@astrojs/node'; (the @astrojs/node adapter builds a Node server)" });
  assert.is(node.start?.value, 'node ./dist/server/entry.mjs');
  assert.equal(node.port, {
    value: 4000,
    evidence: 'astro.config.mjs:7 server: { port: 4000 }, (the @astrojs/node server listens on $PORT, else server.port)',
  });
  assert.is(node.hostEnv?.value, 'HOST');
  assert.equal(node.healthPath, { value: '/api/health', evidence: 'src/pages/api/health.ts (route file)' });
  assert.equal(node.warnings, []);
});

test('Astro: 4321 by default; middleware mode and server output without an adapter are warned about', async () => {
  const dir = copy('astro-ssr');
  write(dir, 'astro.config.mjs', "import node from '@astrojs/node';\nexport default {\n  output: 'server',\n  adapter: node({ mode: 'middleware' }),\n};\n");
  const middleware = await detectNode(dir);
  assert.equal(middleware?.port, { value: 4321, evidence: 'the @astrojs/node standalone server listens on $PORT, default 4321' });
  assert.ok(middleware?.warnings?.some((w) => w.startsWith("astro.config.mjs:4 adapter: node({ mode: 'middleware' }),")), String(middleware?.warnings));

  const bare = copy('astro-static');
  write(bare, 'astro.config.mjs', "export default {\n  output: 'server',\n};\n");
  const noAdapter = await detectNode(bare);
  assert.is(noAdapter?.kind, undefined);
  assert.ok(
    noAdapter?.warnings?.some((w) => w.startsWith("astro.config.mjs:2 output: 'server',: Astro server output needs an adapter")),
    String(noAdapter?.warnings),
  );
});

// ---------------------------------------------------------------- static

test('Astro without an adapter: static, outDir from the config', async () => {
  const node = await detectNode(fixture('astro-static'));
  assert.equal(node?.kind, { value: 'static', evidence: 'package.json dependencies.astro: "^4.13.1" (no adapter: Astro builds a static site)' });
  assert.equal(node?.outputDir, { value: 'site', evidence: "astro.config.mjs:5 outDir: './site'," });
  assert.is(node?.start, undefined);
  assert.equal(node?.warnings, []);
});

test('Vite SPA: build.outDir from vite.config; the dev server port is not the app port', async () => {
  const node = await detectNode(fixture('vite-spa'));
  assert.ok(node);
  assert.equal(node.webFramework, { value: 'vite', evidence: 'package.json devDependencies.vite: "^5.4.0"' });
  assert.equal(node.kind, { value: 'static', evidence: 'package.json scripts.build: "tsc -b && vite build" (a Vite build emits static files)' });
  assert.equal(node.outputDir, { value: 'www', evidence: "vite.config.ts:8 outDir: 'www'," });
  assert.is(node.port, undefined, 'server: { port: 5173 } is the dev server');
  assert.is(node.start, undefined);
  assert.equal(node.warnings, [], 'no "no start command" warning for a static site');
});

test('Vite: dist/ by default; library mode is a package; vite pulled in only for tests is no site', async () => {
  const dir = copy('vite-spa');
  write(dir, 'vite.config.ts', "export default { plugins: [] };\n");
  assert.equal((await detectNode(dir))?.outputDir, { value: 'dist', evidence: 'vite build writes dist/ by default (no build.outDir)' });

  write(dir, 'vite.config.ts', "export default {\n  build: {\n    lib: { entry: 'src/index.ts' },\n  },\n};\n");
  const lib = await detectNode(dir);
  assert.is(lib?.kind, undefined);
  assert.is(lib?.webFramework, undefined);

  const api = copy();
  write(api, 'package.json', JSON.stringify({ scripts: { test: 'vitest' }, devDependencies: { vite: '^5.4.0', vitest: '^2.0.0' } }));
  assert.is((await detectNode(api))?.webFramework, undefined);
});

test('Docusaurus, Gatsby and Create React App: static sites in build/, public/, build/', async () => {
  const cases: Array<[string, string, string, string]> = [
    ['docusaurus-site', 'docusaurus', 'build', 'package.json dependencies.@docusaurus/core: "3.4.0" (Docusaurus builds to build/; no server at run time)'],
    ['gatsby-site', 'gatsby', 'public', 'package.json dependencies.gatsby: "^5.13.7" (Gatsby builds to public/; no server at run time)'],
    ['cra-app', 'cra', 'build', 'package.json dependencies.react-scripts: "5.0.1" (Create React App builds to build/; no server at run time)'],
  ];
  for (const [name, framework, outputDir, kindEvidence] of cases) {
    const node = await detectNode(fixture(name));
    assert.is(node?.webFramework?.value, framework, name);
    assert.equal(node?.kind, { value: 'static', evidence: kindEvidence }, name);
    assert.is(node?.outputDir?.value, outputDir, name);
    // Their `start` scripts run dev servers (docusaurus start, gatsby develop, react-scripts start).
    assert.is(node?.start, undefined, name);
    assert.equal(node?.warnings, [], name);
  }
});

// ---------------------------------------------------------------- server, library, ambiguity

test('kind server: from a start script, a server framework, or main', async () => {
  assert.equal((await detectNode(example))?.kind, {
    value: 'server',
    evidence: 'package.json scripts.start: "node src/server.js" (a Node process serves the app)',
  });
  // bun-hono's "module" field is bun's entry point, not a library marker.
  assert.equal((await detectNode(fixture('bun-hono')))?.kind, { value: 'server', evidence: 'package.json dependencies.hono: "^4.5.0" (a server framework)' });
  assert.equal((await detectNode(fixture('no-lockfile')))?.kind, {
    value: 'server',
    evidence: 'package.json main: "index.js" (a Node process serves the app)',
  });
  assert.is((await detectNode(fixture('no-lockfile')))?.webFramework, undefined);
});

test('kind server from a start script that is not a plain node command; no start fact, the warning stays', async () => {
  const node = await detectNode(fixture('nvmrc-lts'));
  assert.equal(node?.kind, {
    value: 'server',
    evidence: 'package.json scripts.start: "npm run build && node dist/server.js" (it runs the app, though not as a plain node command)',
  });
  assert.is(node?.start, undefined);
  assert.ok(node?.warnings?.some((w) => w.startsWith('no start command found in package.json')), String(node?.warnings));
});

test('a library (exports, types, peerDependencies...) has no kind even with a framework dependency', async () => {
  const dir = copy();
  write(
    dir,
    'package.json',
    JSON.stringify({ name: '@acme/hono-client', main: 'dist/index.js', exports: './dist/index.js', dependencies: { hono: '^4.5.0' } }),
  );
  const node = await detectNode(dir);
  assert.is(node?.kind, undefined);
  assert.is(node?.framework?.value, 'hono', 'the dependency is still reported');
});

test('a server framework and a static build without a start script: server, with a warning', async () => {
  const dir = copy();
  write(dir, 'package.json', JSON.stringify({ scripts: { build: 'vite build' }, dependencies: { express: '^4.19.2' }, devDependencies: { vite: '^5.4.0' } }));
  write(dir, 'server.js', 'app.listen(3000);\n');
  const node = await detectNode(dir);
  assert.is(node?.kind?.value, 'server');
  assert.is(node?.webFramework?.value, 'vite');
  assert.ok(node?.warnings?.some((w) => w.startsWith('package.json has both express and vite: treating it as a express server')), String(node?.warnings));
  assert.is(node?.port?.value, 3000);
});

// ---------------------------------------------------------------- workspaces

test('workspaces: package.json globs expanded to the packages that exist', async () => {
  const node = await detectNode(fixture('monorepo'));
  assert.equal(node?.workspaces, { value: ['apps/web', 'packages/ui'], evidence: 'package.json workspaces: ["apps/*","packages/*"]' });
  // apps/api (Python) matches apps/* but has no package.json: not a workspace package.
});

test('a workspace package shares the root lockfile and Node version, and records its workspace root', async () => {
  const node = await detectNode(fixture('monorepo'), 'apps/web');
  assert.ok(node);
  assert.equal(node.workspaceRoot, { value: '.', evidence: 'package.json workspaces: ["apps/*","packages/*"] includes apps/web' });
  assert.equal(node.packageManager, { value: 'npm', evidence: 'package-lock.json present (workspace root)' });
  assert.is(node.lockfile?.value, 'package-lock.json');
  assert.equal(node.nodeVersion, { value: '22', evidence: '.nvmrc: "22"' });
  assert.not.ok(node.warnings?.some((w) => w.startsWith('no lockfile')), String(node.warnings));
  assert.equal(node.nextOutput?.evidence, "apps/web/next.config.js:2 output: 'standalone',");
});

test('pnpm-workspace.yaml: block list with quotes, comments, ** and a negation', async () => {
  const dir = copy();
  write(dir, 'package.json', JSON.stringify({ name: 'root', private: true, packageManager: 'pnpm@9.6.0' }));
  write(dir, 'pnpm-lock.yaml', "lockfileVersion: '9.0'\n");
  write(dir, 'pnpm-workspace.yaml', "packages:\n  - 'apps/*' # deployables\n  - \"libs/**\"\n  - '!apps/legacy'\ncatalog:\n  react: ^18\n");
  for (const p of ['apps/shop', 'apps/legacy', 'libs/a', 'libs/group/b', 'apps/no-package/src']) write(dir, `${p}/package.json`, '{}');
  const node = await detectNode(dir);
  assert.equal(node?.workspaces, {
    value: ['apps/shop', 'libs/a', 'libs/group/b'],
    evidence: 'pnpm-workspace.yaml packages: ["apps/*","libs/**","!apps/legacy"]',
  });

  const shop = await detectNode(dir, 'apps/shop');
  assert.equal(shop?.packageManager, { value: 'pnpm', evidence: 'package.json packageManager: "pnpm@9.6.0" (workspace root)' });
  assert.is(shop?.packageManagerVersion?.value, '9.6.0');
  assert.is(shop?.workspaceRoot?.value, '.');
  assert.is((await detectNode(dir, 'apps/legacy'))?.workspaceRoot, undefined, 'negated out of the workspace');
});

test('a nested package outside any workspace keeps its own (missing) lockfile', async () => {
  const dir = copy();
  write(dir, 'package.json', '{"name":"root"}');
  write(dir, 'package-lock.json', '{"lockfileVersion":3}');
  write(dir, 'tools/site/package.json', '{"name":"site"}');
  const node = await detectNode(dir, 'tools/site');
  assert.is(node?.workspaceRoot, undefined);
  assert.equal(node?.packageManager, { value: 'npm', evidence: 'no lockfile; npm assumed' });
});

test.run();
