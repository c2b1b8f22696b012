/**
 * The validity tier's validators, as a library: the tests run them over every snapshot, and
 * `doctor` runs them over a user's repository. Each validator is (path for messages, text) ->
 * findings; validators that spawn a tool resolve to a ToolMissing when it is not installed.
 */
import { basename } from 'node:path';
import { validateCompose } from './compose.js';
import { validateDockerfile } from './dockerfile.js';
import { validateFormatting, validateJson } from './format.js';
import { validateNginx } from './nginx.js';
import { validateShell } from './shell.js';
import { validateGitlabCi } from './supply-chain.js';
import { isToolMissing, type Finding, type ToolMissing, type ToolPaths } from './types.js';
import { validateWorkflow } from './workflow.js';
import { validateYaml } from './yaml-util.js';

export { validateCompose } from './compose.js';
export { validateDockerfile } from './dockerfile.js';
export { validateFormatting, validateJson } from './format.js';
export { validateNginx } from './nginx.js';
export { validateShell } from './shell.js';
export { isToolMissing, type Finding, type ToolMissing, type ToolPaths } from './types.js';
export { validateWorkflow } from './workflow.js';
export { validateYaml } from './yaml-util.js';

export type FileKind = 'dockerfile' | 'workflow' | 'compose' | 'shell' | 'nginx' | 'yaml' | 'json' | 'markdown' | 'other';

/** Every kind, in the order reports list them. */
export const FILE_KINDS: readonly FileKind[] = ['dockerfile', 'workflow', 'compose', 'shell', 'nginx', 'yaml', 'json', 'markdown', 'other'];

export interface ValidateOptions {
  /** Dockerfile rule `dockerfile/healthcheck` (default true); off for platforms that probe on their own. */
  requireHealthcheck?: boolean;
  /** Paths of external programs (bash, shellcheck, nginx, openssl). */
  tools?: ToolPaths;
  /** Options for the prettier-stable check (markdown); defaults are prettier's own. */
  prettierOptions?: Record<string, unknown>;
}

export type ValidateResult =
  | { kind: FileKind; findings: Finding[] }
  /** The tool for this kind is missing: `skipped` says which; `findings` holds what the tool-free checks found. */
  | { kind: FileKind; skipped: string; findings: Finding[] };

const BASH_SHEBANG = /^#!\s*(?:\/usr\/bin\/env\s+bash|\/(?:usr\/)?bin\/bash)\b/;

/**
 * Which validator a file gets, from its path (and, for extensionless scripts, its shebang).
 *
 * @example
 * kindOf('.github/workflows/ci.yml') // 'workflow'
 * kindOf('deploy/nginx/app.conf')    // 'nginx'
 */
export function kindOf(path: string, text = ''): FileKind {
  const normalized = path.replace(/\\/g, '/');
  const name = basename(normalized);
  if (/^(?:Dockerfile|Containerfile)(?:\..+)?$/.test(name) && !name.endsWith('.dockerignore')) return 'dockerfile';
  if (/\.(?:Dockerfile|dockerfile|Containerfile)$/.test(name)) return 'dockerfile';
  if (/(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(normalized)) return 'workflow';
  if (/^(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml$/.test(name)) return 'compose';
  if (/\.sh$/.test(name) || BASH_SHEBANG.test(text)) return 'shell';
  if (/(?:^|\/)nginx\/[^/]+\.conf$/.test(normalized) || /\.nginx\.conf$/.test(name) || name === 'nginx.conf') return 'nginx';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (/\.json$/.test(name)) return 'json';
  if (/\.(?:md|markdown)$/.test(name)) return 'markdown';
  return 'other';
}

/**
 * Validates one file with the validator for its kind.
 *
 * @example
 * const result = await validateFile('Dockerfile', text);
 * if ('skipped' in result) console.warn(`skipped ${result.kind}: ${result.skipped}`);
 * for (const f of result.findings) console.log(`${f.file}:${f.line ?? '-'} [${f.rule}] ${f.message}`);
 */
export async function validateFile(path: string, text: string, opts: ValidateOptions = {}): Promise<ValidateResult> {
  const kind = kindOf(path, text);
  const tools = opts.tools ?? {};
  const withTool = (k: FileKind, result: Finding[] | ToolMissing): ValidateResult =>
    isToolMissing(result) ? { kind: k, skipped: result.message, findings: result.findings } : { kind: k, findings: result };
  switch (kind) {
    case 'dockerfile':
      return { kind, findings: validateDockerfile(path, text, opts.requireHealthcheck === undefined ? {} : { requireHealthcheck: opts.requireHealthcheck }) };
    case 'workflow':
      return withTool(kind, await validateWorkflow(path, text));
    case 'compose':
      return { kind, findings: await validateCompose(path, text) };
    case 'shell':
      return withTool(kind, await validateShell(path, text, tools));
    case 'nginx':
      return withTool(kind, await validateNginx(path, text, tools));
    case 'yaml':
      return { kind, findings: basename(path) === '.gitlab-ci.yml' ? validateGitlabCi(path, text) : validateYaml(path, text) };
    case 'json':
      return { kind, findings: validateJson(path, text) };
    case 'markdown':
      return { kind, findings: await validateFormatting(path, text, opts.prettierOptions) };
    default:
      return { kind: 'other', findings: [] };
  }
}
