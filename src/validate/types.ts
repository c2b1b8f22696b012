/**
 * The one result type every checker returns, so `doctor`, the validity tier and any future
 * consumer print and count findings the same way.
 */
export interface Finding {
  /** Stable rule id, e.g. "dockerfile/non-root-user", "actionlint/job-needs", "shellcheck/SC2086". */
  rule: string;
  severity: 'error' | 'warning';
  /** The path given to the checker (used only in messages). */
  file: string;
  /** 1-based line of the offending instruction/key/line, when known. */
  line?: number;
  /** What is wrong and why it matters. */
  message: string;
  /** How to fix it. */
  fix?: string;
}

/**
 * A checker needed an external program that is not installed. Not a pass: the caller decides
 * whether that is a skip (a developer machine) or a failure (CI). `findings` holds what the
 * checks that did not need the tool found, so nothing already known is thrown away.
 */
export interface ToolMissing {
  toolMissing: true;
  /** The program that could not be run, e.g. "shellcheck". */
  tool: string;
  /** e.g. "shellcheck not installed". */
  message: string;
  findings: Finding[];
}

export function isToolMissing(value: unknown): value is ToolMissing {
  return typeof value === 'object' && value !== null && (value as { toolMissing?: unknown }).toolMissing === true;
}

/** Paths of external programs; tests pass a bogus path to exercise the tool-missing branch. */
export interface ToolPaths {
  bash?: string;
  shellcheck?: string;
  nginx?: string;
  openssl?: string;
}
