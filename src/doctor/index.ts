import { CLI } from '../version.js';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { MANIFEST_FILE, parseManifest, sha256 } from '../apply/state.js';
import { KIT_VARS, PLATFORM_VARS } from '../config/from-answers.js';
import { prunedOptionals, satisfies } from './npm-range.js';
import { detectRepo } from '../detect/index.js';
import { CorruptStateError } from '../errors.js';
import type { RepoFacts } from '../detect/types.js';
import type { Finding } from '../validate/types.js';
import { auditBuildable } from './buildable.js';
import { auditJvmStacks } from './jvm.js';
import { auditPhp, symfonyDotenv } from './php.js';
import { auditStackLockfiles } from './lockfiles.js';
import { ignoreFileOf } from './ignore-file.js';
import { withoutDeclaredPublic } from './public-args.js';
import { listFiles } from './files.js';
import { byCodeUnit } from '../util/order.js';

/** A doctor finding: a validate Finding whose message says what and why, and whose fix says how. */
export type DoctorFinding = Finding;

function read(root: string, rel: string): string | null {
  try {
    return readFileSync(join(root, rel), 'utf8');
  } catch {
    return null;
  }
}

function git(root: string, args: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }) };
  } catch {
    return { ok: false, out: '' };
  }
}

/** Env vars read by the code vs the ones .env.example declares. */
export function auditEnv(facts: Pick<RepoFacts, 'env'>, envExample: string | null): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const read = facts.env.filter((v) => !PLATFORM_VARS.has(v.name));
  if (envExample === null) {
    if (read.length) {
      out.push({
        rule: 'env/no-example', severity: 'error', file: '.env.example',
        message: `the code reads ${read.map((v) => v.name).join(', ')} but there is no .env.example: whoever deploys cannot know what to set`,
        fix: `run \`${CLI} generate\` (or write .env.example listing every variable, without real values)`,
      });
    }
    return out;
  }
  const declared = new Map<string, number>();
  envExample.split('\n').forEach((l, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(l);
    if (m) declared.set(m[1]!, i + 1);
  });
  for (const v of read) {
    if (declared.has(v.name)) continue;
    const [file, line] = (v.locations[0] ?? '').split(/:(?=\d+$)/);
    out.push({
      rule: 'env/missing-from-example', severity: 'error', file: file || '.env.example', line: line ? Number(line) : undefined,
      message: `${v.name} is read here but missing from .env.example: a deploy without it fails at run time, not at deploy time`,
      fix: `add ${v.name} under env: in deploy-kit.yaml and run \`${CLI} generate\` (or add "${v.name}=" to .env.example)`,
    });
  }
  const readNames = new Set(facts.env.map((v) => v.name));
  for (const [name, line] of declared) {
    if (readNames.has(name) || PLATFORM_VARS.has(name) || KIT_VARS.has(name)) continue;
    out.push({
      rule: 'env/unused-in-example', severity: 'warning', file: '.env.example', line,
      message: `${name} is declared but no code reads it: stale settings hide the ones that matter`,
      fix: `remove ${name} from .env.example (and from env: in deploy-kit.yaml), or ignore this if a dependency reads it`,
    });
  }
  return out;
}

function globToRegExp(glob: string): RegExp {
  // `**/` also matches no directory at all, as in git's and Docker's ignore files.
  const re = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    // Placeholders for ** while single * is rewritten: control characters never occur in a branch name.
    .replace(/\*\*\//g, '\u0001')
    .replace(/\*\*/g, '\u0000')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]')
    // oxlint-disable-next-line no-control-regex -- the placeholders above
    .replace(/\u0001/g, '(?:.*/)?')
    // oxlint-disable-next-line no-control-regex -- the placeholders above
    .replace(/\u0000/g, '.*');
  return new RegExp(`^${re}$`);
}

/**
 * A GitHub Actions branch filter pattern as a RegExp, in GitHub's own syntax: `*` any characters
 * but `/`, `**` any characters, `?` zero or one of the preceding character, `+` one or more of
 * it, `[...]` a character class or range, `\\` escapes the next character. (Unlike a shell
 * glob: `?` and `+` are quantifiers, so a branch named `fix+1` is never matched by `fix+1`.)
 */
export function branchFilterToRegExp(pattern: string): RegExp {
  let re = '';
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += esc(pattern[++i]!);
    else if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if ((c === '?' || c === '+') && re !== '') re += c;
    else if (c === '[' && pattern.indexOf(']', i + 1) > i + 1) {
      const end = pattern.indexOf(']', i + 1);
      re += `[${pattern.slice(i + 1, end).replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else re += esc(c);
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return new RegExp(`^${esc(pattern)}$`);
  }
}

/** Whether a branch passes a filter list: the last pattern that matches decides, `!` excludes. */
function passesFilters(patterns: string[], branch: string): boolean {
  let included = false;
  for (const p of patterns) {
    const negate = p.startsWith('!');
    if (branchFilterToRegExp(negate ? p.slice(1) : p).test(branch)) included = !negate;
  }
  return included;
}

/** Branch filters in workflows that match no branch of the repository: those triggers never fire. */
export function auditWorkflowBranches(file: string, text: string, branches: string[]): DoctorFinding[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length || !isMap(doc.contents)) return [];
  const on = doc.get('on', true) as Node | undefined;
  if (!isMap(on)) return [];
  const out: DoctorFinding[] = [];
  for (const event of ['push', 'pull_request', 'pull_request_target']) {
    const ev = on.get(event, true) as Node | undefined;
    if (!isMap(ev)) continue;
    const filters = ev.get('branches', true) as Node | undefined;
    if (!isSeq(filters)) continue;
    const patterns = filters.items.flatMap((i) => (isScalar(i) && typeof i.value === 'string' ? [i.value] : []));
    let reported = false;
    for (const item of filters.items) {
      if (!isScalar(item) || typeof item.value !== 'string' || item.value.startsWith('!')) continue;
      const re = branchFilterToRegExp(item.value);
      if (branches.some((b) => re.test(b))) continue;
      reported = true;
      out.push({
        rule: 'workflow/branch-not-found', severity: 'error', file, line: lc.linePos(item.range?.[0] ?? 0).line,
        message:
          `on.${event}.branches names "${item.value}", which matches no branch of this repository ` +
          `(${branches.join(', ') || 'none'}): this trigger never runs`,
        fix: `set branches: in deploy-kit.yaml to the real branch and run \`${CLI} generate\` (or edit the filter)`,
      });
    }
    // Each pattern matches a branch, yet a later `!` pattern excludes every one of them.
    if (!reported && branches.length > 0 && !branches.some((b) => passesFilters(patterns, b))) {
      out.push({
        rule: 'workflow/branch-not-found', severity: 'error', file, line: lc.linePos(filters.range?.[0] ?? 0).line,
        message:
          `on.${event}.branches (${patterns.join(', ')}) lets no branch of this repository through ` +
          `(${branches.join(', ')}): a later "!" pattern excludes every match, so this trigger never runs`,
        fix: 'remove or narrow the "!" pattern (the last matching pattern decides)',
      });
    }
  }
  return out;
}

/**
 * Whether a .dockerignore excludes `path`: the last matching pattern wins, `!` re-includes, and a
 * pattern matching a parent directory excludes what is inside it.
 */
export function dockerIgnores(ignoreText: string, path: string): boolean {
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const raw of ignoreText.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const re = globToRegExp((negate ? line.slice(1) : line).replace(/^\/+/, ''));
    if (candidates.some((c) => re.test(c))) ignored = !negate;
  }
  return ignored;
}

const ENV_EXAMPLE = /^\.env\.(example|sample|template|dist)$/;
const SECRET_NAMES = [/^\.env$/, /^\.env\..+/, /\.(pem|key|p12|pfx)$/, /^id_(rsa|dsa|ecdsa|ed25519)(?!.*\.pub$)/];
/** Credentials in a package manager's or netrc file: a literal token or password, not a ${VAR}. */
const CREDENTIAL_FILES: Record<string, RegExp> = {
  '.npmrc': /(_authToken|_auth|_password)\s*=\s*(?!\$\{)\S/,
  '.pypirc': /^\s*password\s*[=:]\s*\S/m,
  '.netrc': /\bpassword\s+\S/,
};

/** Files whose content should never reach an image or git: env files, keys, credentials. */
function isSecretFile(root: string, path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (ENV_EXAMPLE.test(name)) return false;
  const credentials = CREDENTIAL_FILES[name];
  if (credentials) return credentials.test(read(root, path) ?? '');
  return SECRET_NAMES.some((re) => re.test(name));
}

/** .env committed, or not ignored by git and docker. */
function auditDotenv(root: string, files: string[], isRepo: boolean): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  if (isRepo) {
    const tracked = git(root, ['ls-files']).out.split('\n').filter((f) => f && isSecretFile(root, f));
    for (const f of tracked) {
      out.push({
        rule: 'dotenv/tracked', severity: 'error', file: f, line: 1,
        message: `${f} is committed to git: every secret in it is in the history of every clone`,
        fix: `git rm --cached ${f}, add it to .gitignore, and rotate every secret it held`,
      });
    }
    if (!git(root, ['check-ignore', '-q', '--no-index', '.env']).ok) {
      out.push({
        rule: 'dotenv/not-gitignored', severity: 'error', file: '.gitignore',
        message: '.env is not ignored by git: one `git add .` commits your secrets',
        fix: 'add a line ".env" to .gitignore',
      });
    }
  }
  const secrets = files.filter((f) => isSecretFile(root, f));
  for (const df of files.filter((f) => /(^|\/)Dockerfile$/.test(f))) {
    const dir = df.includes('/') ? df.slice(0, df.lastIndexOf('/') + 1) : '';
    const { file: ignoreFile, text: ignore } = ignoreFileOf(df, (rel) => read(root, rel));
    if (!dockerIgnores(ignore ?? '', '.env')) {
      out.push({
        rule: 'dotenv/not-dockerignored', severity: 'error', file: ignoreFile, fix: `add ".env" to ${ignoreFile}`,
        message: `.env is not excluded from the build context of ${df}: \`COPY . .\` bakes secrets into the image`,
      });
    }
    // Every secret-looking file that is in this context, at any depth.
    for (const f of secrets.filter((p) => p.startsWith(dir) && p.slice(dir.length) !== '.env')) {
      if (dockerIgnores(ignore ?? '', f.slice(dir.length))) continue;
      out.push({
        rule: 'secret/not-dockerignored', severity: 'error', file: f,
        message:
          `${f} looks like a secret (environment file, key, certificate or credentials) and is in the build context of ${df}: ` +
          '`COPY . .` bakes it into the image',
        fix: `exclude it in ${ignoreFile} (deploy-kit's excludes **/.env, **/.env.*, **/.npmrc, **/*.pem, **/*.key, **/*.p12, id_* keys...)`,
      });
    }
  }
  return out;
}

/** Lockfile missing, or npm's lockfile out of step with package.json. */
function auditLockfile(root: string, facts: RepoFacts): DoctorFinding[] {
  const node = facts.node;
  if (!node) return [];
  if (!node.lockfile) {
    return [{
      rule: 'node/no-lockfile', severity: 'error', file: 'package.json',
      message: 'no lockfile: every build resolves dependencies anew, so production can run code nobody tested',
      fix: `run \`${node.packageManager.value} install\` and commit the lockfile`,
    }];
  }
  if (node.lockfile.value !== 'package-lock.json') return [];
  const pkg = JSON.parse(read(root, 'package.json') ?? '{}') as Record<string, Record<string, string> | undefined>;
  let lock: { packages?: Record<string, Record<string, Record<string, string> | undefined>> };
  try {
    lock = JSON.parse(read(root, 'package-lock.json') ?? '{}');
  } catch {
    const message = 'package-lock.json is not valid JSON: `npm ci` fails';
    const fix = 'run `npm install` and commit the lockfile';
    return [{ rule: 'node/lockfile-out-of-sync', severity: 'error', file: 'package-lock.json', line: 1, message, fix }];
  }
  const rootEntry = lock.packages?.[''] ?? {};
  const out: DoctorFinding[] = [];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const want = pkg[field] ?? {};
    const have = rootEntry[field] ?? {};
    const names = new Set([...Object.keys(want), ...Object.keys(have)]);
    for (const n of names) {
      if (want[n] === have[n]) continue;
      // `npm ci` installs when the locked version satisfies package.json's range, whatever range the lock recorded
      // (`4.3.0` for `^4.0.0`), and leaves a dependency package.json dropped.
      const range = want[n];
      const locked = lock.packages?.[`node_modules/${n}`]?.version;
      if (range === undefined || (typeof locked === 'string' && satisfies(range, locked) === true)) continue;
      out.push({
        rule: 'node/lockfile-out-of-sync', severity: 'error', file: 'package-lock.json',
        message:
          `package.json ${field}.${n} is ${want[n] ? `"${want[n]}"` : 'absent'} ` +
          `but package-lock.json has ${have[n] ? `"${have[n]}"` : 'nothing'}: \`npm ci\` in the image build fails`,
        fix: 'run `npm install` and commit package-lock.json',
      });
    }
  }
  out.push(...prunedOptionals(lock.packages ?? {}));
  return out;
}

/** Generated files edited or deleted since deploy-kit wrote them (edits are fine; this says so). */
function auditGenerated(root: string): DoctorFinding[] {
  const text = read(root, MANIFEST_FILE);
  if (text === null) return [];
  let manifest;
  try {
    manifest = parseManifest(text);
  } catch (e) {
    // An audit reports a damaged manifest rather than stopping at it: the other findings still hold.
    if (!(e instanceof CorruptStateError)) throw e;
    return [{ rule: 'kit/manifest-damaged', severity: 'error', file: MANIFEST_FILE, message: e.message, fix: e.hint ?? '' }];
  }
  const out: DoctorFinding[] = [];
  for (const [path, entry] of Object.entries(manifest.files)) {
    const current = read(root, path);
    if (current === null) {
      const fix = `run \`${CLI} generate --restore\` if that was a mistake`;
      out.push({ rule: 'kit/deleted', severity: 'warning', file: path, message: `${path} was generated but has been deleted`, fix });
    } else if (sha256(current) !== entry.sha256) {
      const conflict = /^<<<<<<< /m.test(current);
      out.push({
        rule: conflict ? 'kit/conflict' : 'kit/edited', severity: conflict ? 'error' : 'warning', file: path,
        message: conflict
          ? `${path} still holds conflict markers from a merge`
          : `${path} was edited since deploy-kit generated it (your edits are merged on the next generate)`,
        fix: conflict ? 'resolve the <<<<<<< / >>>>>>> blocks' : `nothing to do; \`${CLI} plan\` shows how the next generate merges it`,
      });
    }
  }
  return out;
}

/**
 * The files doctor runs the validators on besides workflows: Dockerfiles, the GitLab pipeline,
 * compose files, nginx sites and configs, and the deploy scripts (shell scripts under a deploy/
 * directory, or named deploy/rollback/verify).
 */
function audited(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/^Dockerfile$/.test(name) || path === '.gitlab-ci.yml') return true;
  if (/^(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml$/.test(name)) return true;
  if (/(?:^|\/)nginx\/[^/]+\.conf$/.test(path) || /\.nginx\.conf$/.test(name) || name === 'nginx.conf') return true;
  return /\.sh$/.test(name) && (/(?:^|\/)deploy\//.test(path) || /^(?:deploy|rollback|verify)[^/]*\.sh$/.test(name));
}

export interface DoctorReport {
  findings: DoctorFinding[];
  /** File kinds whose tool was missing, e.g. "shell: shellcheck not installed". */
  skipped: string[];
}

/**
 * The pre-flight audit of a repository, whether or not deploy-kit generated its files.
 *
 * @example
 *   const { findings } = await doctor('/path/to/repo');
 *   findings.filter((f) => f.severity === 'error').length // 0 on a healthy repo
 */
export async function doctor(root: string): Promise<DoctorReport> {
  const facts = await detectRepo(root);
  const files = listFiles(root);
  const findings: DoctorFinding[] = [];
  const skipped: string[] = [];
  findings.push(...auditEnv(facts, read(root, '.env.example')));
  findings.push(...symfonyDotenv(facts, auditDotenv(root, files, facts.git.isRepo)));
  findings.push(...auditLockfile(root, facts), ...auditJvmStacks(facts), ...auditStackLockfiles(facts), ...auditPhp(root, facts));
  if (facts.node && !facts.node.healthPath && facts.node.kind?.value !== 'static' && !facts.services?.some((s) => s.path === '.' && s.stack === 'php')) {
    findings.push({
      rule: 'app/no-health-route', severity: 'warning', file: 'package.json',
      message: 'no health route (/health, /healthz, /ready...) found in the code: containers, deploys and monitors cannot tell a live app from a hung one',
      fix: 'add a GET /health route that answers 200 when the app can serve, and set healthPath in deploy-kit.yaml',
    });
  }
  const branches = facts.git.branches;
  const { validateFile } = await import('../validate/index.js');
  for (const f of files) {
    const isWorkflow = /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f);
    if (!isWorkflow && !audited(f)) continue;
    const text = read(root, f) ?? '';
    if (isWorkflow && facts.git.isRepo) findings.push(...auditWorkflowBranches(f, text, branches));
    const result = await validateFile(f, text);
    findings.push(...withoutDeclaredPublic(result.findings, root));
    if ('skipped' in result) skipped.push(`${result.kind}: ${result.skipped}`);
  }
  findings.push(...auditGenerated(root), ...auditBuildable(root));
  findings.sort((a, b) => Number(a.severity !== 'error') - Number(b.severity !== 'error') || byCodeUnit(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0));
  return { findings, skipped };
}
