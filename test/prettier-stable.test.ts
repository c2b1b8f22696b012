/**
 * No formatter runs at run time: templates write YAML, JSON and Markdown exactly as prettier
 * prints them (printWidth 100, proseWrap preserve), and src/plan/format.ts finishes the layouts
 * that depend on the data. Here prettier (a devDependency) keeps both honest: every such file of
 * every scenario is prettier-stable, and the helpers print what prettier prints for any input.
 */
import fc from 'fast-check';
import * as prettier from 'prettier';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { alignMarkdownTables, collapseBlankLines, formatOutput, formatYamlFlowSequences } from '../src/plan/format.js';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';

const OPTIONS = { printWidth: 100, proseWrap: 'preserve' } as const;

function parserFor(path: string): string | undefined {
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (/\.json$/.test(path)) return 'json';
  if (/\.md$/.test(path)) return 'markdown';
  return undefined;
}

const pretty = (text: string, parser: string) => prettier.format(text, { parser, ...OPTIONS });

test('every rendered YAML, JSON and Markdown file of every scenario is what prettier prints', async () => {
  const unstable: string[] = [];
  let checked = 0;
  for (const [name, config] of Object.entries(scenarios)) {
    for (const file of await renderScenario(config)) {
      const parser = parserFor(file.path);
      if (!parser || file.copiedFrom !== undefined) continue;
      checked++;
      if ((await pretty(file.content, parser)) !== file.content) unstable.push(`${name}/${file.path}`);
    }
  }
  assert.ok(checked > 100, `checked ${checked} files`);
  assert.equal(unstable, [], 'these files change under prettier: fix their template (or src/plan/format.ts where the data decides the layout)');
});

// Strings a command or a path may hold: quotes, backslashes, dollars, unicode, and long ones.
const word = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '"', "'", '\\', '$', '{', '-', '/', ':', '#', 'é', '\t'), maxLength: 40 });
const longWord = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '-', '"'), minLength: 20, maxLength: 95 });

test('a flow sequence of strings is laid out as prettier does (quotes, same line, next line, one per line)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: 8 }), fc.array(fc.oneof(word, longWord), { maxLength: 6 }), async (depth, items) => {
      const indent = '  '.repeat(depth);
      let text = '';
      for (let d = 0; d < depth; d++) text += `${'  '.repeat(d)}k${d}:\n`;
      text += `${indent}test: ${JSON.stringify(items)}\n${indent}after: 1\n`;
      assert.fixture(formatYamlFlowSequences(text), await pretty(text, 'yaml'));
    }),
    { numRuns: 300 },
  );
});

test('flow sequences inside a block scalar are text, left as they are', () => {
  const text = 'run: |\n  x: ["a","b"]\nnext: ["a","b"]\n';
  assert.is(formatYamlFlowSequences(text), 'run: |\n  x: ["a","b"]\nnext: ["a", "b"]\n');
});

// Cells as templates write them: words and code spans with single spaces between (prettier
// rewrites runs of spaces and padded code spans, which no template writes).
const token = fc.string({ unit: fc.constantFrom('a', 'B', '1', '.', '-', 'é', '日', '🚀'), minLength: 1, maxLength: 8 });
const cell = fc
  .array(fc.tuple(token, fc.boolean()).map(([t, code]) => (code ? `\`${t}\`` : t)), { minLength: 1, maxLength: 4 })
  .map((words) => words.join(' ').replace(/^-+$/, 'x'));

test('a Markdown table is aligned as prettier aligns it (any widths, alignments and indents)', async () => {
  const align = fc.constantFrom('---', ':--', '--:', ':-:');
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }).chain((n) =>
        fc.record({
          aligns: fc.array(align, { minLength: n, maxLength: n }),
          rows: fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: 2, maxLength: 5 }),
        }),
      ),
      fc.boolean(),
      async ({ aligns, rows }, inList) => {
        const [head, ...body] = rows;
        const lines = [`| ${head!.join(' | ')} |`, `| ${aligns.join(' | ')} |`, ...body.map((r) => `|${r.join('|')}|`)];
        const text = inList ? `- item\n\n${lines.map((l) => `  ${l}`).join('\n')}\n` : `Intro.\n\n${lines.join('\n')}\n\nAfter.\n`;
        assert.fixture(alignMarkdownTables(text), await pretty(text, 'markdown'));
      },
    ),
    { numRuns: 300 },
  );
});

test('tables inside code blocks are left alone; runs of blank lines become one outside them', async () => {
  const text = '# T\n\n\n```sh\n| a |\n| - |\n\n\necho\n```\n\n\n| a | b |\n| - | - |\n| long | x |\n\n\n';
  const out = formatOutput('DEPLOY.md', text);
  assert.fixture(out, await pretty(text, 'markdown'));
  assert.is(collapseBlankLines('\n\na\n\n\nb\n\n'), 'a\n\nb\n');
});

test.run();
