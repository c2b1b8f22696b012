/**
 * The last step of a render, without a formatter at run time: templates write YAML, JSON and
 * Markdown exactly as prettier (printWidth 100, proseWrap preserve) prints them, and
 * test/prettier-stable.test.ts holds every rendered file of every scenario to that. Only two
 * layouts depend on the data, so they are finished here the way prettier would print them:
 *   - a YAML flow sequence of quoted strings (`test: ["CMD", ...]`, branch filters): its quotes,
 *     and whether it stays on the key's line, moves to the next or takes one line per item;
 *   - a Markdown table: its columns padded to the widest cell;
 *   - Markdown's blank lines: runbook sections come and go with the config, and where two meet
 *     (or one is empty) two blank lines become one.
 */

const WIDTH = 100;

/** Ends `text` with one newline and finishes the data-dependent layouts of YAML and Markdown files. */
export function formatOutput(path: string, text: string): string {
  const out = text.endsWith('\n') ? text : `${text}\n`;
  if (/\.ya?ml$/.test(path)) return formatYamlFlowSequences(out);
  if (/\.md$/.test(path)) return alignMarkdownTables(collapseBlankLines(out));
  return out;
}

// `key: [...]` on one line, outside block scalars.
const FLOW_LINE = /^( *)([\w.$-]+:) \[(.*)\]$/;
// A line that opens a block scalar (`run: |`, `script: >-`): the lines indented under it are its text.
const BLOCK_SCALAR = /(?:^|[:-] )[|>][-+0-9]*$/;

/**
 * Each one-line flow sequence whose items are JSON strings or numbers, laid out as prettier does:
 * on the key's line when it fits, else on the next line, else one item per line with a trailing
 * comma. Other lines (and anything inside a block scalar) are left as they are.
 */
export function formatYamlFlowSequences(text: string): string {
  const lines = text.split('\n');
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (BLOCK_SCALAR.test(line.replace(/\s+#.*$/, ''))) {
      blockIndent = indent;
      continue;
    }
    const m = FLOW_LINE.exec(line);
    if (!m) continue;
    const items = jsonItems(m[3]!);
    if (items) lines[i] = flowSequence(m[1]!, m[2]!, items);
  }
  return lines.join('\n');
}

function jsonItems(inner: string): string[] | undefined {
  let values: unknown;
  try {
    values = JSON.parse(`[${inner}]`);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' || typeof v === 'number')) return undefined;
  return values.map((v) => (typeof v === 'number' ? String(v) : yamlQuoted(v)));
}

/**
 * A string as prettier prints a double-quoted YAML scalar: kept double-quoted when it needs an
 * escape other than `\"`; single-quoted when it holds a `"` (so none needs escaping); else double.
 */
function yamlQuoted(value: string): string {
  const raw = JSON.stringify(value).slice(1, -1);
  if (/\\[^"]/.test(raw)) return `"${raw}"`;
  if (raw.includes('"')) return `'${raw.replaceAll('\\"', '"').replaceAll("'", "''")}'`;
  return `"${raw}"`;
}

function flowSequence(indent: string, key: string, items: string[]): string {
  const inline = `[${items.join(', ')}]`;
  if (stringWidth(`${indent}${key} ${inline}`) <= WIDTH || items.length === 0) return `${indent}${key} ${inline}`;
  const inner = `${indent}  `;
  if (stringWidth(`${inner}${inline}`) <= WIDTH) return `${indent}${key}\n${inner}${inline}`;
  return [`${indent}${key}`, `${inner}[`, ...items.map((item) => `${inner}  ${item},`), `${inner}]`].join('\n');
}

/** The fence marker (```` ``` ```` or `~~~`) a line opens or closes a code block with, if any. */
function fenceOf(line: string): string | undefined {
  return /^ *(`{3,}|~{3,})/.exec(line)?.[1];
}

/** Whether `marker` closes the code block `fence` opened (or, outside one, opens a block). */
function closes(fence: string | null, marker: string): boolean {
  return fence === null || (marker[0] === fence[0] && marker.length >= fence.length);
}

/** Markdown with runs of blank lines outside code blocks made one, and none at the start, as prettier prints it. */
export function collapseBlankLines(text: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const marker = fenceOf(line);
    if (marker && closes(fence, marker)) fence = fence === null ? marker : null;
    else if (fence === null && line.trim() === '' && (out.length === 0 || out.at(-1)!.trim() === '')) continue;
    out.push(line);
  }
  const joined = out.join('\n');
  return joined.endsWith('\n') ? joined : `${joined}\n`;
}

const DELIMITER_ROW = /^ *\|(?: *:?-+:? *\|)+ *$/;

/**
 * Markdown tables (a header row, a delimiter row, body rows; at any indent, outside code fences)
 * with every column padded to its widest cell, as prettier aligns them: cells left-aligned,
 * centred (`:-:`, the extra space on the right) or right-aligned (`--:`), delimiters at least 3 wide.
 */
export function alignMarkdownTables(text: string): string {
  const lines = text.split('\n');
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = fenceOf(line);
    if (marker && closes(fence, marker)) {
      fence = fence === null ? marker : null;
      continue;
    }
    if (fence !== null || !line.trimStart().startsWith('|') || !DELIMITER_ROW.test(lines[i + 1] ?? '')) continue;
    let end = i + 2;
    while (end < lines.length && lines[end]!.trimStart().startsWith('|')) end++;
    lines.splice(i, end - i, ...alignTable(lines.slice(i, end)));
    i = end - 1;
  }
  return lines.join('\n');
}

type Align = 'none' | 'left' | 'center' | 'right';

function alignTable(rows: string[]): string[] {
  const indent = ' '.repeat(rows[0]!.length - rows[0]!.trimStart().length);
  const cells = rows.map(splitRow);
  const aligns: Align[] = cells[1]!.map((d) => (d.startsWith(':') ? (d.endsWith(':') ? 'center' : 'left') : d.endsWith(':') ? 'right' : 'none'));
  const columns = aligns.length;
  const widths = aligns.map((_, c) => Math.max(3, ...cells.filter((_, r) => r !== 1).map((row) => stringWidth(row[c] ?? ''))));
  return cells.map((row, r) => {
    const out: string[] = [];
    for (let c = 0; c < columns; c++) out.push(r === 1 ? delimiter(aligns[c]!, widths[c]!) : pad(row[c] ?? '', aligns[c]!, widths[c]!));
    return `${indent}| ${out.join(' | ')} |`;
  });
}

/** The trimmed cells of a table row: split on each `|` that no backslash escapes. */
function splitRow(row: string): string[] {
  const body = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return body.split(/(?<!\\)\|/).map((c) => c.trim());
}

function delimiter(align: Align, width: number): string {
  if (align === 'left') return `:${'-'.repeat(width - 1)}`;
  if (align === 'right') return `${'-'.repeat(width - 1)}:`;
  if (align === 'center') return `:${'-'.repeat(width - 2)}:`;
  return '-'.repeat(width);
}

function pad(cell: string, align: Align, width: number): string {
  const space = width - stringWidth(cell);
  if (align === 'right') return ' '.repeat(space) + cell;
  if (align === 'center') return ' '.repeat(Math.floor(space / 2)) + cell + ' '.repeat(space - Math.floor(space / 2));
  return cell + ' '.repeat(space);
}

// East Asian wide and fullwidth ranges (each counts 2 columns, as prettier's string width counts them).
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x3fffd],
];

// Built from a string (the `v` flag is newer than the ES2022 the compiler targets; Node 20 has
// it), and only for a cell that is not ASCII: building it costs about 10 ms.
let emoji: RegExp | undefined;

/**
 * The columns `text` takes, as prettier counts them: ASCII one each; an emoji two; an East Asian
 * wide character two; control and combining characters none.
 */
function stringWidth(text: string): number {
  if (!/[^\x20-\x7e]/.test(text)) return text.length;
  let width = 0;
  emoji ??= new RegExp('\\p{RGI_Emoji}', 'gv');
  for (const ch of text.replace(emoji, '  ')) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x300 && cp <= 0x36f)) continue;
    width += WIDE.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1;
  }
  return width;
}
