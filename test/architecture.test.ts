// The code's shape, as tests: data flows one way (detect -> config -> view -> plan -> apply, with
// the CLI on top), generators never reach back into the planner or the CLI, no module imports
// itself through a cycle, and no source file grows past the size a reader can hold.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = resolve(new URL('.', import.meta.url).pathname, '..');
const SOURCE_DIRS = ['src', 'generators', 'stacks'];

function tsFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative import (static, dynamic and type-only) of a file, as repo paths of .ts files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  return specs.map((s) => relative(root, resolve(dirname(file), s.replace(/\.js$/, '.ts'))));
}

const files = SOURCE_DIRS.flatMap((d) => tsFiles(join(root, d))).map((f) => relative(root, f));
const graph = new Map(files.map((f) => [f, importsOf(join(root, f))]));

/** The layer a file belongs to, by its folder. */
function layer(file: string): string {
  const [top, second] = file.split('/');
  return top === 'src' ? `src/${second?.endsWith('.ts') ? '' : second}` : `${top}`;
}

test('the import scanner sees the graph (a broken scanner would make every rule below pass)', () => {
  assert.ok(files.length > 50, `found ${files.length} source files`);
  assert.ok(graph.get('src/plan/index.ts')?.includes('generators/index.ts'), 'the planner imports the generator registry');
  assert.ok(graph.get('generators/vps/index.ts')?.includes('generators/vps/view.ts'), 'a target imports its own view');
});

test('generators never import the planner, the CLI, apply or doctor; only the planner and the CLI shell import generators', () => {
  const bad: string[] = [];
  for (const [file, deps] of graph) {
    for (const dep of deps) {
      if (file.startsWith('generators/') && /^src\/(plan|cli|apply|doctor|prompts)\//.test(dep)) bad.push(`${file} -> ${dep}`);
      if (dep.startsWith('generators/') && !file.startsWith('generators/') && !/^src\/(plan|cli)\//.test(file)) bad.push(`${file} -> ${dep}`);
    }
  }
  assert.equal(bad, []);
});

test('upstream layers never import downstream ones (detect, config and view know nothing of plan, apply or the CLI)', () => {
  const order = ['src/detect', 'src/config', 'src/view', 'src/plan', 'src/apply', 'src/cli'];
  const bad: string[] = [];
  for (const [file, deps] of graph) {
    const from = order.indexOf(layer(file));
    if (from < 0) continue;
    for (const dep of deps) {
      const to = order.indexOf(layer(dep));
      // src/config reads detection's facts; detection never reads config, and so on down the line.
      if (to > from && !(layer(file) === 'src/detect' && layer(dep) === 'src/config' && dep === 'src/config/types.ts')) bad.push(`${file} -> ${dep}`);
    }
  }
  assert.equal(bad, []);
});

test('no import cycle anywhere in src, generators and stacks', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const dep of graph.get(file) ?? []) if (graph.has(dep)) visit(dep, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  assert.equal(cycles, []);
});

test('no source file over 400 lines unless a "size:" note at its top says why the size is earned', () => {
  const long = files.filter((f) => {
    const text = readFileSync(join(root, f), 'utf8');
    return text.split('\n').length > 400 && !/^\/\/ size: /m.test(text.slice(0, 2000));
  });
  assert.equal(long, []);
});

test.run();
