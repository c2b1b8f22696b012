/**
 * Environment variables a pydantic `BaseSettings` class reads: each field of the class body is one
 * (pydantic-settings matches the name case-insensitively, with the class's `env_prefix` in front),
 * and a field with no default is one the app cannot start without.
 */

/** A variable a settings class reads: its conventional (upper-case) name, the field's line, and whether it has no default. */
export interface SettingsVar {
  name: string;
  line: number;
  required: boolean;
}

const CLASS = /^(\s*)class\s+\w+\s*\(([^)]*)\)\s*:/;
const FIELD = /^([A-Za-z_]\w*)\s*:\s*([^=]+?)\s*(?:=\s*(.*))?$/;

/**
 * Fields of every class in a Python file that derives from BaseSettings (`BaseSettings`,
 * `pydantic_settings.BaseSettings`). Methods, decorators, `model_config` and `class Config` are not fields.
 *
 * @example
 *   settingsVars('class S(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix="app_")\n    db_url: str\n')
 *   // [{ name: 'APP_DB_URL', line: 3, required: true }]
 */
export function settingsVars(text: string): SettingsVar[] {
  if (!text.includes('BaseSettings')) return [];
  const lines = text.split('\n');
  const out: SettingsVar[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = CLASS.exec(lines[i]!);
    if (!m || !/(?:^|[\s,.])BaseSettings\s*(?:,|$)/.test(m[2]!)) continue;
    const classIndent = m[1]!.length;
    const body: Array<{ text: string; line: number }> = [];
    let bodyIndent = -1;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      const indent = line.length - line.trimStart().length;
      if (indent <= classIndent) break;
      if (bodyIndent < 0) bodyIndent = indent;
      body.push({ text: line, line: j + 1 });
    }
    i = j - 1;
    const whole = body.map((b) => b.text).join('\n');
    const prefix = /\benv_prefix\s*=\s*['"]([^'"]*)['"]/.exec(whole)?.[1] ?? '';
    const caseSensitive = /\bcase_sensitive\s*=\s*True\b/.test(whole);
    let inBlock = false;
    for (const { text: line, line: number } of body) {
      const indent = line.length - line.trimStart().length;
      if (indent > bodyIndent) continue; // a method's or a nested class's body
      const stmt = line.trim();
      inBlock = /^(?:def|async\s+def|class|@)/.test(stmt);
      if (inBlock) continue;
      const f = FIELD.exec(stmt);
      if (!f || f[1] === 'model_config' || /^ClassVar\b/.test(f[2]!)) continue;
      const field = `${prefix}${f[1]!}`;
      const name = caseSensitive ? field : field.toUpperCase();
      const dflt = f[3]?.trim();
      const required = dflt === undefined || /^Field\(\s*(?:\.\.\.|default\s*=\s*\.\.\.)\s*[,)]/.test(dflt);
      out.push({ name, line: number, required });
    }
  }
  return out;
}
