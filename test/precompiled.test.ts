/**
 * The shipped CLI renders with templates precompiled at build time (scripts/build-bundle.mjs,
 * only the Handlebars runtime at run time); the tests and plopfile.js compile them from disk.
 * Both must give the same bytes for every file of every scenario, and the build must pick up
 * every template without a list to edit.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planKit } from '../src/plan/index.js';
import { kitFromDisk, precompiledModule, templateFiles } from '../src/plan/load-templates.js';
import { precompiledKit, type PrecompiledKit } from '../src/plan/render.js';
import { ROOT } from './_repo.js';
import { scenarios } from './_scenarios.js';

// The module the bundle inlines, loaded as the bundle loads it: as code.
const dir = mkdtempSync(join(tmpdir(), 'dk-precompiled-'));
writeFileSync(join(dir, 'kit.mjs'), precompiledModule(ROOT));
const built = ((await import(pathToFileURL(join(dir, 'kit.mjs')).href)) as { kit: PrecompiledKit }).kit;
rmSync(dir, { recursive: true, force: true });

test('every template under templates/ and stacks/*/templates/ is in the precompiled kit', () => {
  const tracked = execFileSync('git', ['ls-files', 'templates', 'stacks'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.startsWith('templates/') || /^stacks\/[^/]+\/templates\//.test(f));
  const ids = tracked.map((t) => (t.startsWith('templates/') ? t.slice('templates/'.length) : t)).sort();
  assert.equal(templateFiles(ROOT).map((f) => f.id).sort(), ids);
  const inKit = [...Object.keys(built.specs), ...Object.keys(built.files)].sort();
  assert.equal(inKit, ids);
  assert.ok(Object.keys(built.partials).length > 10, 'shared and stack partials are named');
});

test('precompiled and source-compiled templates render the same bytes for every scenario', async () => {
  const shipped = precompiledKit(built);
  let compared = 0;
  for (const [name, config] of Object.entries(scenarios)) {
    const fromSource = await planKit({ config, kit: kitFromDisk(ROOT) });
    const fromBuild = await planKit({ config, kit: shipped });
    assert.equal(fromBuild.map((f) => f.path), fromSource.map((f) => f.path), name);
    fromSource.forEach((f, i) => assert.fixture(fromBuild[i]!.content, f.content, `${name}/${f.path}`));
    compared += fromSource.length;
  }
  assert.ok(compared > 300, `compared ${compared} files`);
});

test('a precompiled template keeps strict mode: a missing variable names the template', () => {
  const kit = precompiledKit(built);
  assert.throws(() => kit.renderer([])('env/.env.example.hbs', {}), /template env\/\.env\.example\.hbs: "cli" not defined/);
  assert.throws(() => kit.renderer([])('missing.hbs', {}), /template missing\.hbs: not in the package/);
});

test.run();
