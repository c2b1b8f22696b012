// Random and mutated deploy-kit.yaml texts for the fuzz tests (fast-check).
import fc from 'fast-check';
import { renderNewConfig } from '../src/config/write.js';
import { scenarios } from './_scenarios.js';

/** Valid configs as `init` writes them: the seeds that mutations start from. */
const SEEDS: string[] = Object.values(scenarios).map((c) => renderNewConfig(c));

/** Characters that mean something to YAML, plus the ones that break line-based tools. */
const YAML_CHARS = [...':-[]{}#&*!|>\'"%@`?,.~=<\\/ \t\n\r'.split(''), 'a', 'b', '1', '0', 'é', '🚀', '\u0000', '\uFEFF', '\u2028'];
const yamlish = fc.string({ unit: fc.constantFrom(...YAML_CHARS), maxLength: 60 });

/** Values that stress the schema and the YAML resolver (types, tags, anchors, sizes). */
const SCALARS = [
  '70000', '-1', '0', '3000.5', '1e999', '0x1F', '0o17', '""', "''", 'null', '~', 'true', 'yes', 'no', 'on',
  '[]', '{}', '[1, 2]', '{a: 1}', '&anchor value', '*anchor', '*missing', '!!binary aGVsbG8=', '!!str 3', '!!int "x"',
  '!!js/function "x"', '!custom x', '"a\\nb"', '"\\u0000"', '"\\x"', '.inf', '-.nan', '2001-12-14', '? x', '|-\n  block\n  text',
  '>\n  folded', `"${'a'.repeat(3000)}"`, '🚀', 'main # comment', "'it''s'", '"unterminated', '[unclosed', '{a: [}', '- item',
  '<<: *anchor', '@at', '`tick`', '%percent', 'a: b: c', '-- x', '../../etc/passwd', '/etc/passwd', '$(rm -rf /)', '${{ github.event.issue.title }}',
];

/** Keys a user (or a bad merge) might add: spaces, colons, newlines, prototypes, duplicates. */
const KEYS = [
  'foo bar', '"a:b"', '"line\\nbreak"', '"tab\\there"', '? [complex, key]', '__proto__', 'constructor', 'prototype',
  'services', 'version', 'name', '""', '"🚀"', '"a.b"', '"[0]"',
];

const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  '',
].join('\n');

type Mutation =
  | { op: 'delete'; at: number; len: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'dupLine' | 'dropLine' | 'indent' | 'dedent' | 'tabs'; line: number }
  | { op: 'swapLines'; line: number; other: number }
  | { op: 'scalar'; line: number; value: string }
  | { op: 'key'; line: number; key: string; value: string; indent: number }
  | { op: 'whole'; kind: 'crlf' | 'bom' | 'doc2' | 'directive' | 'aliasBomb' | 'noNewline' | 'flow' | 'nul' | 'deepNest' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(4000), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(4000), text: yamlish }),
  fc.record({ op: fc.constantFrom('dupLine' as const, 'dropLine' as const, 'indent' as const, 'dedent' as const, 'tabs' as const), line: fc.nat(80) }),
  fc.record({ op: fc.constant('swapLines' as const), line: fc.nat(80), other: fc.nat(80) }),
  { arbitrary: fc.record({ op: fc.constant('scalar' as const), line: fc.nat(80), value: fc.oneof(fc.constantFrom(...SCALARS), yamlish) }), weight: 3 },
  fc.record({
    op: fc.constant('key' as const),
    line: fc.nat(80),
    key: fc.oneof(fc.constantFrom(...KEYS), yamlish),
    value: fc.constantFrom(...SCALARS),
    indent: fc.constantFrom(0, 2, 4, 6),
  }),
  fc.record({
    op: fc.constant('whole' as const),
    kind: fc.constantFrom(
      ...(['crlf', 'bom', 'doc2', 'directive', 'aliasBomb', 'noNewline', 'flow', 'nul', 'deepNest'] as const),
    ),
  }),
);

function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const li = (n: number) => n % Math.max(1, lines.length);
  switch (m.op) {
    case 'delete': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.len);
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'dupLine':
      lines.splice(li(m.line), 0, lines[li(m.line)] ?? '');
      return lines.join('\n');
    case 'dropLine':
      lines.splice(li(m.line), 1);
      return lines.join('\n');
    case 'indent':
      lines[li(m.line)] = `  ${lines[li(m.line)] ?? ''}`;
      return lines.join('\n');
    case 'dedent':
      lines[li(m.line)] = (lines[li(m.line)] ?? '').replace(/^ {1,2}/, '');
      return lines.join('\n');
    case 'tabs':
      lines[li(m.line)] = (lines[li(m.line)] ?? '').replace(/^( +)/, (s) => '\t'.repeat(Math.ceil(s.length / 2)));
      return lines.join('\n');
    case 'swapLines': {
      const a = li(m.line);
      const b = li(m.other);
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      return lines.join('\n');
    }
    case 'scalar': {
      const i = li(m.line);
      lines[i] = (lines[i] ?? '').replace(/^(\s*(?:- )?[\w"'.-]+:)( .*)?$/, `$1 ${m.value}`);
      return lines.join('\n');
    }
    case 'key':
      lines.splice(li(m.line), 0, `${' '.repeat(m.indent)}${m.key}: ${m.value}`);
      return lines.join('\n');
    case 'whole':
      switch (m.kind) {
        case 'crlf':
          return text.replace(/\n/g, '\r\n');
        case 'bom':
          return `\uFEFF${text}`;
        case 'doc2':
          return `${text}\n---\nversion: 1\n`;
        case 'directive':
          return `%YAML 1.1\n---\n${text}`;
        case 'aliasBomb':
          return `${text}\n${ALIAS_BOMB}`;
        case 'noNewline':
          return text.replace(/\n+$/, '');
        case 'flow':
          return `{${text.split('\n').filter((l) => /^\w+: \S/.test(l)).join(', ')}}`;
        case 'nul':
          return text.replace(/\n/, '\n\u0000');
        case 'deepNest':
          return `${text}\nextra: ${'['.repeat(300)}${']'.repeat(300)}\n`;
      }
  }
}

/** A deploy-kit.yaml to parse: mostly a valid one mutated a few times; some pure noise. */
export const configText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([seed, ms]) => ms.reduce(mutate, seed)),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: yamlish },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null') },
);
