/**
 * Just enough TOML for pyproject.toml and Pipfile: tables, `key = value` with multi-line arrays and
 * inline tables kept raw, and the strings inside a value. Not a validator: what it cannot read it
 * skips, and detection reports what it did find.
 */

export interface TomlEntry {
  /** The value as written (several lines for a multi-line array), comments outside strings removed. */
  raw: string;
  /** 1-based line of the key. */
  line: number;
}

/** Table name ("" for the top level, "tool.poetry.dependencies") -> key -> entry. */
export type TomlTables = Map<string, Map<string, TomlEntry>>;

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/;
const KEY = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=\s*(.*)$/;

export function parseToml(text: string): TomlTables {
  const tables: TomlTables = new Map([['', new Map()]]);
  let table = tables.get('') as Map<string, TomlEntry>;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const header = HEADER.exec(line);
    if (header) {
      const name = unquoteKey(header[1] ?? '');
      table = tables.get(name) ?? new Map();
      tables.set(name, table);
      continue;
    }
    const kv = KEY.exec(line);
    if (!kv) continue;
    const start = i;
    let raw = stripComment(kv[2] ?? '');
    // Arrays and inline tables may span lines; so may triple-quoted strings.
    if (/^("""|''')/.test(raw)) {
      const quote = raw.slice(0, 3);
      while (raw.indexOf(quote, 3) === -1 && i + 1 < lines.length) raw += `\n${lines[++i] ?? ''}`;
    } else {
      while (depth(raw) > 0 && i + 1 < lines.length) raw += `\n${stripComment(lines[++i] ?? '')}`;
    }
    table.set(unquoteKey(kv[1] ?? ''), { raw: raw.trim(), line: start + 1 });
  }
  return tables;
}

function unquoteKey(key: string): string {
  return key
    .split('.')
    .map((part) => part.trim().replace(/^"(.*)"$|^'(.*)'$/, '$1$2'))
    .join('.');
}

/** Removes a `#` comment that is not inside a string. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i).trimEnd();
  }
  return line;
}

/** Open brackets minus closed ones, outside strings. */
function depth(raw: string): number {
  let d = 0;
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') d++;
    else if (c === ']' || c === '}') d--;
  }
  return d;
}

/** A plain string value, or undefined when the value is not one. */
export function tomlString(entry: TomlEntry | undefined): string | undefined {
  const m = entry && /^(?:"((?:[^"\\]|\\.)*)"|'([^']*)')$/.exec(entry.raw);
  return m ? (m[1] ?? m[2] ?? '') : undefined;
}

/** Every string inside a value (an array of requirements, say), each with its 1-based line. */
export function tomlStrings(entry: TomlEntry | undefined): Array<{ value: string; line: number }> {
  if (!entry) return [];
  const out: Array<{ value: string; line: number }> = [];
  for (const m of entry.raw.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)) {
    const before = entry.raw.slice(0, m.index ?? 0);
    out.push({ value: m[1] ?? m[2] ?? '', line: entry.line + (before.match(/\n/g)?.length ?? 0) });
  }
  return out;
}
