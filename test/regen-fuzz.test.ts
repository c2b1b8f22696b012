// Fuzzed inputs: random and mutated deploy-kit.yaml texts into parseConfig, random flag sets
// into the CLI's main() (in-process, against a temporary repository), random paths into
// safeJoin and the apply. Invariants: no uncaught exception and no stack trace; every config
// problem as `deploy-kit.yaml:<line>:<col> <path>: <message>` (or the YAML syntax form); exit
// codes 0/1/2 only; nothing written outside the repository.
import fc from 'fast-check';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyChanges, computeChanges, safeJoin, TXN_DIR, UnsafePathError } from '../src/apply/index.js';
import { main } from '../src/cli/main.js';
import { ConfigError, parseConfig } from '../src/config/load.js';
import type { PlannedFile } from '../src/plan/index.js';
import { EXAMPLE, git } from './_repo.js';
import { configText } from './_regen-yaml.js';
import { snapshot, treeDiff } from './_regen-tree.js';

const PARSE_RUNS = Number(process.env.REGEN_FUZZ_PARSE_RUNS ?? 9500);
const CLI_RUNS = Number(process.env.REGEN_FUZZ_CLI_RUNS ?? 500);
const PATH_RUNS = Number(process.env.REGEN_FUZZ_PATH_RUNS ?? 1000);
const counts = { parse: 0, cli: 0, paths: 0 };

const STACK = /\n\s+at .+:\d+:\d+/;
/** `<path>: <message>`, and the YAML syntax form, as the issue says. */
const ISSUE_WITH_PATH = /^deploy-kit\.yaml:(\d+):(\d+) ([^\n]+?): ([^\n]+)$/;
const ISSUE_SYNTAX = /^deploy-kit\.yaml:(\d+):(\d+) YAML syntax: [^\n]+$/;
/** A problem with the whole document (not a mapping; a missing top-level key) has no path. */
const ISSUE_WHOLE = /^deploy-kit\.yaml:(\d+):(\d+) (expected a mapping|missing required key|unknown key|YAML keys must be plain names|YAML: )[^\n]*$/;

/**
 * Formerly known bugs, now fixed in src/config/load.ts and asserted here: an alias to a
 * missing anchor or an alias bomb is a ConfigError (not a ReferenceError), and a value or key
 * holding a newline is quoted so every issue stays on one line.
 */
/** fast-check's report with the failed assertion (its `cause`) in the message. */
async function holds(run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (e) {
    const cause = (e as Error & { cause?: Error }).cause;
    throw new Error(`${(e as Error).message.split('\n').slice(0, 4).join('\n')}\nfailed: ${cause?.message ?? '?'}`);
  }
}

const known = { wholeDocIssues: 0, configErrors: 0, valid: 0 };

function parseAndAssert(text: string): void {
  counts.parse++;
  try {
    parseConfig(text);
    known.valid++;
  } catch (e) {
    const err = e as Error;
    assert.ok(err instanceof ConfigError, `parseConfig threw ${err.name}: ${err.message} for ${JSON.stringify(text.slice(0, 300))}`);
    known.configErrors++;
    assert.not.match(err.message, STACK);
    const lineCount = text.split(/\r\n|\r|\n/).length;
    for (const issue of err.issues) {
      const line = `deploy-kit.yaml:${issue.line}:${issue.column}${issue.path ? ` ${issue.path}:` : ''} ${issue.message}`;
      assert.ok(err.message.includes(line));
      assert.ok(issue.line >= 1 && issue.column >= 1 && issue.line <= lineCount + 1, `position ${issue.line}:${issue.column} of ${lineCount} lines`);
      assert.not.ok(line.includes('\n') || line.includes('\r'), `one issue, one line: ${JSON.stringify(line)}`);
      if (!issue.path && ISSUE_WHOLE.test(line)) {
        known.wholeDocIssues++;
        continue;
      }
      assert.ok(ISSUE_WITH_PATH.test(line) || ISSUE_SYNTAX.test(line), `issue line format: ${JSON.stringify(line)}`);
    }
  }
}

test(`fuzz: ${PARSE_RUNS} random and mutated deploy-kit.yaml texts through parseConfig`, async () => {
  await holds(() => fc.assert(fc.property(configText, (t) => parseAndAssert(t)), { numRuns: PARSE_RUNS }));
  assert.is(counts.parse, PARSE_RUNS, 'every generated text went through parseConfig');
  assert.ok(known.valid > 0 && known.configErrors > 0, 'both valid and invalid texts were generated');
});

// ---------------------------------------------------------------- the CLI, in-process

const COMMANDS = ['init', 'init', 'generate', 'generate', 'plan', 'check', 'doctor', 'targets', '', 'deploy', '--help', '-h', '--version', '-v', 'help'];
const BOOL_FLAGS = ['--yes', '-y', '--force', '--restore', '--dry-run', '--verbose', '--json', '--help', '-h'];
const STRING_FLAGS = ['--name', '--port', '--health-path', '--branch', '--staging-branch', '--start', '--build', '--test', '--node-version'];
const GARBAGE_FLAGS = [
  '--prot', '--', '-', '---x', '--port=', '--port=70000', '--name=../x', '-yz', '--no-yes', '--yes=false', '--🚀', '-\u0000',
  '--force=1', '--plan-mode', '--check-mode',
];
const VALUES = [
  '3000', '8080', '0', '70000', '-1', 'abc', '', 'my-app', '../my app', '/etc/passwd', '..', 'x'.repeat(300),
  'trunk', 'main', 'feature/x', 'release;rm -rf /', '$(id)', 'node server.js', 'none', '22', '18', 'lts', '🚀', '\n',
  '--yes', '/health', 'health',
];

function fuzzRepo() {
  const parent = mkdtempSync(join(tmpdir(), 'dk-fuzz-'));
  const repo = join(parent, 'repo');
  cpSync(EXAMPLE, repo, { recursive: true, filter: (s) => !s.includes('node_modules') });
  git(repo, 'init', '-q', '-b', 'trunk');
  // A sibling the CLI may be pointed at (`../sibling`): no package.json, no deploy-kit.yaml.
  mkdirSync(join(parent, 'sibling', '.github'), { recursive: true });
  writeFileSync(join(parent, 'sibling', 'notes.txt'), 'keep me\n');
  writeFileSync(join(parent, 'sibling', '.github', 'keep.yml'), 'x: 1\n');
  return { parent, repo };
}

test(`fuzz: ${CLI_RUNS} random flag sets through main(), in-process, against a temporary repository`, async () => {
  const { parent, repo } = fuzzRepo();
  const template = join(parent, '..', `${relative(tmpdir(), parent)}-template`);
  const out = { stdout: '', stderr: '' };
  const ctx = (argv: string[]) => ({
    argv,
    cwd: repo,
    interactive: false,
    out: { print: (t: string) => void (out.stdout += `${t}\n`), error: (t: string) => void (out.stderr += `${t}\n`) },
  });
  assert.is(await main(ctx(['init', '--yes']), 'deploy-kit'), 0, out.stderr);
  cpSync(repo, template, { recursive: true });
  // What must never change: everything in the parent folder except the repository.
  const outside = () => snapshot(parent, (rel) => rel === 'repo' || rel.startsWith('repo/'));
  const before = outside();
  const codes: Record<number, number> = {};
  const unexpected: string[] = [];
  const positional = fc.constantFrom('.', 'sub', '../sibling', '..', parent, 'package.json', 'missing-dir', '');
  const token = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...BOOL_FLAGS) },
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...STRING_FLAGS), fc.constantFrom(...VALUES)).map(([f, v]) => [f, v]) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...STRING_FLAGS), fc.constantFrom(...VALUES)).map(([f, v]) => `${f}=${v}`) },
    { weight: 1, arbitrary: fc.constantFrom(...GARBAGE_FLAGS) },
    { weight: 1, arbitrary: positional },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const run = fc.record({
    command: fc.constantFrom(...COMMANDS),
    tokens: fc.array(token, { maxLength: 5 }),
    // Sometimes the repository's deploy-kit.yaml is a fuzzed one; sometimes it is reset.
    config: fc.option(configText, { freq: 4 }),
    reset: fc.boolean(),
  });
  let n = 0;
  await holds(() => fc.assert(
    fc.asyncProperty(run, async ({ command, tokens, config, reset }) => {
      counts.cli++;
      if (reset && n++ % 8 === 0) {
        rmSync(repo, { recursive: true, force: true });
        cpSync(template, repo, { recursive: true });
      }
      if (config !== null) writeFileSync(join(repo, 'deploy-kit.yaml'), config);
      const argv = [command, ...tokens.flat()].filter((a, i) => i > 0 || a !== '');
      out.stdout = '';
      out.stderr = '';
      let code: number;
      try {
        code = await main(ctx(argv), 'deploy-kit');
      } catch (e) {
        throw new Error(`main() rejected for ${JSON.stringify(argv)}: ${(e as Error).stack}`);
      }
      codes[code] = (codes[code] ?? 0) + 1;
      const where = `${JSON.stringify(argv)} -> ${code}\n${out.stderr.slice(0, 500)}`;
      assert.ok([0, 1, 2].includes(code), `exit code ${where}`);
      // --verbose asks for stack traces; without it, never.
      if (!argv.includes('--verbose')) assert.not.match(out.stderr + out.stdout, STACK, `stack trace: ${where}`);
      if (/unexpected error/.test(out.stderr)) unexpected.push(argv.join(' '));
      assert.not.match(out.stderr, /unexpected error/, `a crash, not a message: ${where}`);
      assert.not.ok(existsSync(join(repo, TXN_DIR)), `no transaction left behind: ${where}`);
      // Outside the repository only what a run was pointed at (`init ..`, the parent's path) may be
      // written: a kit of the parent, every file of it in the parent's manifest, nothing in the sibling.
      const changed = treeDiff(outside(), before);
      if (changed.length > 0) {
        const pointed = argv.includes('..') || argv.includes(parent);
        assert.ok(pointed && code === 0 && ['init', 'generate'].includes(argv[0]!), `nothing written outside the repository: ${where}`);
        const listed = Object.keys(JSON.parse(readFileSync(join(parent, '.deploy-kit', 'manifest.json'), 'utf8')).files);
        const own = new Set(['deploy-kit.yaml', '.gitignore', ...listed]);
        const stray = changed.filter((p) => !p.endsWith('/') && !p.startsWith('.deploy-kit/') && !own.has(p));
        assert.equal(stray, [], `only the parent's kit is written outside the repository: ${where}`);
        for (const p of changed) if (p.startsWith('sibling/')) assert.unreachable(`the sibling was written: ${where}`);
        const top = changed.filter((p) => /^[^/]+\/?$/.test(p) && !(p in before));
        for (const p of top) rmSync(join(parent, p), { recursive: true, force: true });
        assert.equal(treeDiff(outside(), before), [], `the parent restored: ${where}`);
      }
    }),
    { numRuns: CLI_RUNS },
  ));
  assert.is(counts.cli, CLI_RUNS, 'every generated flag set went through main()');
  console.log(
    `\n  regen-fuzz: main() ${counts.cli} runs, exit codes ${JSON.stringify(codes)}; ` +
      `${unexpected.length} "unexpected error"`,
  );
  rmSync(parent, { recursive: true, force: true });
  rmSync(template, { recursive: true, force: true });
});

// ---------------------------------------------------------------- paths

test(`fuzz: ${PATH_RUNS} random paths through safeJoin: inside the repository, or refused`, async () => {
  const parent = mkdtempSync(join(tmpdir(), 'dk-paths-'));
  const root = join(parent, 'repo');
  mkdirSync(join(root, 'dir', 'sub'), { recursive: true });
  mkdirSync(join(parent, 'outside'));
  writeFileSync(join(root, 'dir', 'file'), 'x');
  symlinkSync(join(parent, 'outside'), join(root, 'out-link'));
  symlinkSync('dir', join(root, 'in-link'));
  symlinkSync(join(parent, 'nowhere'), join(root, 'dangling'));
  symlinkSync('../outside', join(root, 'dir', 'rel-out'));
  const seg = fc.constantFrom(
    'dir', 'sub', 'file', 'new', '..', '.', '', 'out-link', 'in-link', 'dangling', 'rel-out',
    '...', '%2e%2e', '..\\..', 'a\u0000b', '~', '🚀', ' ',
  );
  const relPath = fc.oneof(
    { weight: 8, arbitrary: fc.array(seg, { minLength: 1, maxLength: 5 }).map((s) => s.join('/')) },
    { weight: 1, arbitrary: fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  );
  const realRoot = resolve(root);
  let refused = 0;
  await holds(() => fc.assert(
    fc.property(relPath, (rel) => {
      counts.paths++;
      let full: string;
      try {
        full = safeJoin(root, rel);
      } catch (e) {
        assert.ok(e instanceof UnsafePathError, `${JSON.stringify(rel)}: ${(e as Error).name} ${(e as Error).message}`);
        refused++;
        return;
      }
      // Accepted: no "..", not absolute, lexically inside, and no symlink on the way points out.
      assert.not.ok(rel.split(/[\\/]/).includes('..'), rel);
      assert.ok(full === realRoot || full.startsWith(realRoot + sep), rel);
      const segs = relative(root, full).split(sep);
      for (let i = 1; i <= segs.length; i++) {
        const p = join(root, ...segs.slice(0, i));
        if (!existsSync(p)) break;
        assert.ok(realpathSync(p).startsWith(realpathSync(root) + sep) || realpathSync(p) === realpathSync(root), `${rel}: ${p} leaves the repo`);
      }
    }),
    { numRuns: PATH_RUNS },
  ));
  assert.is(counts.paths, PATH_RUNS, 'every generated path went through safeJoin');
  assert.ok(refused > 0 && refused < counts.paths);
  rmSync(parent, { recursive: true, force: true });
});

test('paths: a symlinked .github pointing outside is refused by plan, apply and the CLI; nothing written anywhere', async () => {
  const file = (path: string, content: string): PlannedFile => ({ path, generator: 'g', content });
  const parent = mkdtempSync(join(tmpdir(), 'dk-symlink-'));
  const root = join(parent, 'repo');
  const outside = join(parent, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  // 1. Present when the plan is computed: refused up front.
  symlinkSync(outside, join(root, '.github'));
  assert.throws(() => computeChanges(root, [file('a.txt', 'a\n'), file('.github/workflows/ci.yml', 'x')]), /symlink that points outside/);
  // 2. Appearing between plan and apply: applyChanges refuses before its first write.
  rmSync(join(root, '.github'));
  const changes = computeChanges(root, [file('a.txt', 'a\n'), file('.github/workflows/ci.yml', 'x')]);
  symlinkSync(outside, join(root, '.github'));
  const beforeRoot = snapshot(root);
  assert.throws(() => applyChanges(root, changes), (e: Error) => e instanceof UnsafePathError);
  assert.equal(snapshot(root), beforeRoot, 'nothing written in the repository');
  assert.equal(snapshot(outside), {}, 'nothing written outside');
  // 3. Journal paths and state paths get the same checks (regen-journal.test.ts covers a
  //    tampered journal); and the CLI says so in one line, exit 1, no stack trace.
  const repo = join(parent, 'app');
  cpSync(EXAMPLE, repo, { recursive: true, filter: (s) => !s.includes('node_modules') });
  git(repo, 'init', '-q', '-b', 'trunk');
  symlinkSync(outside, join(repo, '.github'));
  const out = { stdout: '', stderr: '' };
  const code = await main(
    { argv: ['init', '--yes'], cwd: repo, interactive: false, out: { print: (t) => void (out.stdout += t), error: (t) => void (out.stderr += t) } },
    'deploy-kit',
  );
  assert.is(code, 1);
  assert.match(out.stderr, /refusing to write "\.github\/workflows\/ci\.yml": \.github is a symlink that points outside the repository/);
  assert.not.match(out.stderr, STACK);
  assert.equal(snapshot(outside), {}, 'nothing written outside');
  assert.not.ok(existsSync(join(repo, 'deploy-kit.yaml')), 'all or nothing: not even deploy-kit.yaml');
  // 4. `..` and absolute paths, through computeChanges and a hand-made decision.
  for (const bad of ['../escape', '/etc/passwd', 'a/../../escape']) {
    assert.throws(() => computeChanges(root, [file(bad, 'x')]), (e: Error) => e instanceof UnsafePathError, bad);
    const c = computeChanges(join(parent, 'app'), []);
    c.decisions.push({ kind: 'create', path: bad, generator: 'g', content: 'x', render: 'x' });
    assert.throws(() => applyChanges(join(parent, 'app'), c), (e: Error) => e instanceof UnsafePathError, bad);
  }
  assert.not.ok(existsSync(join(parent, 'escape')));
  rmSync(parent, { recursive: true, force: true });
});

// Each fuzz case checks that all of its runs happened; this only reports the totals.
test.after(() => {
  const total = counts.parse + counts.cli + counts.paths;
  console.log(
    `\n  regen-fuzz: ${total} cases (parseConfig ${counts.parse}: ${known.valid} valid, ${known.configErrors} ConfigError; ` +
      `main() ${counts.cli}; safeJoin ${counts.paths})\n` +
      `    ${known.wholeDocIssues} whole-document issues (no key path)`,
  );
});

test.run();
