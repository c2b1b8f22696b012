/**
 * Static site generators met on real repositories: Eleventy and VitePress (built, served by nginx),
 * Hugo, Jekyll and MkDocs (said plainly, never a kit that builds something else), a package that
 * depends on a site builder without building a site, and workspace packages that are demos or tests.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scratch } from './_scratch.js';
import { detectNode, detectRepo } from '../src/detect/index.js';
import { chooseServices } from '../src/config/choose-services.js';
import { UserError } from '../src/errors.js';
import { envFromFacts } from '../src/config/from-answers.js';
import type { ServiceConfig } from '../src/config/types.js';
import { builtSiteNginxView } from '../stacks/nginx.js';

const dirs = scratch('ssg');
const { files, write } = dirs;
test.after(dirs.cleanup);

const pkg = (over: Record<string, unknown>): string => JSON.stringify({ name: 'site', private: true, ...over }, null, 2);
const lock = JSON.stringify({ name: 'site', lockfileVersion: 3, packages: {} });

// ---------------------------------------------------------------- Eleventy

test('Eleventy: a static site in _site/, or where the config or the build flag puts it', async () => {
  const eleventy = { devDependencies: { '@11ty/eleventy': '^3.1.0' } };
  const dir = files({
    'package.json': pkg({ ...eleventy, scripts: { build: 'npx @11ty/eleventy', start: 'npx @11ty/eleventy --serve' } }),
    'package-lock.json': lock,
  });
  const node = await detectNode(dir);
  assert.equal(node?.webFramework, { value: 'eleventy', evidence: 'package.json devDependencies.@11ty/eleventy: "^3.1.0"' });
  assert.equal(node?.kind?.value, 'static');
  assert.equal(node?.outputDir, { value: '_site', evidence: 'Eleventy writes _site/ by default' });
  assert.is(node?.build?.value, 'npm run build');
  assert.is(node?.start, undefined, 'its start script is the dev server');
  assert.equal(node?.warnings, []);

  write(dir, 'eleventy.config.js', 'export const config = {\n  dir: {\n    input: "content",\n    output: "public_html",\n  },\n};\n');
  assert.equal((await detectNode(dir))?.outputDir, { value: 'public_html', evidence: 'eleventy.config.js:4 output: "public_html",' });

  write(dir, 'eleventy.config.js', 'export default function (c) {\n  c.setOutputDirectory("./www/");\n}\n');
  assert.equal((await detectNode(dir))?.outputDir?.value, 'www');

  write(dir, 'package.json', pkg({ ...eleventy, scripts: { build: 'eleventy --output=out --quiet' } }));
  assert.equal((await detectNode(dir))?.outputDir, { value: 'out', evidence: 'package.json scripts.build: "eleventy --output=out --quiet"' });
});

test('Eleventy sets ELEVENTY_RUN_MODE itself: the config reading it puts no line in .env.example', async () => {
  const dir = files({
    'package.json': pkg({ devDependencies: { '@11ty/eleventy': '^3.1.0' }, scripts: { build: 'eleventy' } }),
    'package-lock.json': lock,
    'eleventy.config.js': [
      'export default function (c) {',
      '  if (process.env.ELEVENTY_RUN_MODE === "build") c.ignores.add("drafts");',
      '  c.addGlobalData("api", process.env.SITE_API);',
      '}',
      '',
    ].join('\n'),
  });
  const facts = await detectRepo(dir);
  assert.equal(
    envFromFacts(facts.env, undefined).map((e) => e.name),
    ['SITE_API'],
  );
});

test('Eleventy with its build under another script name: that script builds the image', async () => {
  const dir = files({
    'package.json': pkg({ devDependencies: { '@11ty/eleventy': '^2.0.1' }, scripts: { serve: 'eleventy --serve', 'build:site': 'eleventy' } }),
    'package-lock.json': lock,
  });
  const node = await detectNode(dir);
  assert.is(node?.kind?.value, 'static');
  assert.equal(node?.build, { value: 'npm run build:site', evidence: 'package.json scripts.build:site: "eleventy"' });
});

// ---------------------------------------------------------------- VitePress

test('VitePress: `vitepress build docs` in docs:build writes docs/.vitepress/dist', async () => {
  const dir = files({
    'package.json': pkg({ devDependencies: { vitepress: '^1.6.0' }, scripts: { 'docs:dev': 'vitepress dev docs', 'docs:build': 'vitepress build docs' } }),
    'package-lock.json': lock,
    'docs/index.md': '# Hello\n',
  });
  const node = await detectNode(dir);
  assert.equal(node?.webFramework?.value, 'vitepress');
  assert.equal(node?.kind?.value, 'static');
  assert.equal(node?.outputDir?.value, 'docs/.vitepress/dist');
  assert.equal(node?.build, { value: 'npm run docs:build', evidence: 'package.json scripts.docs:build: "vitepress build docs"' });
  assert.equal(node?.warnings, []);

  write(dir, 'docs/.vitepress/config.mts', "export default {\n  title: 'Docs',\n  outDir: '../site',\n};\n");
  assert.equal((await detectNode(dir))?.outputDir, { value: 'site', evidence: "docs/.vitepress/config.mts:3 outDir: '../site'," });

  write(dir, 'package.json', pkg({ devDependencies: { vitepress: '^1.6.0' }, scripts: { build: 'vitepress build --outDir public_site .' } }));
  assert.equal((await detectNode(dir))?.outputDir?.value, 'public_site');
});

test('VitePress at the package root: .vitepress/dist; without a build script, no site and a warning', async () => {
  const dir = files({ 'package.json': pkg({ devDependencies: { vitepress: '^1.6.0' }, scripts: { build: 'vitepress build' } }), 'package-lock.json': lock });
  assert.equal((await detectNode(dir))?.outputDir?.value, '.vitepress/dist');
  write(dir, 'package.json', pkg({ devDependencies: { vitepress: '^1.6.0' }, scripts: { dev: 'vitepress dev' } }));
  const node = await detectNode(dir);
  assert.is(node?.kind, undefined);
  assert.ok(node?.warnings?.some((w) => w.includes('no script runs `vitepress build`')), String(node?.warnings));
});

// ---------------------------------------------------------------- base paths

test('a base path in the config is the path the image serves the site under (before: served at /, every asset a 404)', async () => {
  const dir = files({
    'package.json': pkg({ devDependencies: { vitepress: '^1.6.0' }, scripts: { 'docs:build': 'vitepress build docs' } }),
    'package-lock.json': lock,
    // The sidebar's own `base` sits deeper and is not the site's.
    'docs/.vitepress/config.mts':
      "export default {\n  base: '/handbook/',\n  themeConfig: {\n    sidebar: { '/guide/': { base: '/guide/', items: [] } },\n  },\n};\n",
  });
  assert.equal((await detectNode(dir))?.basePath, { value: '/handbook', evidence: "docs/.vitepress/config.mts:2 base: '/handbook/'," });

  const docusaurus = files({
    'package.json': pkg({ dependencies: { '@docusaurus/core': '^3.7.0' }, scripts: { build: 'docusaurus build' } }),
    'package-lock.json': lock,
    'docusaurus.config.js': "module.exports = {\n  url: 'https://acme.dev',\n  baseUrl: '/widgets/',\n};\n",
  });
  assert.equal((await detectNode(docusaurus))?.basePath?.value, '/widgets');
  write(docusaurus, 'docusaurus.config.js', "module.exports = {\n  baseUrl: '/',\n};\n");
  assert.is((await detectNode(docusaurus))?.basePath, undefined, 'the root is no base path');

  const astro = files({
    'package.json': pkg({ dependencies: { astro: '^5.0.0' }, scripts: { build: 'astro build' } }),
    'package-lock.json': lock,
    'astro.config.mjs': "export default defineConfig({\n  site: 'https://acme.github.io',\n  base: '/blog',\n});\n",
  });
  assert.equal((await detectNode(astro))?.basePath?.value, '/blog');

  // Vite's relative base works anywhere: no base path. Eleventy's --pathprefix is one.
  const vite = files({
    'package.json': pkg({ devDependencies: { vite: '^6.0.0' }, scripts: { build: 'vite build' } }),
    'vite.config.ts': "export default {\n  base: './',\n};\n",
  });
  assert.is((await detectNode(vite))?.basePath, undefined);
  const eleventy = files({ 'package.json': pkg({ devDependencies: { '@11ty/eleventy': '^3.0.0' }, scripts: { build: 'eleventy --pathprefix=/notes/' } }) });
  assert.equal((await detectNode(eleventy))?.basePath, { value: '/notes', evidence: 'package.json scripts.build: "eleventy --pathprefix=/notes/"' });
});

test('the image and nginx serve a site with a base path under it: files, cached assets, 404 page, / redirects', async () => {
  const site = { name: 'docs', path: '.', stack: 'node', kind: 'static', webFramework: 'vitepress', outputDir: '.vitepress/dist', basePath: '/handbook' };
  const view = builtSiteNginxView(site as ServiceConfig, '');
  assert.equal(
    { docroot: view.docroot, immutablePaths: view.immutablePaths, basePath: view.basePath },
    { docroot: '/usr/share/nginx/html/handbook', immutablePaths: ['/handbook/assets/'], basePath: '/handbook' },
  );
  const root = builtSiteNginxView({ ...site, basePath: undefined } as unknown as ServiceConfig, '');
  assert.equal([root.docroot, root.immutablePaths, root.basePath], ['/usr/share/nginx/html', ['/assets/'], '']);
});

// ---------------------------------------------------------------- a site builder and nothing that builds

test('a package with a site builder but no build script is no service (before: a kit whose build step was an empty RUN)', async () => {
  const dir = files({
    'package.json': pkg({ workspaces: ['site', 'plugin'], devDependencies: { astro: '^5.0.0' } }),
    'package-lock.json': lock,
    // A real site: its build is what the kit runs.
    'site/package.json': pkg({ name: 'site', dependencies: { astro: '^5.0.0' }, scripts: { build: 'astro build' } }),
    // An integration for Astro sites: a library, said nothing about.
    'plugin/package.json': pkg({ name: '@acme/astro-plugin', exports: './index.ts', devDependencies: { astro: '^5.0.0' } }),
    // A package that uses Astro but builds nothing: said why it is left out.
    'apps/playground/package.json': pkg({ name: 'playground', dependencies: { astro: '^5.0.0' }, scripts: { dev: 'astro dev' } }),
  });
  const facts = await detectRepo(dir);
  assert.equal(
    facts.services?.map((s) => `${s.stack} ${s.path}`),
    ['node site'],
  );
  assert.ok(
    facts.warnings.some((w) => w.startsWith('apps/playground/package.json depends on astro but has no scripts.build: no site is built from it')),
    String(facts.warnings),
  );
  assert.not.ok(facts.warnings.some((w) => w.includes('plugin/') || w.includes('no start command')), String(facts.warnings));
});

test('a site whose builder comes from its own workspace (workspace:*) is warned about: its build does not build the builder', async () => {
  const dir = files({
    'package.json': pkg({ workspaces: ['docs'] }),
    'package-lock.json': lock,
    'docs/package.json': pkg({ name: 'docs', devDependencies: { vitepress: 'workspace:*' }, scripts: { build: 'vitepress build' } }),
  });
  const node = await detectNode(dir, 'docs');
  assert.is(node?.kind?.value, 'static');
  assert.ok(node?.warnings?.some((w) => w.startsWith('docs/package.json takes vitepress from the workspace ("workspace:*")')), String(node?.warnings));
});

test('workspace packages under examples/ or __tests__/ are demos and fixtures, not services', async () => {
  const site = (name: string) => pkg({ name, devDependencies: { vitepress: '^1.6.0' }, scripts: { build: 'vitepress build' } });
  const dir = files({
    'package.json': pkg({ workspaces: ['docs', 'examples/*', '__tests__/*'] }),
    'package-lock.json': lock,
    'docs/package.json': site('docs'),
    'examples/basic/package.json': site('basic'),
    '__tests__/e2e/package.json': site('e2e'),
  });
  assert.equal(
    (await detectRepo(dir)).services?.map((s) => s.path),
    ['docs'],
  );
});

// ---------------------------------------------------------------- generators deploy-kit does not build

/** init's answer for the repository: the one message chooseServices stops with. */
async function initMessage(dir: string): Promise<string> {
  const facts = await detectRepo(dir);
  try {
    chooseServices(facts, { stacks: new Map() }, dir);
  } catch (err) {
    assert.instance(err, UserError);
    return (err as Error).message;
  }
  throw new Error('chooseServices did not stop');
}

test('a Hugo site with a package.json for its CSS tools: said to be Hugo (before: a Node server `node index.js`)', async () => {
  const dir = files({
    'hugo.toml': "baseURL = 'https://example.org/'\ntitle = 'Notes'\n",
    'content/_index.md': '# Notes\n',
    'package.json': pkg({ main: 'index.js', devDependencies: { tailwindcss: '^4.1.0' } }),
  });
  const message = await initMessage(dir);
  assert.match(message, /^the repository root is a Hugo site \(hugo\.toml\); deploy-kit builds sites with Node or Bun/);
  assert.match(message, /Build it with `hugo --minify` \(the files land in public\/\)/);

  // The older config name counts with a baseURL and a content directory.
  const old = files({ 'config.toml': 'baseurl = "https://example.org/"\n', 'content/post.md': '# Post\n' });
  assert.match(await initMessage(old), /is a Hugo site \(config\.toml \(baseURL\) and content\/\)/);
});

test('a Jekyll site (Gemfile with jekyll, _config.yml, index.html): said to be Jekyll (before: "nothing to deploy found: no package.json")', async () => {
  const dir = files({
    '_config.yml': 'title: Notes\n',
    Gemfile: 'source "https://rubygems.org"\ngem "jekyll", "~> 4.3"\n',
    'index.html': '---\nlayout: default\n---\n',
    '_layouts/default.html': '{{ content }}\n',
  });
  const message = await initMessage(dir);
  assert.match(message, /^the repository root is a Jekyll site \(_config\.yml and the jekyll gem in Gemfile\)/);
  assert.match(message, /`bundle exec jekyll build` \(the files land in _site\/\)/);
});

test('beside a service, a Hugo docs site is a note; MkDocs beside an app leaves the app alone', async () => {
  const dir = files({
    'package.json': pkg({ scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.0' } }),
    'package-lock.json': lock,
    'server.js': "require('express')().listen(3000);\n",
    'mkdocs.yml': 'site_name: API\n',
    'site/hugo.yaml': 'baseURL: https://example.org/\n',
    'site/package.json': pkg({ name: 'site-tools', devDependencies: { postcss: '^8.4.0' }, scripts: { start: 'node build.js' } }),
  });
  const facts = await detectRepo(dir);
  assert.equal(
    facts.services?.map((s) => `${s.stack} ${s.path}`),
    ['node .'],
  );
  assert.ok(facts.warnings.some((w) => w.startsWith('site is a Hugo site (site/hugo.yaml)')), String(facts.warnings));
  assert.not.ok(facts.warnings.some((w) => w.includes('MkDocs')), String(facts.warnings));
});

test('MkDocs alone: said to be MkDocs, with its build', async () => {
  const dir = files({ 'mkdocs.yml': 'site_name: Handbook\n', 'docs/index.md': '# Handbook\n' });
  assert.match(await initMessage(dir), /^the repository root is a MkDocs site \(mkdocs\.yml\).*`mkdocs build` \(the files land in site\/\)/);
});

test.run();
