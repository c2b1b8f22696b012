// Upgrading deploy-kit changes its templates; the same machinery applies: the merge base is
// what we last wrote, whichever version wrote it. "Version 1" renders with a mutated template
// source, the user edits, "version 2" (the real templates) renders and is applied.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyChanges, BASE_DIR, computeChanges, MANIFEST_FILE, sha256 } from '../src/apply/index.js';
import { driftOf } from '../src/cli/regenerate.js';
import { SCHEMA_FILE } from '../src/config/types.js';
import { planKit } from '../src/plan/index.js';
import { sourceKit } from '../src/plan/compile.js';
import { templatesFromDisk } from '../src/plan/load-templates.js';
import { baseConfig } from './_scenarios.js';

const DOCKERFILE_TEMPLATE = 'stacks/node/templates/Dockerfile.hbs';
const NEW_HEALTHCHECK = 'HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3';
const OLD_HEALTHCHECK = 'HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3';

/** The templates as an older deploy-kit shipped them: another HEALTHCHECK, one comment fewer. */
function oldTemplates() {
  const current = templatesFromDisk();
  const templates = (file: string) => {
    const text = current.templates(file);
    if (file !== DOCKERFILE_TEMPLATE) return text;
    assert.ok(text.includes(NEW_HEALTHCHECK), 'the template still has the line this test mutates');
    return text.replace(NEW_HEALTHCHECK, OLD_HEALTHCHECK).replace(/^# Owned by root.*\n/m, '');
  };
  return { templates, partials: current.partials };
}

async function renderWith(source: ReturnType<typeof templatesFromDisk>) {
  return planKit({ config: baseConfig(), kit: sourceKit(source.templates, source.partials) });
}

async function upgradeScene() {
  const root = mkdtempSync(join(tmpdir(), 'dk-upgrade-'));
  const v1 = await renderWith(oldTemplates());
  const v2 = await renderWith(templatesFromDisk());
  const d1 = v1.find((f) => f.path === 'Dockerfile')!.content;
  const d2 = v2.find((f) => f.path === 'Dockerfile')!.content;
  assert.ok(d1.includes(OLD_HEALTHCHECK) && d2.includes(NEW_HEALTHCHECK) && d1 !== d2);
  applyChanges(root, computeChanges(root, v1));
  return { root, v1, v2, d1, d2 };
}

test('upgrade: a template change merges with the user edit (base = what the old version wrote)', async () => {
  const { root, v2, d2 } = await upgradeScene();
  const df = join(root, 'Dockerfile');
  writeFileSync(df, readFileSync(df, 'utf8').replace('WORKDIR /app\n', 'WORKDIR /app\nLABEL team="payments"\n'));
  const changes = computeChanges(root, v2);
  const kinds = Object.fromEntries(changes.decisions.map((d) => [d.path, d.kind]));
  assert.is(kinds.Dockerfile, 'merge');
  // Only the Dockerfile template changed between the versions.
  for (const [path, kind] of Object.entries(kinds)) if (path !== 'Dockerfile') assert.is(kind, 'unchanged', path);
  applyChanges(root, changes);
  assert.is(readFileSync(df, 'utf8'), d2.replace('WORKDIR /app\n', 'WORKDIR /app\nLABEL team="payments"\n'));
  // The new version's render is now the base, and the next run keeps the edit without a write.
  assert.is(readFileSync(join(root, BASE_DIR, 'Dockerfile'), 'utf8'), d2);
  assert.is(JSON.parse(readFileSync(join(root, MANIFEST_FILE), 'utf8')).files.Dockerfile.sha256, sha256(d2));
  const again = computeChanges(root, v2);
  assert.is(again.decisions.find((d) => d.path === 'Dockerfile')!.kind, 'keep-edited');
  assert.equal(again.ops, []);
});

test('upgrade: the user changed the line the new version changes: a labelled conflict, both sides kept', async () => {
  const { root, v2 } = await upgradeScene();
  const df = join(root, 'Dockerfile');
  const mine = OLD_HEALTHCHECK.replace('--interval=60s', '--interval=45s');
  writeFileSync(df, readFileSync(df, 'utf8').replace(OLD_HEALTHCHECK, mine));
  const changes = computeChanges(root, v2);
  assert.equal(changes.conflicts.map((d) => d.path), ['Dockerfile']);
  applyChanges(root, changes);
  const text = readFileSync(df, 'utf8');
  const block = /<<<<<<< your version\n([\s\S]*?)\|\|\|\|\|\|\| last generated\n([\s\S]*?)=======\n([\s\S]*?)>>>>>>> new render\n/.exec(text);
  assert.ok(block, text);
  assert.match(block[1]!, new RegExp(`^${mine} \\\\$`, 'm'));
  assert.match(block[2]!, new RegExp(`^${OLD_HEALTHCHECK} \\\\$`, 'm'));
  assert.match(block[3]!, new RegExp(`^${NEW_HEALTHCHECK} \\\\$`, 'm'));
  // The other change of the upgrade (a comment the old version lacked) merged cleanly outside the block.
  assert.match(text.slice(0, text.indexOf('<<<<<<<')), /# Owned by root/);
});

test('upgrade: a new schema file is state drift that check reports and generate writes', async () => {
  const { root, v2 } = await upgradeScene();
  applyChanges(root, computeChanges(root, v2));
  writeFileSync(join(root, SCHEMA_FILE), '{"title": "the schema an older deploy-kit wrote"}\n');
  const changes = computeChanges(root, v2);
  assert.equal(driftOf(changes), { decisions: [], state: [SCHEMA_FILE] });
  applyChanges(root, changes);
  assert.equal(driftOf(computeChanges(root, v2)), { decisions: [], state: [] });
});

test.run();
