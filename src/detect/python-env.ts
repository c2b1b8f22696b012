import type { SettingsVar } from './pydantic-settings.js';
import { lineIndex } from './walk.js';

/**
 * Environment variables Python settings read through a library rather than `os.environ`:
 * django-environ (`env = environ.Env()`, then `env("X")`, `env.bool("X", default=False)`, `env.db()`),
 * python-decouple (`config("X")`), dj-database-url (`dj_database_url.config()` reads DATABASE_URL)
 * and `"X" in os.environ`. A django-environ or decouple read without `default=` raises when the
 * variable is unset: the app cannot start without it.
 *
 * @example
 *   libraryVars('import environ\nenv = environ.Env()\nSECRET_KEY = env("SECRET_KEY")\nDATABASES = {"default": env.db()}\n')
 *   // [{ name: 'SECRET_KEY', line: 3, required: true }, { name: 'DATABASE_URL', line: 4, required: true }]
 */
export function libraryVars(text: string): SettingsVar[] {
  const out: SettingsVar[] = [];
  const lineOf = lineIndex(text);
  const lines = text.split('\n');
  const comment = (line: number): boolean => /^\s*#/.test(lines[line - 1] ?? '');
  const add = (name: string, index: number, required: boolean): void => {
    const line = lineOf(index);
    // A read under `if USE_S3:` (or in a function) is needed only on that branch: not required.
    if (!comment(line)) out.push({ name, line, required: required && !conditional(lines, line) });
  };

  // django-environ: each name bound to environ.Env() (usually `env`).
  for (const bound of text.matchAll(/^(\w+)\s*=\s*environ\.(?:FileAware)?Env\(/gm)) {
    const reader = bound[1] ?? '';
    // environ.Env(DEBUG=(bool, False)) gives DEBUG its cast and default.
    const given = new Set([...callArgs(text, (bound.index ?? 0) + bound[0].length).matchAll(/\b([A-Za-z_]\w*)\s*=\s*\(/g)].map((g) => g[1]));
    for (const m of text.matchAll(new RegExp(`\\b${reader}(?:\\.(\\w+))?\\(\\s*(?:(['"])([A-Za-z_]\\w*)\\2)?`, 'g'))) {
      const method = m[1];
      const args = callArgs(text, (m.index ?? 0) + m[0].length);
      const required = !hasDefault(args);
      if (m[3]) add(m[3], m.index ?? 0, required && !given.has(m[3]));
      // env.db() and env.cache() read DATABASE_URL and CACHE_URL when given no name.
      else if (method === 'db' || method === 'db_url') add('DATABASE_URL', m.index ?? 0, required);
      else if (method === 'cache' || method === 'cache_url') add('CACHE_URL', m.index ?? 0, required);
    }
  }
  // python-decouple: `from decouple import config` (or AutoConfig's `config = AutoConfig(...)`).
  if (/^\s*from\s+decouple\s+import\s+[^\n]*\bconfig\b|^config\s*=\s*(?:decouple\.)?AutoConfig\(/m.test(text)) {
    for (const m of text.matchAll(/\bconfig\(\s*(['"])([A-Za-z_]\w*)\1/g)) {
      add(m[2] ?? '', m.index ?? 0, !hasDefault(callArgs(text, (m.index ?? 0) + m[0].length)));
    }
  }
  // dj-database-url: config() reads DATABASE_URL unless env= names another variable.
  for (const m of text.matchAll(/\bdj_database_url\.config\(/g)) {
    const args = callArgs(text, (m.index ?? 0) + m[0].length);
    const env = /\benv\s*=\s*(?:(['"])([A-Za-z_]\w*)\1|([\w.]+))/.exec(args);
    if (!env) add('DATABASE_URL', m.index ?? 0, false);
    else if (env[2]) add(env[2], m.index ?? 0, false);
    else if (env[3] === 'dj_database_url.DEFAULT_ENV') add('DATABASE_URL', m.index ?? 0, false);
  }
  for (const m of text.matchAll(/(['"])([A-Za-z_]\w*)\1\s+(?:not\s+)?in\s+os\.environ\b/g)) add(m[2] ?? '', m.index ?? 0, false);
  return out;
}

/** Whether line `line` (1-based) sits in a block that may not run: under if/else/try/for/while/with, in a def or a class. */
function conditional(lines: string[], line: number): boolean {
  const indent = (l: string): number => l.length - l.trimStart().length;
  let level = indent(lines[line - 1] ?? '');
  for (let j = line - 2; j >= 0 && level > 0; j--) {
    const l = lines[j] ?? '';
    if (l.trim() === '' || /^\s*#/.test(l) || indent(l) >= level) continue;
    if (/^\s*(?:if|elif|else|try|except|finally|for|while|with|def|async|class)\b/.test(l)) return true;
    level = indent(l);
  }
  return false;
}

/** A default after the name: `default=...`, or a second positional argument (`env.bool("DEBUG", False)`). */
function hasDefault(rest: string): boolean {
  return /\bdefault\s*=/.test(rest) || /^\s*,\s*(?!\w+\s*=)\S/.test(rest);
}

/** The text of a call's arguments from `start` (just past the opening parenthesis) to its closing one. */
function callArgs(text: string, start: number): string {
  let depth = 1;
  for (let i = start; i < text.length && i < start + 2000; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (depth === 0) return text.slice(start, i);
  }
  return text.slice(start, start + 2000);
}
