/**
 * A small nginx configuration parser: enough structure (directives, arguments, blocks, source
 * spans and lines) for rule checks and for rewriting arguments in place without moving lines.
 * Syntax errors are nginx's own business (`nginx -t`); this parser is lenient and never throws.
 */

export interface Token {
  /** The argument as nginx sees it (quotes removed). */
  value: string;
  /** Source offsets of the token including quotes, for in-place rewriting. */
  start: number;
  end: number;
  line: number;
}

export interface Directive {
  name: string;
  nameToken: Token;
  args: Token[];
  line: number;
  /** Children when the directive opens a block (`server { ... }`). */
  block?: Directive[];
}

function tokenize(text: string): (Token & { kind: 'word' | '{' | '}' | ';' })[] {
  const tokens: (Token & { kind: 'word' | '{' | '}' | ';' })[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\n') {
      line++;
      i++;
    } else if (/\s/.test(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '{' || ch === '}' || ch === ';') {
      tokens.push({ kind: ch, value: ch, start: i, end: i + 1, line });
      i++;
    } else if (ch === '"' || ch === "'") {
      const start = i;
      const startLine = line;
      let value = '';
      i++;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        if (text[i] === '\n') line++;
        value += text[i];
        i++;
      }
      i++;
      tokens.push({ kind: 'word', value, start, end: i, line: startLine });
    } else {
      const start = i;
      while (i < text.length && !/[\s;{}]/.test(text[i] as string)) {
        // "${name}" is a variable, not a block.
        if (text[i] === '$' && text[i + 1] === '{') {
          while (i < text.length && text[i] !== '}') i++;
        }
        if (text[i] === '\\' && i + 1 < text.length) i++;
        i++;
      }
      tokens.push({ kind: 'word', value: text.slice(start, i), start, end: i, line });
    }
  }
  return tokens;
}

export function parseNginx(text: string): Directive[] {
  const tokens = tokenize(text);
  let index = 0;
  const parseBlock = (): Directive[] => {
    const directives: Directive[] = [];
    while (index < tokens.length) {
      const token = tokens[index] as (typeof tokens)[number];
      if (token.kind === '}') {
        index++;
        return directives;
      }
      if (token.kind !== 'word') {
        index++;
        continue;
      }
      const nameToken = { value: token.value, start: token.start, end: token.end, line: token.line };
      const directive: Directive = { name: token.value, nameToken, args: [], line: token.line };
      index++;
      while (index < tokens.length) {
        const next = tokens[index] as (typeof tokens)[number];
        if (next.kind === 'word') {
          directive.args.push({ value: next.value, start: next.start, end: next.end, line: next.line });
          index++;
        } else if (next.kind === ';') {
          index++;
          break;
        } else if (next.kind === '{') {
          index++;
          directive.block = parseBlock();
          break;
        } else {
          break;
        }
      }
      directives.push(directive);
    }
    return directives;
  };
  return parseBlock();
}

/** Every directive in the tree, depth first, with its ancestors (outermost first). */
export function* walk(directives: Directive[], ancestors: Directive[] = []): Generator<{ directive: Directive; ancestors: Directive[] }> {
  for (const directive of directives) {
    yield { directive, ancestors };
    if (directive.block) yield* walk(directive.block, [...ancestors, directive]);
  }
}
