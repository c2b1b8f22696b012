import { isMap, type Node } from 'yaml';
import type { Finding } from './types.js';
import { entries, get, items, parseYaml, str, validateYaml, type ParsedYaml } from './yaml-util.js';

/**
 * Supply-chain rules for pipelines written by hand (GitHub workflows and .gitlab-ci.yml), the
 * classes of mistake the generated kits avoid:
 * - `deploy/mutable-tag`: a deploy command runs an image by a tag a later push can move
 *   (`:latest`, the commit SHA or branch as a tag, `kubectl set image` without a digest), so what
 *   runs is not necessarily what CI built and tested;
 * - `gitlab/unpinned-image`: a job, service or scanner image with no tag or `latest`, so the job
 *   runs whatever that name points at today (a scanner most of all: it sees every image).
 */
const RULES = { mutableTag: 'deploy/mutable-tag', unpinnedImage: 'gitlab/unpinned-image' } as const;

/** Commands that start an image somewhere. */
const DEPLOY_COMMAND = /\b(?:deploy\.sh|kubectl\s+set\s+image|helm\s+(?:upgrade|install)|docker\s+service\s+(?:update|create)|GATE\s+deploy)\b/;
const TAG_VARIABLE =
  /\$\{\{\s*github\.(?:sha|ref_name)\s*\}\}|\$\{?(?:GITHUB_SHA|GITHUB_REF_NAME|CI_COMMIT_SHA|CI_COMMIT_SHORT_SHA|CI_COMMIT_REF_SLUG|CI_COMMIT_REF_NAME)\b\}?/;
/** An image reference whose tag is `latest` or a commit/branch variable: a name, not the bytes. */
const MOVABLE_TAG = new RegExp(`[\\w.$/{}-]+:(?:latest\\b|${TAG_VARIABLE.source})`);
/** Scanner images: a scanner reads every image and its registry login, so it is pinned first of all. */
const SCANNER_NAMES = /(?:docker\.io\/)?aquasec\/trivy|ghcr\.io\/aquasecurity\/trivy|anchore\/grype|snyk\/snyk/;
const SCANNER = new RegExp(`\\b(${SCANNER_NAMES.source})(?::([\\w.-]+))?(?:@sha256:[0-9a-f]{64})?(?=\\s|$|["'])`);

/** The lines of a script (run:, script:) that deploy an image by a movable tag, with their line numbers. */
function mutableTagLines(script: string): { offset: number; message: string }[] {
  const out: { offset: number; message: string }[] = [];
  script.split('\n').forEach((line, i) => {
    if (!DEPLOY_COMMAND.test(line)) return;
    const tag = MOVABLE_TAG.exec(line)?.[0];
    if (tag) {
      out.push({ offset: i, message: `this deploy runs ${tag}, a tag a later push can move: what runs may not be what CI built and tested` });
    } else if (/\bkubectl\s+set\s+image\b/.test(line) && !/@(?:sha256:|\$)/.test(line)) {
      out.push({ offset: i, message: 'kubectl set image names the image by tag, so the cluster runs whatever that tag points at when it pulls' });
    }
  });
  return out;
}

const MUTABLE_FIX =
  "Deploy the digest the push reported: image@sha256:... (docker/build-push-action's `digest` output; " +
  "on GitLab `docker inspect --format '{{index .RepoDigests 0}}'` after the push).";

/** Where a scalar starts in the file, as a 1-based line (block scalars start on the next line). */
function lineAt(parsed: ParsedYaml, node: Node): number {
  const start = node.range?.[0] ?? 0;
  const line = parsed.lines.linePos(start).line;
  return /^[|>]/.test(parsed.text.slice(start)) ? line + 1 : line;
}

function scriptFindings(file: string, parsed: ParsedYaml, node: Node, extra: (line: string, at: number) => void): Finding[] {
  const text = str(node);
  if (text === undefined) return [];
  const at = lineAt(parsed, node);
  text.split('\n').forEach((line, i) => extra(line, at + i));
  return mutableTagLines(text).map(({ offset, message }) => ({
    rule: RULES.mutableTag,
    severity: 'error' as const,
    file,
    line: at + offset,
    message,
    fix: MUTABLE_FIX,
  }));
}

/** deploy/mutable-tag in a GitHub workflow's run: steps. */
export function workflowSupplyChain(file: string, parsed: ParsedYaml): Finding[] {
  const findings: Finding[] = [];
  for (const [, job] of entries(get(parsed.doc.contents as Node, 'jobs'))) {
    for (const step of items(get(job, 'steps'))) {
      const run = get(step, 'run');
      if (run) findings.push(...scriptFindings(file, parsed, run, () => {}));
    }
  }
  return findings;
}

/** A reference with no tag, or `latest`; null when pinned (or a variable deploy-kit cannot judge). */
function unpinned(ref: string): string | null {
  if (ref.includes('$') || /@sha256:[0-9a-f]{64}$/.test(ref)) return null;
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  if (!name.includes(':')) return `${ref} has no tag`;
  return /:latest$/.test(name) ? `${ref} is the moving latest tag` : null;
}

/** gitlab/unpinned-image and deploy/mutable-tag in .gitlab-ci.yml. */
function gitlabSupplyChain(file: string, parsed: ParsedYaml): Finding[] {
  const findings: Finding[] = [];
  const root = parsed.doc.contents;
  if (!isMap(root)) return findings;
  const pinFix = 'Pin it to a release tag (e.g. aquasec/trivy:0.74.0) or a digest (image@sha256:...), and bump it on purpose.';
  const image = (node: Node | null | undefined, where: string) => {
    const ref = str(node) ?? str(get(node, 'name'));
    const target = isMap(node) ? get(node, 'name') : node;
    const why = ref === undefined ? null : unpinned(ref);
    if (why && target) {
      const message = `${where}: ${why}, so the job runs whatever it points at today`;
      findings.push({ rule: RULES.unpinnedImage, severity: 'error', file, line: lineAt(parsed, target), message, fix: pinFix });
    }
  };
  for (const [name, job] of entries(root)) {
    if (!isMap(job)) continue;
    image(get(job, 'image'), `${name}'s image`);
    for (const service of items(get(job, 'services'))) image(service, `${name}'s service`);
    for (const key of ['before_script', 'script', 'after_script']) {
      const lines = [get(job, key), ...items(get(job, key))].filter((n): n is Node => n !== undefined && n !== null && str(n) !== undefined);
      for (const node of lines) {
        findings.push(
          ...scriptFindings(file, parsed, node, (line, at) => {
            const m = SCANNER.exec(line);
            if (!m || !/\bdocker\s+(?:run|create|pull)\b/.test(line) || m[0].includes('@sha256:')) return;
            if (m[2] !== undefined && m[2] !== 'latest') return;
            const message = `${name} runs the scanner ${m[0]} unpinned: it sees every image it scans`;
            findings.push({ rule: RULES.unpinnedImage, severity: 'error', file, line: at, message, fix: pinFix });
          }),
        );
      }
    }
  }
  return findings;
}

/** A .gitlab-ci.yml: it parses, and the supply-chain rules above. */
export function validateGitlabCi(file: string, text: string): Finding[] {
  // A pipeline with a spec: header is two documents: only the parse check applies.
  if (/^---\s*$/m.test(text.replace(/^---\s*\n/, ''))) return validateYaml(file, text);
  const { parsed, findings } = parseYaml(file, text);
  if (findings.some((f) => f.severity === 'error')) return findings;
  return [...findings, ...gitlabSupplyChain(file, parsed)];
}
