import { posix } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import type { WebFacts, WebInput } from './types.js';
import { type ConfigFile, find, readConfig } from './config-file.js';

/**
 * Static site generators whose output is plain pages (no single-page app): Eleventy and VitePress.
 * Configs are read with targeted regexes, never executed.
 */

/** Trims "./" and a trailing slash: "./_site/" gives "_site". */
function cleanDir(dir: string): string {
  return posix.normalize(dir.replace(/^\.\//, '').replace(/\/+$/, '')) || '.';
}

/** The first script (build first, then in package.json order) whose command runs `pattern`: its name and text. */
function scriptRunning(scripts: Record<string, string>, pattern: RegExp): [string, string] | undefined {
  const build = scripts.build;
  if (build !== undefined && pattern.test(build)) return ['build', build];
  return Object.entries(scripts).find(([, text]) => pattern.test(text));
}

/**
 * Eleventy: `_site/` unless the build's `--output` flag, the config's `dir.output` or
 * `setOutputDirectory(...)` moves it. Its pages are real files (a 404.html when the site has one).
 *
 * @example
 *   await eleventy({ scripts: { build: 'eleventy --output=dist' }, ... }, evidence, warnings)
 *   // { webFramework: eleventy, kind: static, outputDir: { value: 'dist', evidence: 'package.json scripts.build: ...' } }
 */
export async function eleventy(input: WebInput, evidence: string, warnings: string[]): Promise<WebFacts> {
  const { dir, at, scripts } = input;
  const facts: WebFacts = { webFramework: { value: 'eleventy', evidence } };
  const run = scriptRunning(scripts, /(?:^|[\s/])(?:@11ty\/)?eleventy(?:\s|$)(?![^&;|]*--serve)/);
  if (!run) {
    warnings.push(`${at('package.json')}: no script runs eleventy; add "build": "eleventy" (the site is what it writes)`);
    return facts;
  }
  const [name, text] = run;
  const why = `${at('package.json')} scripts.${name}: ${JSON.stringify(text)}`;
  if (name !== 'build') facts.buildScript = { value: name, evidence: why };
  facts.kind = { value: 'static', evidence: `${why} (Eleventy writes static pages; no server at run time)` };
  const config = (await readConfig(dir, 'eleventy.config')) ?? (await readConfig(dir, '.eleventy'));
  const prefix = /--pathprefix[=\s]+(['"]?)([^\s'"&;|]+)\1/.exec(text)?.[2];
  const base = prefix !== undefined ? basePathFact(prefix, why) : basePathFact(find(config, /\bpathPrefix\s*:\s*['"`]([^'"`]*)['"`]/, at));
  if (base) facts.basePath = base;
  const flag = /--output[=\s]+(['"]?)([^\s'"&;|]+)\1/.exec(text);
  if (flag?.[2]) {
    facts.outputDir = { value: cleanDir(flag[2]), evidence: why };
    return facts;
  }
  const option = find(config, /\boutput\s*:\s*['"`]([^'"`]+)['"`]/, at) ?? find(config, /\bsetOutputDirectory\(\s*['"`]([^'"`]+)['"`]/, at);
  facts.outputDir = option ? { value: cleanDir(option.value), evidence: option.evidence } : { value: '_site', evidence: 'Eleventy writes _site/ by default' };
  return facts;
}

/**
 * VitePress: `vitepress build [root]` writes `<root>/.vitepress/dist`, unless the config's
 * `outDir` (relative to the root) moves it. The scaffold names the script `docs:build`, not `build`.
 *
 * @example
 *   await vitepress({ scripts: { 'docs:build': 'vitepress build docs' }, ... }, evidence, warnings)
 *   // { kind: static, outputDir: { value: 'docs/.vitepress/dist', ... }, buildScript: { value: 'docs:build', ... } }
 */
export async function vitepress(input: WebInput, evidence: string, warnings: string[]): Promise<WebFacts> {
  const { dir, at, scripts } = input;
  const facts: WebFacts = { webFramework: { value: 'vitepress', evidence } };
  const run = scriptRunning(scripts, /\bvitepress\s+build\b/);
  if (!run) {
    warnings.push(`${at('package.json')}: no script runs \`vitepress build\`; add "build": "vitepress build <docs dir>" (the site is what it writes)`);
    return facts;
  }
  const [name, text] = run;
  const why = `${at('package.json')} scripts.${name}: ${JSON.stringify(text)}`;
  if (name !== 'build') facts.buildScript = { value: name, evidence: why };
  facts.kind = { value: 'static', evidence: `${why} (VitePress writes static pages; no server at run time)` };
  // The first argument after `build` that is not a flag is the site's root.
  const args = /\bvitepress\s+build\b([^&;|]*)/.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const root = cleanDir(args.find((a, i) => a !== '' && !a.startsWith('-') && !/^--(?:outDir|base|target|assetsInlineLimit)$/.test(args[i - 1] ?? '')) ?? '.');
  const config = await readConfig(dir, posix.join(root, '.vitepress/config'));
  const base = basePathFact(find(config, TOP_LEVEL_BASE, at));
  if (base) facts.basePath = base;
  // `--outDir <dir>` is relative to where the build runs: the package.
  const flag = /--outDir[=\s]+(['"]?)([^\s'"&;|]+)\1/.exec(text);
  if (flag?.[2]) {
    facts.outputDir = { value: cleanDir(flag[2]), evidence: why };
    return facts;
  }
  const outDir = find(config, /\boutDir\s*:\s*['"`]([^'"`]+)['"`]/, at);
  facts.outputDir = outDir
    ? { value: cleanDir(posix.join(root, outDir.value)), evidence: outDir.evidence }
    : { value: posix.join(root, '.vitepress/dist'), evidence: `vitepress build ${root} writes ${posix.join(root, '.vitepress/dist')} (${why})` };
  return facts;
}

/** `base: '/docs/'` at the top level of a config (indented once): a sidebar's own `base` sits deeper. */
const TOP_LEVEL_BASE = /^(?: {1,4}|\t)base\s*:\s*['"`]([^'"`]*)['"`]/;

/** A base path as deploy-kit.yaml takes it ("/docs"), or undefined for the root, a relative base ("./") or a full URL. */
function basePathFact(match: { value: string; evidence: string } | undefined, evidence?: string): Fact<string> | undefined;
function basePathFact(value: string, evidence: string): Fact<string> | undefined;
function basePathFact(match: { value: string; evidence: string } | string | undefined, evidence = ''): Fact<string> | undefined {
  if (match === undefined) return undefined;
  const [raw, why] = typeof match === 'string' ? [match, evidence] : [match.value, match.evidence];
  const value = raw.replace(/\/+$/, '');
  return /^(\/[A-Za-z0-9._~-]+)+$/.test(value) ? { value, evidence: why } : undefined;
}

/**
 * The base path a site builder's config sets (Docusaurus `baseUrl`, Astro and Vite `base`), for a
 * static site: the image must serve the files there, since every page links under it.
 *
 * @example
 *   await configBasePath(input, 'docusaurus') // { value: '/docs', evidence: "docusaurus.config.js:8 baseUrl: '/docs/'," }
 */
export async function configBasePath(input: WebInput, framework: string | undefined): Promise<Fact<string> | undefined> {
  const read = async (base: string, pattern: RegExp): Promise<Fact<string> | undefined> => {
    const config: ConfigFile | undefined = await readConfig(input.dir, base);
    return basePathFact(find(config, pattern, input.at));
  };
  if (framework === 'docusaurus') return read('docusaurus.config', /\bbaseUrl\s*:\s*['"`]([^'"`]*)['"`]/);
  if (framework === 'astro') return read('astro.config', TOP_LEVEL_BASE);
  if (framework === 'vite') return read('vite.config', TOP_LEVEL_BASE);
  return undefined;
}
