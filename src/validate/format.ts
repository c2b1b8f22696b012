import type { Finding } from './types.js';

/** JSON parse check, with the line and column of the first error. */
export function validateJson(file: string, text: string): Finding[] {
  try {
    JSON.parse(text);
    return [];
  } catch (error) {
    // Node 20's JSON.parse messages carry no position for many errors; find it with a small scanner.
    const located = locateJsonError(text);
    const detail = located ? `${located.message} at line ${located.line} column ${located.column}` : error instanceof Error ? error.message : String(error);
    const finding: Finding = {
      rule: 'json/syntax',
      severity: 'error',
      file,
      message: `invalid JSON: ${detail}`,
      fix: 'Fix the JSON so it parses (no trailing commas or comments).',
    };
    if (located) finding.line = located.line;
    return [finding];
  }
}

/** Where a strict JSON parse fails: a recursive-descent scan that stops at the first bad character. */
export function locateJsonError(text: string): { line: number; column: number; message: string } | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw Object.assign(new Error(message), { offset: i });
  };
  const ws = () => {
    while (i < text.length && /[ \t\n\r]/.test(text[i] as string)) i++;
  };
  const describe = () => (i >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[i])}`);
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(describe());
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const ch = text[i] as string;
      if (ch < ' ') fail('control character in string');
      if (ch === '\\') {
        const next = text[i + 1] ?? '';
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape');
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(next) || next === '') fail('bad escape');
        i += 2;
        continue;
      }
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`${describe()}, expected a property name`);
        string();
        ws();
        if (text[i] !== ':') fail(`${describe()}, expected ":"`);
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`${describe()}, expected "," or "}"`);
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`${describe()}, expected "," or "]"`);
      }
    } else if (ch === '"') {
      string();
    } else if (ch === 't') {
      literal('true');
    } else if (ch === 'f') {
      literal('false');
    } else if (ch === 'n') {
      literal('null');
    } else {
      const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!number) fail(describe());
      i += (number as RegExpExecArray)[0].length;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`${describe()} after the JSON value`);
    return undefined;
  } catch (error) {
    const offset = (error as { offset?: number }).offset ?? i;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return { line, column, message: (error as Error).message };
  }
}

/**
 * Prettier-stable check: formatting the file with prettier (parser chosen from the file name)
 * must not change it. Prettier is imported lazily: it is large and only this check needs it.
 *
 * @example
 * await validateFormatting('DEPLOY.md', text); // [] when prettier leaves it as is
 */
export async function validateFormatting(file: string, text: string, prettierOptions: Record<string, unknown> = {}): Promise<Finding[]> {
  const prettier = await import('prettier');
  let formatted: string;
  try {
    formatted = await prettier.format(text, { ...prettierOptions, filepath: file });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return [
      { rule: 'format/prettier', severity: 'error', file, message: `prettier cannot parse the file: ${message}`, fix: 'Fix the syntax prettier reports.' },
    ];
  }
  if (formatted === text) return [];
  const before = text.split('\n');
  const after = formatted.split('\n');
  let index = 0;
  while (index < before.length && before[index] === after[index]) index++;
  const wanted = JSON.stringify(after[index] ?? '(end of file)');
  const found = JSON.stringify(before[index] ?? '(end of file)');
  return [
    {
      rule: 'format/prettier',
      severity: 'warning',
      file,
      line: Math.min(index + 1, before.length),
      message: `not prettier-formatted: from this line prettier would write ${wanted} instead of ${found}`,
      fix: `Run npx prettier --write ${file}.`,
    },
  ];
}
