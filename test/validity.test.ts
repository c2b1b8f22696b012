/**
 * Validity tier: every file of every snapshot scenario, checked by the real tool for its kind
 * (actionlint, shellcheck, nginx -t, the compose schema, Dockerfile rules, YAML/JSON parse,
 * prettier for Markdown). DEPLOY_KIT_SNAPSHOTS_DIR points it at another tree of scenarios.
 * Under CI a missing tool fails the tier; elsewhere it is reported as skipped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { FILE_KINDS, validateFile, type FileKind } from '../src/validate/index.js';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const SNAPSHOTS = process.env.DEPLOY_KIT_SNAPSHOTS_DIR ? resolve(process.env.DEPLOY_KIT_SNAPSHOTS_DIR) : join(ROOT, 'snapshots');
const STRICT_TOOLS = Boolean(process.env.CI);

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}

const scenarios = existsSync(SNAPSHOTS) ? readdirSync(SNAPSHOTS).filter((name) => statSync(join(SNAPSHOTS, name)).isDirectory()).sort() : [];

/** Platforms that probe health on their own; a kit only for them does not need HEALTHCHECK. */
const SELF_PROBING_TARGETS = new Set(['hf-spaces', 'kubernetes', 'fly', 'vercel', 'netlify', 'github-pages']);

function requireHealthcheck(scenarioDir: string): boolean {
  const configPath = join(scenarioDir, 'deploy-kit.yaml');
  if (!existsSync(configPath)) return true;
  const config = parse(readFileSync(configPath, 'utf8')) as { targets?: { type?: string }[] } | null;
  const types = (config?.targets ?? []).map((t) => t.type ?? '');
  return types.length === 0 || types.some((t) => !SELF_PROBING_TARGETS.has(t));
}

const counts = new Map<FileKind, number>(FILE_KINDS.map((k) => [k, 0]));
const skipped = new Map<FileKind, string>();
let filesChecked = 0;

test('there are snapshot scenarios to check', () => {
  assert.ok(scenarios.length > 0, `no scenarios under ${SNAPSHOTS}: the validity tier must never pass having checked nothing`);
});

for (const scenario of scenarios) {
  test(`validity ${scenario}`, async () => {
    const dir = join(SNAPSHOTS, scenario);
    const healthcheck = requireHealthcheck(dir);
    const problems: string[] = [];
    const files = walk(dir);
    assert.ok(files.length > 0, `snapshots/${scenario} has no files`);
    for (const path of files) {
      const rel = relative(dir, path).split(sep).join('/');
      // .deploy-kit/ holds state and merge bases (copies of the kit): parse its JSON, nothing more.
      if (rel.startsWith('.deploy-kit/') && !rel.endsWith('.json')) continue;
      const text = readFileSync(path, 'utf8');
      const result = await validateFile(rel, text, { requireHealthcheck: healthcheck });
      if (!('skipped' in result)) {
        filesChecked++;
        counts.set(result.kind, (counts.get(result.kind) ?? 0) + 1);
      } else {
        skipped.set(result.kind, result.skipped);
        if (STRICT_TOOLS) problems.push(`${scenario}/${rel} [tool-missing] ${result.skipped} (CI is set: a missing tool fails the tier)`);
      }
      for (const f of result.findings) {
        problems.push(`${scenario}/${f.file}:${f.line ?? '-'} [${f.rule}] ${f.message}${f.fix ? `\n    fix: ${f.fix}` : ''}`);
      }
    }
    if (problems.length > 0) {
      console.error(`\n${problems.join('\n')}`);
      assert.unreachable(`${problems.length} finding(s) in snapshots/${scenario} (listed above)`);
    }
  });
}

test('validity: files copied as they are into kits (templates/ files without .hbs)', async () => {
  // Snapshots list these instead of holding a copy per scenario, so they are checked here, once.
  const templates = join(ROOT, 'templates');
  const copied = walk(templates).filter((p) => !p.endsWith('.hbs'));
  assert.ok(copied.length > 0, 'no copied template found: the VPS lib.sh at least is one');
  const problems: string[] = [];
  for (const path of copied) {
    // templates/<generator>/<output path>: validate it under the path it has in a kit.
    const rel = relative(templates, path).split(sep).slice(1).join('/');
    const result = await validateFile(rel, readFileSync(path, 'utf8'), { requireHealthcheck: true });
    if ('skipped' in result && STRICT_TOOLS) problems.push(`${rel} [tool-missing] ${result.skipped}`);
    if (!('skipped' in result)) {
      filesChecked++;
      counts.set(result.kind, (counts.get(result.kind) ?? 0) + 1);
    }
    for (const f of result.findings) problems.push(`templates/${f.file}:${f.line ?? '-'} [${f.rule}] ${f.message}`);
  }
  assert.equal(problems, []);
});

test('summary', () => {
  const line = FILE_KINDS.filter((k) => k !== 'other')
    .map((k) => `${k} ${counts.get(k) ?? 0}`)
    .join(', ');
  console.log(`validity: ${line} (other, not checked: ${counts.get('other') ?? 0})`);
  for (const [kind, why] of skipped) console.log(`validity: skipped ${kind}: ${why}`);
  assert.ok(filesChecked > 0, 'the validity tier checked no files');
});

test.run();
