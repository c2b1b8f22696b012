import { join } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import type { NodeWebFramework, WebFacts, WebInput } from './types.js';
import { exists, firstExisting, readText } from '../../src/detect/shared.js';
import { CONFIG_EXTENSIONS, type ConfigFile, find, readConfig } from './config-file.js';
import { routeHealth } from './detect-routes.js';
import { TANSTACK_START, tanstackStart } from './detect-tanstack.js';
import { eleventy, vitepress } from './detect-ssg.js';

/**
 * Meta-frameworks (Next.js, Nuxt, Remix, React Router, SvelteKit, Astro) and site builders (Vite,
 * Docusaurus, Gatsby, CRA, Eleventy and VitePress in detect-ssg.ts): whether the app is rendered by a Node server or built to static files,
 * where the build goes, and how its server starts. Configs are read with targeted regexes, never
 * executed: a value computed at run time is not seen, and the defaults apply.
 */

/** `key: 'value'` on one line of a JS/TS config. */
const stringOption = (key: string): RegExp => new RegExp(`\\b${key}\\s*:\\s*['"\`]([^'"\`]+)['"\`]`);

/** Trims "./" and a trailing slash: "./build/" gives "build". */
function cleanDir(dir: string): string {
  return dir.replace(/^\.\//, '').replace(/\/+$/, '') || '.';
}

/** The frameworks detectWeb tells apart, as the dependency that names each one. */
const PEER_FRAMEWORKS = [
  'next', 'nuxt', '@react-router/dev', '@remix-run/react', '@sveltejs/kit', 'astro', 'gatsby', '@docusaurus/core', 'vitepress', '@angular/core', 'vite',
];

/**
 * Identifies the web framework of a package and what it means for the image. Undefined fields mean
 * "not a web framework" (a plain server or a library); `warnings` gets what needs the user.
 *
 * @example
 *   await detectWeb({ dir, at, deps: { next: '14.2.3' }, ... }, warnings)
 *   // { webFramework: { value: 'next', ... }, kind: { value: 'ssr', ... }, start: { value: 'node server.js', ... }, ... }
 */
export async function detectWeb(input: WebInput, warnings: string[]): Promise<WebFacts> {
  const { deps, at } = input;
  const dep = input.depEvidence ?? ((name: string): string => `${at('package.json')} ${input.depField(name)}.${name}: ${JSON.stringify(deps[name])}`);
  const has = (name: string): boolean => name in deps;

  // next (or vite, astro...) in peerDependencies: a component or helper package for that framework's apps, not an app.
  const peer = PEER_FRAMEWORKS.find((name) => name in (input.peers ?? {}));
  if (peer) {
    const evidence = `${at('package.json')} peerDependencies.${peer}: ${JSON.stringify(input.peers?.[peer])} (a package for ${peer} apps to import, not an app)`;
    return { library: { value: true, evidence } };
  }
  if (has('next')) return next(input, dep('next'), warnings);
  if (has('nuxt') || has('nuxt3')) return nuxt(input, dep(has('nuxt') ? 'nuxt' : 'nuxt3'), warnings);
  if (has('@react-router/dev')) return remixLike(input, 'react-router', dep('@react-router/dev'), warnings);
  if (has('@remix-run/dev') || has('@remix-run/react'))
    return remixLike(input, 'remix', dep(has('@remix-run/dev') ? '@remix-run/dev' : '@remix-run/react'), warnings);
  if (has('@sveltejs/kit')) return sveltekit(input, dep('@sveltejs/kit'), warnings);
  if (has('astro')) return astro(input, dep('astro'), warnings);
  if (has('gatsby')) return site('gatsby', dep('gatsby'), 'public', 'Gatsby builds to public/');
  if (has('@docusaurus/core')) return site('docusaurus', dep('@docusaurus/core'), 'build', 'Docusaurus builds to build/');
  if (has('@11ty/eleventy')) return eleventy(input, dep('@11ty/eleventy'), warnings);
  if (has('vitepress')) return vitepress(input, dep('vitepress'), warnings);
  if (has('react-scripts')) return site('cra', dep('react-scripts'), 'build', 'Create React App builds to build/');
  if (has('@angular/core') && (has('@angular/cli') || has('@angular/build') || has('@angular-devkit/build-angular'))) {
    return angular(input, dep('@angular/core'), warnings);
  }
  if (has('@vue/cli-service')) return vueCli(input, dep('@vue/cli-service'));
  const start = TANSTACK_START.find(has);
  if (start) return tanstackStart(input, dep(start), warnings);
  if (has('vite')) return vite(input, dep('vite'));
  // A workspace package whose vite comes from the workspace root: its build says so.
  const viaBuild = viteBuildScript(input.scripts);
  if (viaBuild) return vite(input, `${at('package.json')} ${viaBuild} (vite from the workspace)`);
  return {};
}

/**
 * The script that runs `vite build`: scripts.build itself, or a script it runs (`yarn build:app &&
 * yarn build:version`, `npm run build:app`), as `scripts.<name>: "<script>"`.
 */
function viteBuildScript(scripts: Record<string, string>): string | undefined {
  const build = scripts.build;
  if (build === undefined) return undefined;
  const names = ['build', ...[...build.matchAll(/(?:^|&&\s*)(?:npm run|pnpm(?: run)?|yarn(?: run)?)\s+([\w:.-]+)/g)].map((m) => m[1] ?? '')];
  const name = names.find((n) => scripts[n] !== undefined && /\bvite\s+build\b/.test(scripts[n]!));
  return name === undefined ? undefined : `scripts.${name}: ${JSON.stringify(scripts[name])}`;
}

/**
 * Angular CLI: angular.json's first application decides the output. The application builder
 * (@angular/build:application) writes the site to <outputPath>/browser; the older browser builder
 * to outputPath itself. With @angular/ssr the app renders on a server, which deploy-kit does not build.
 */
async function angular(input: WebInput, evidence: string, warnings: string[]): Promise<WebFacts> {
  const text = await readText(join(input.dir, 'angular.json'));
  let out = 'dist';
  let why = 'no angular.json application with an outputPath: the CLI default dist/';
  try {
    const json = JSON.parse(text ?? '{}') as { projects?: Record<string, { projectType?: string; architect?: { build?: { builder?: string; options?: { outputPath?: unknown } } } }> };
    const [name, app] = Object.entries(json.projects ?? {}).find(([, p]) => p.projectType === 'application') ?? [];
    const build = app?.architect?.build;
    const outputPath = build?.options?.outputPath;
    const appBuilder = /:application$/.test(build?.builder ?? '');
    if (typeof outputPath === 'string') {
      out = appBuilder ? `${outputPath}/browser` : outputPath;
      why = `${input.at('angular.json')} ${name} outputPath "${outputPath}"${appBuilder ? ' (the application builder writes browser/ under it)' : ''}`;
    } else if (outputPath && typeof outputPath === 'object' && 'base' in outputPath && typeof outputPath.base === 'string') {
      const browser = 'browser' in outputPath && typeof outputPath.browser === 'string' ? outputPath.browser : 'browser';
      out = browser ? `${outputPath.base}/${browser}` : outputPath.base;
      why = `${input.at('angular.json')} ${name} outputPath.base "${outputPath.base}", browser files in ${browser || 'the base'}`;
    } else if (name) {
      out = `dist/${name}${appBuilder ? '/browser' : ''}`;
      why = `${input.at('angular.json')} ${name}: the CLI default dist/${name}${appBuilder ? '/browser' : ''}`;
    }
  } catch {
    warnings.push(`${input.at('angular.json')} is not valid JSON: the output directory is assumed to be dist/`);
  }
  if ('@angular/ssr' in input.deps) {
    warnings.push(`${evidence}: @angular/ssr renders on a Node server, which deploy-kit does not build yet; the kit serves the browser build as a static site`);
  }
  return {
    webFramework: { value: 'angular', evidence },
    kind: { value: 'static', evidence: `${evidence} (Angular CLI builds a single-page app; no server at run time)` },
    outputDir: { value: out, evidence: why },
  };
}

/** Vue CLI: dist/, or vue.config.js's outputDir. */
async function vueCli(input: WebInput, evidence: string): Promise<WebFacts> {
  const config = await readText(join(input.dir, 'vue.config.js'));
  const m = config ? /\boutputDir\s*:\s*(['"`])([^'"`]+)\1/.exec(config) : null;
  const out = m?.[2] ?? 'dist';
  return {
    webFramework: { value: 'vue-cli', evidence },
    kind: { value: 'static', evidence: `${evidence} (Vue CLI builds a single-page app; no server at run time)` },
    outputDir: { value: out, evidence: m ? `${input.at('vue.config.js')} outputDir: "${out}"` : 'Vue CLI builds to dist/' },
  };
}

function site(framework: NodeWebFramework, evidence: string, outputDir: string, why: string): WebFacts {
  return {
    webFramework: { value: framework, evidence },
    kind: { value: 'static', evidence: `${evidence} (${why}; no server at run time)` },
    outputDir: { value: outputDir, evidence: why },
  };
}

async function next(input: WebInput, evidence: string, warnings: string[]): Promise<WebFacts> {
  const { dir, at } = input;
  const config = await readConfig(dir, 'next.config');
  const output = find(config, /\boutput\s*:\s*['"`](standalone|export)['"`]/, at);
  const facts: WebFacts = { webFramework: { value: 'next', evidence } };
  if (output?.value === 'export') {
    const distDir = find(config, stringOption('distDir'), at);
    facts.nextOutput = { value: 'export', evidence: output.evidence };
    facts.kind = { value: 'static', evidence: `${output.evidence} (static export)` };
    facts.outputDir = distDir
      ? { value: cleanDir(distDir.value), evidence: distDir.evidence }
      : { value: 'out', evidence: `${output.evidence} (next build exports to out/ by default)` };
    return facts;
  }
  facts.kind = { value: 'ssr', evidence: `${evidence} (Next.js renders on a Node server)` };
  facts.hostEnv = { value: 'HOSTNAME', evidence: 'the Next.js standalone server binds to $HOSTNAME, which Docker sets to the container id' };
  facts.outputDir = {
    value: '.next/standalone',
    evidence: 'next build with output: "standalone" writes .next/standalone (plus .next/static and public/ to copy beside it)',
  };
  if (output?.value === 'standalone') {
    facts.nextOutput = { value: 'standalone', evidence: output.evidence };
    facts.start = { value: 'node server.js', evidence: `${output.evidence} (the standalone build's server.js)` };
  } else {
    facts.nextOutput = { value: 'default', evidence: config ? `${at(config.file)} sets no output` : `no next.config.* next to ${at('package.json')}` };
    facts.start = {
      value: 'node server.js',
      evidence: `the standalone build's server.js, once ${config ? at(config.file) : 'next.config.js'} sets output: 'standalone'`,
    };
    warnings.push(
      `${config ? at(config.file) : `${at('package.json')} uses Next.js but there is no next.config.*; it`} does not set output: 'standalone': the ` +
        `image needs it to ship .next/standalone (server.js and only the node_modules it uses). Add \`output: 'standalone'\` to the Next.js config`,
    );
  }
  facts.port = startFlagPort(input, 'next start') ?? { value: 3000, evidence: 'the Next.js server listens on $PORT, default 3000' };
  facts.healthPath = await routeHealth(input, 'next');
  return facts;
}

/** `next start -p 4000` / `--port 4000` in scripts.start: the port the author chose. */
function startFlagPort(input: WebInput, command: string): Fact<number> | undefined {
  const script = input.scripts.start;
  if (!script?.includes(command)) return undefined;
  const m = /(?:^|\s)(?:-p|--port)[=\s]+(\d{2,5})\b/.exec(script);
  return m ? { value: Number(m[1]), evidence: `${input.at('package.json')} scripts.start: ${JSON.stringify(script)}` } : undefined;
}

async function nuxt(input: WebInput, evidence: string, warnings: string[]): Promise<WebFacts> {
  const { dir, at, scripts } = input;
  const facts: WebFacts = { webFramework: { value: 'nuxt', evidence } };
  if (scripts.build !== undefined && /\bnux[ti]\s+generate\b/.test(scripts.build)) {
    const why = `${at('package.json')} scripts.build: ${JSON.stringify(scripts.build)}`;
    facts.kind = { value: 'static', evidence: `${why} (prerendered; no server at run time)` };
    facts.outputDir = { value: '.output/public', evidence: `nuxt generate writes .output/public (${why})` };
    return facts;
  }
  const config = await readConfig(dir, 'nuxt.config');
  if (/^[\^~]?2\./.test(input.deps.nuxt ?? '')) return nuxt2(input, facts, config, warnings);
  const preset = find(config, /\bpreset\s*:\s*['"`]([\w-]+)['"`]/, at);
  if (preset && !['node', 'node-server', 'node_server'].includes(preset.value)) {
    warnings.push(
      `${preset.evidence}: the Nitro preset ${JSON.stringify(preset.value)} does not build a Node server; a container needs the node-server preset ` +
        `(the default)`,
    );
  }
  facts.kind = { value: 'ssr', evidence: `${evidence} (Nuxt renders on a Nitro server)` };
  facts.outputDir = { value: '.output', evidence: 'nuxt build writes the Nitro server to .output/ (self-contained, no node_modules needed)' };
  facts.start = { value: 'node .output/server/index.mjs', evidence: 'nuxt build emits .output/server/index.mjs' };
  facts.port = { value: 3000, evidence: 'the Nitro server listens on $NITRO_PORT or $PORT, default 3000' };
  facts.hostEnv = { value: 'HOST', evidence: 'the Nitro server binds to $NITRO_HOST or $HOST' };
  facts.healthPath = await routeHealth(input, 'nuxt');
  return facts;
}

/**
 * Nuxt 2 has no Nitro: `target: 'static'` (or `ssr: false`) is a site `nuxt generate` writes to
 * dist/; its server (`nuxt start`) needs the whole app and node_modules, which is not assembled.
 */
function nuxt2(input: WebInput, facts: WebFacts, config: ConfigFile | undefined, warnings: string[]): WebFacts {
  const { at, scripts } = input;
  const staticTarget = find(config, /\btarget\s*:\s*['"`](static)['"`]/, at) ?? find(config, /\bssr\s*:\s*(false)\b/, at);
  if (!staticTarget) {
    warnings.push(
      `${facts.webFramework?.evidence ?? at('package.json')}: a Nuxt 2 server (nuxt start) needs the whole app and node_modules at run time, which deploy-kit ` +
        "does not assemble; set target: 'static' in nuxt.config (a site nuxt generate builds) or move to Nuxt 3",
    );
    return facts;
  }
  facts.kind = { value: 'static', evidence: `${staticTarget.evidence} (Nuxt 2 generates a static site)` };
  facts.outputDir = { value: 'dist', evidence: 'nuxt generate (Nuxt 2) writes dist/' };
  if (scripts.generate !== undefined) facts.buildScript = { value: 'generate', evidence: `${at('package.json')} scripts.generate: ${JSON.stringify(scripts.generate)}` };
  else warnings.push(`${at('package.json')}: no scripts.generate; add "generate": "nuxt generate" (the static site is what it writes)`);
  return facts;
}

async function remixLike(input: WebInput, framework: 'remix' | 'react-router', evidence: string, warnings: string[]): Promise<WebFacts> {
  const { dir, at, deps, scripts } = input;
  const facts: WebFacts = { webFramework: { value: framework, evidence } };
  const label = framework === 'remix' ? 'Remix' : 'React Router';
  // SPA mode: `ssr: false` in react-router.config.* (React Router 7) or the Remix vite plugin.
  const config = await readConfig(dir, framework === 'remix' ? 'vite.config' : 'react-router.config');
  const spa = find(config, /\bssr\s*:\s*(false)\b/, at);
  if (spa) {
    facts.kind = { value: 'static', evidence: `${spa.evidence} (SPA mode: no server at run time)` };
    facts.outputDir = { value: 'build/client', evidence: `${label} SPA mode builds to build/client` };
    return facts;
  }
  // The classic Remix compiler (remix.config.js) writes build/index.js; the Vite plugin build/server/index.js.
  const classic =
    framework === 'remix' &&
    (await firstExisting(
      dir,
      CONFIG_EXTENSIONS.map((e) => `remix.config${e}`),
    ));
  const serverBuild = classic ? 'build/index.js' : 'build/server/index.js';
  facts.kind = { value: 'ssr', evidence: `${evidence} (${label} renders on a Node server)` };
  facts.outputDir = {
    value: 'build',
    evidence: classic ? `${at(classic)}: the classic Remix compiler writes build/` : `${label} (Vite) writes build/server and build/client`,
  };
  facts.hostEnv = { value: 'HOST', evidence: `${framework === 'remix' ? 'remix-serve' : 'react-router-serve'} binds to $HOST` };
  const servePkg = framework === 'remix' ? '@remix-run/serve' : '@react-router/serve';
  const bin = framework === 'remix' ? 'remix-serve' : 'react-router-serve';
  if (servePkg in deps) {
    // The bin is a symlink to a script with a node shebang: exec form without npm in between.
    const fromScript = scripts.start !== undefined ? new RegExp(`\\b${bin}\\s+(\\S+)`).exec(scripts.start) : null;
    const target = fromScript?.[1] ?? `./${serverBuild}`;
    facts.start = {
      value: `node_modules/.bin/${bin} ${target}`,
      evidence: fromScript
        ? `${at('package.json')} scripts.start: ${JSON.stringify(scripts.start)}`
        : `${at('package.json')} ${input.depField(servePkg)}.${servePkg} (${bin} serves ${serverBuild})`,
    };
    facts.port = { value: 3000, evidence: `${bin} listens on $PORT, default 3000` };
  } else if (scripts.start === undefined) {
    warnings.push(
      `${at('package.json')}: a ${label} app without ${servePkg} or a start script; add ${servePkg} (start: "${bin} ./${serverBuild}") or a custom server`,
    );
  }
  facts.healthPath = await routeHealth(input, 'remix');
  return facts;
}

async function sveltekit(input: WebInput, evidence: string, warnings: string[]): Promise<WebFacts> {
  const { dir, at, deps } = input;
  const facts: WebFacts = { webFramework: { value: 'sveltekit', evidence } };
  const config = await readConfig(dir, 'svelte.config');
  const imported = find(config, /['"`]@sveltejs\/adapter-([\w-]+)['"`]/, at);
  const fromDeps = ['node', 'static', 'auto'].find((a) => `@sveltejs/adapter-${a}` in deps);
  const adapter = imported?.value ?? fromDeps;
  const adapterEvidence =
    imported?.evidence ?? (fromDeps ? `${at('package.json')} ${input.depField(`@sveltejs/adapter-${fromDeps}`)}.@sveltejs/adapter-${fromDeps}` : '');
  if (adapter === 'node') {
    const out = find(config, stringOption('out'), at);
    const outDir = out ? cleanDir(out.value) : 'build';
    facts.kind = { value: 'ssr', evidence: `${adapterEvidence} (adapter-node builds a Node server)` };
    facts.outputDir = out ? { value: outDir, evidence: out.evidence } : { value: 'build', evidence: 'adapter-node writes build/ by default' };
    facts.start = { value: `node ${outDir}`, evidence: `${adapterEvidence} (adapter-node's server is ${outDir}/index.js)` };
    facts.port = { value: 3000, evidence: 'the adapter-node server listens on $PORT, default 3000' };
    facts.hostEnv = { value: 'HOST', evidence: 'the adapter-node server binds to $HOST' };
    facts.healthPath = await routeHealth(input, 'sveltekit');
    return facts;
  }
  if (adapter === 'static') {
    const pages = find(config, stringOption('pages'), at);
    facts.kind = { value: 'static', evidence: `${adapterEvidence} (adapter-static prerenders every page)` };
    facts.outputDir = pages
      ? { value: cleanDir(pages.value), evidence: pages.evidence }
      : { value: 'build', evidence: 'adapter-static writes build/ by default' };
    return facts;
  }
  warnings.push(
    `${adapterEvidence || at('svelte.config.js')}: SvelteKit ${adapter ? `with adapter-${adapter}` : 'without an adapter'} does not build a Node ` +
      `server; for a container use @sveltejs/adapter-node (or adapter-static for a static site)`,
  );
  return facts;
}

async function astro(input: WebInput, evidence: string, warnings: string[]): Promise<WebFacts> {
  const { dir, at, deps } = input;
  const facts: WebFacts = { webFramework: { value: 'astro', evidence } };
  const config = await readConfig(dir, 'astro.config');
  const outDirOption = find(config, stringOption('outDir'), at);
  const outDir = outDirOption ? cleanDir(outDirOption.value) : 'dist';
  const output = find(config, /\boutput\s*:\s*['"`](server|hybrid|static)['"`]/, at);
  const adapterImport = find(config, /['"`]@astrojs\/(node|vercel|netlify|cloudflare|deno)['"`]/, at);
  const nodeDep =
    '@astrojs/node' in deps ? `${at('package.json')} ${input.depField('@astrojs/node')}.@astrojs/node: ${JSON.stringify(deps['@astrojs/node'])}` : undefined;
  const adapter = adapterImport?.value ?? (nodeDep ? 'node' : undefined);

  if (adapter === 'node') {
    const why = adapterImport?.evidence ?? nodeDep ?? '';
    const mode = find(config, /\bmode\s*:\s*['"`](middleware|standalone)['"`]/, at);
    if (mode?.value === 'middleware') {
      warnings.push(`${mode.evidence}: @astrojs/node in middleware mode has no server of its own; use mode: 'standalone' (or start it from your own server)`);
    }
    facts.kind = { value: 'ssr', evidence: `${why} (the @astrojs/node adapter builds a Node server)` };
    facts.outputDir = outDirOption ? { value: outDir, evidence: outDirOption.evidence } : { value: 'dist', evidence: 'astro build writes dist/ by default' };
    facts.start = { value: `node ./${outDir}/server/entry.mjs`, evidence: `${why} (standalone mode serves from ${outDir}/server/entry.mjs)` };
    // The adapter takes server.port from the config ($PORT still wins); a literal or a `|| 4321` fallback is read.
    const portOption = find(config, /\bport\s*:\s*(?:[^,}\n]*?(?:\|\||\?\?|:)\s*)?['"]?(\d{2,5})\b/, at);
    facts.port = portOption
      ? { value: Number(portOption.value), evidence: `${portOption.evidence} (the @astrojs/node server listens on $PORT, else server.port)` }
      : { value: 4321, evidence: 'the @astrojs/node standalone server listens on $PORT, default 4321' };
    facts.hostEnv = { value: 'HOST', evidence: 'the @astrojs/node standalone server binds to $HOST (localhost otherwise)' };
    facts.healthPath = await routeHealth(input, 'astro');
    return facts;
  }
  if (adapter) {
    warnings.push(
      `${adapterImport?.evidence ?? at('astro.config.mjs')}: the @astrojs/${adapter} adapter targets that platform, not a container; use ` +
        `@astrojs/node (mode: 'standalone') or drop the adapter for a static site`,
    );
    return facts;
  }
  if (output && output.value !== 'static') {
    warnings.push(`${output.evidence}: Astro server output needs an adapter; add @astrojs/node (mode: 'standalone') to run it in a container`);
    return facts;
  }
  facts.kind = { value: 'static', evidence: `${output?.evidence ?? evidence} (no adapter: Astro builds a static site)` };
  facts.outputDir = outDirOption ? { value: outDir, evidence: outDirOption.evidence } : { value: 'dist', evidence: 'astro build writes dist/ by default' };
  return facts;
}

async function vite(input: WebInput, evidence: string): Promise<WebFacts> {
  const { dir, at, scripts } = input;
  const config = await readConfig(dir, 'vite.config');
  const lib = find(config, /\blib\s*:/, at);
  if (lib) return { library: { value: true, evidence: `${lib.evidence} (Vite library mode)` } };
  // vite in devDependencies alone (vitest pulls it in) does not make a site: a config, index.html or `vite build` does.
  const builds = viteBuildScript(scripts);
  const index = await exists(join(dir, 'index.html'));
  if (!config && !builds && !index) return {};
  // No index.html and an entry to import (`"main": "./dist/index.cjs"`, exports): Vite builds modules for other packages.
  if (!index && input.importable && !find(config, /\broot\s*:/, at)) {
    const why = `${at('package.json')} has "${input.importable}" and there is no ${at('index.html')}`;
    return { library: { value: true, evidence: `${why} (vite build writes modules to import, not a site)` } };
  }
  const why = builds
    ? `${at('package.json')} ${builds}`
    : config
      ? `${at(config.file)} present`
      : `${at('index.html')} present`;
  const outDir = find(config, stringOption('outDir'), at);
  return {
    webFramework: { value: 'vite', evidence },
    kind: { value: 'static', evidence: `${why} (a Vite build emits static files)` },
    outputDir: outDir
      ? { value: cleanDir(outDir.value), evidence: outDir.evidence }
      : { value: 'dist', evidence: 'vite build writes dist/ by default (no build.outDir)' },
  };
}
