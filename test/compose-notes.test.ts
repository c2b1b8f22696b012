/**
 * compose.yaml's `env_file: [{path: .env, required: false}]` needs Docker Compose 2.24+; older
 * releases reject the file. Every kit that uses the form says so where the user reads it: in
 * compose.yaml and in DEPLOY.md.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';

test('every kit whose compose.yaml has an optional env_file says it needs Compose 2.24+', async () => {
  let checked = 0;
  for (const [name, config] of Object.entries(scenarios)) {
    const files = await renderScenario(config);
    const compose = files.find((f) => f.path === 'compose.yaml')?.content ?? '';
    if (!/required: false/.test(compose)) continue;
    checked++;
    assert.match(compose, /Docker Compose 2\.24\+/, `${name}: compose.yaml says so`);
    assert.match(files.find((f) => f.path === 'DEPLOY.md')?.content ?? '', /Compose 2\.24/, `${name}: DEPLOY.md says so`);
  }
  assert.ok(checked > 3, `${checked} kits checked`);
});

test.run();
