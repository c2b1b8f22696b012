import nodePlop from 'node-plop';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';

const root = join(new URL('.', import.meta.url).pathname, '..');

test('plopfile exposes every generator, and node-plop renders the same Dockerfile as the planner', async () => {
  const dest = mkdtempSync(join(tmpdir(), 'dk-plop-'));
  const files = await renderScenario(scenarios['express-npm']!);
  writeFileSync(join(dest, 'deploy-kit.yaml'), files.find((f) => f.path === 'deploy-kit.yaml')!.content);
  const plop = await nodePlop(join(root, 'plopfile.js'), { destBasePath: dest, force: false });
  const names = plop.getGeneratorList().map((g) => g.name);
  assert.equal(names, [
    'docker', 'compose', 'github-ci', 'gitlab-ci', 'vps', 'hf-spaces', 'github-pages', 'vercel', 'netlify', 'fly', 'kubernetes', 'env', 'runbook',
  ]);
  const result = await plop.getGenerator('docker').runActions({});
  assert.equal(result.failures, [], 'no plop action failed');
  // Dockerfiles are not prettier-formatted, so plop's render must match ours byte for byte.
  assert.fixture(readFileSync(join(dest, 'Dockerfile'), 'utf8'), files.find((f) => f.path === 'Dockerfile')!.content);
});

test.run();
