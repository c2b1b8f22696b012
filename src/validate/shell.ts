import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { MISSING, runTool } from './run.js';
import type { Finding, ToolMissing, ToolPaths } from './types.js';

const SHELL_RULES = {
  syntax: 'shell/syntax',
  shebang: 'shell/shebang',
  strictMode: 'shell/strict-mode',
  /** shellcheck findings use `shellcheck/SC<code>`; this one is for shellcheck itself failing. */
  shellcheckFailed: 'shellcheck/failed',
} as const;
const R = SHELL_RULES;

const SHEBANG = '#!/usr/bin/env bash';

interface ShellcheckComment {
  line: number;
  column: number;
  level: 'error' | 'warning' | 'info' | 'style';
  code: number;
  message: string;
  fix?: { replacements: { line: number; column: number; endColumn: number; replacement: string }[] } | null;
}

/**
 * Checks a bash script: `bash -n` (syntax), shellcheck (every level; `shellcheck/SC<code>`), and
 * deploy-kit's rules (shebang, strict mode). Resolves to a ToolMissing, not a pass, when bash or
 * shellcheck is not installed; its `findings` still hold what the other checks found.
 *
 * @example
 * const result = await validateShell('deploy/deploy.sh', text);
 * if (isToolMissing(result)) console.warn(result.message); else report(result);
 */
export async function validateShell(file: string, text: string, tools: ToolPaths = {}): Promise<Finding[] | ToolMissing> {
  const findings = shellRules(file, text);
  // A temp copy under the script's own name: bash -n only reports line numbers for a file.
  const dir = await mkdtemp(join(tmpdir(), 'deploy-kit-sh-'));
  try {
    const path = join(dir, basename(file) || 'script.sh');
    await writeFile(path, text);

    const syntax = await runTool(tools.bash ?? 'bash', ['-n', path]);
    if (syntax === MISSING) return missing('bash', findings);
    findings.push(...bashSyntaxFindings(file, path, syntax.stderr));

    const shellcheck = await runTool(tools.shellcheck ?? 'shellcheck', ['--format=json1', '--severity=style', path]);
    if (shellcheck === MISSING) return missing('shellcheck', findings);
    let comments: ShellcheckComment[] | undefined;
    try {
      comments = (JSON.parse(shellcheck.stdout) as { comments: ShellcheckComment[] }).comments;
    } catch {
      comments = undefined;
    }
    if (!comments) {
      findings.push({
        rule: R.shellcheckFailed,
        severity: 'error',
        file,
        message: `shellcheck could not check the script: ${shellcheck.stderr.trim() || `exit ${shellcheck.code}`}`,
        fix: 'Run shellcheck on the file by hand to see why.',
      });
    } else {
      findings.push(...comments.map((c) => shellcheckFinding(file, text, c)));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function missing(tool: string, findings: Finding[]): ToolMissing {
  return { toolMissing: true, tool, message: `${tool} not installed`, findings };
}

function bashSyntaxFindings(file: string, path: string, stderr: string): Finding[] {
  const findings: Finding[] = [];
  for (const raw of stderr.split('\n')) {
    const match = /^(.*?): line (\d+): (.*)$/.exec(raw);
    if (!match || match[1] !== path) continue;
    const message = match[3] ?? '';
    const previous = findings[findings.length - 1];
    // bash follows "syntax error near ..." with the offending source line; fold it in.
    if (previous && message.startsWith('`')) {
      previous.message += ` in ${message}`;
      continue;
    }
    findings.push({
      rule: R.syntax,
      severity: 'error',
      file,
      line: Number(match[2]),
      message: `bash -n: ${message}`,
      fix: 'Fix the syntax error; bash refuses to run the script.',
    });
  }
  return findings;
}

function shellcheckFinding(file: string, text: string, comment: ShellcheckComment): Finding {
  const code = `SC${comment.code}`;
  let fix = `See https://www.shellcheck.net/wiki/${code}`;
  const replacements = comment.fix?.replacements ?? [];
  const sourceLine = text.split('\n')[comment.line - 1];
  if (replacements.length > 0 && sourceLine !== undefined && replacements.every((r) => r.line === comment.line)) {
    // Apply right to left so earlier columns stay valid.
    let fixed = sourceLine;
    for (const r of [...replacements].sort((a, b) => b.column - a.column)) {
      fixed = fixed.slice(0, r.column - 1) + r.replacement + fixed.slice(r.endColumn - 1);
    }
    fix = `Change to: ${fixed.trim()} (${fix})`;
  }
  return {
    rule: `shellcheck/${code}`,
    severity: comment.level === 'error' ? 'error' : 'warning',
    file,
    line: comment.line,
    message: `${code} (${comment.level}): ${comment.message}`,
    fix,
  };
}

/** Shebang and strict mode; no tool needed. */
function shellRules(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split('\n');
  const first = (lines[0] ?? '').trimEnd();
  if (first !== SHEBANG) {
    findings.push({
      rule: R.shebang,
      severity: 'error',
      file,
      line: 1,
      message: first.startsWith('#!')
        ? `shebang is "${first}", not "${SHEBANG}": the script may run under another shell, or miss the bash first on PATH`
        : `no "${SHEBANG}" shebang: run directly, the script is interpreted by whatever shell the caller uses`,
      fix: `Make the first line ${SHEBANG}.`,
    });
  }

  // Strict mode must come before the commands it is meant to protect.
  const commandLines = lines
    .map((content, index) => ({ content: content.trim(), line: index + 1 }))
    .filter(({ content, line }) => line > 1 && content !== '' && !content.startsWith('#'));
  const strictAt = commandLines.findIndex(({ content }) => isStrictMode(content));
  if (strictAt === -1 || strictAt >= 5) {
    const at = strictAt === -1 ? undefined : commandLines[strictAt];
    findings.push({
      rule: R.strictMode,
      severity: 'error',
      file,
      line: at?.line ?? 1,
      message: at
        ? 'set -euo pipefail comes after other commands, which run without it'
        : 'no set -euo pipefail near the top: a failing command or an unset variable does not stop the script, and a deploy carries on half-done',
      fix: `Put set -euo pipefail right after the shebang.`,
    });
  }
  return findings;
}

/** True for `set -euo pipefail` and equivalents (`set -Eeuo pipefail`, `set -e -u -o pipefail`). */
function isStrictMode(line: string): boolean {
  const match = /^set\s+(.*?)\s*(?:#.*)?$/.exec(line);
  if (!match) return false;
  const tokens = (match[1] ?? '').split(/\s+/);
  const flags = new Set<string>();
  const options = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (!/^-[A-Za-z]+$/.test(token)) continue;
    for (const letter of token.slice(1)) {
      if (letter === 'o') options.add(tokens[++i] ?? '');
      else flags.add(letter);
    }
  }
  return (flags.has('e') || options.has('errexit')) && (flags.has('u') || options.has('nounset')) && options.has('pipefail');
}
