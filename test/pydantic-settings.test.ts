/**
 * Env vars a pydantic BaseSettings class reads (a real-repo pattern: FastAPI apps configure through
 * one): every field, the class's env_prefix, required when it has no default.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectEnvVars, envForStacks } from '../src/detect/env.js';
import { settingsVars } from '../src/detect/pydantic-settings.js';
import { ROOT } from './_repo.js';

const fixture = join(ROOT, 'test', 'fixtures', 'pydantic-settings');

test('fields of BaseSettings classes are env vars; methods, ClassVars and model_config are not', async () => {
  const env = await detectEnvVars(fixture);
  const rows = env.map((e) => `${e.name} ${e.locations.join(',')}${e.required ? ' required' : ''}`);
  assert.equal(rows, [
    'API_PREFIX app/core/config.py:10',
    'DATABASE_URL app/core/config.py:13 required',
    'MAIL_FROM app/core/config.py:24',
    'POOL_SIZE app/core/config.py:14',
    'SECRET_KEY app/core/config.py:11 required',
    'SENTRY_DSN app/core/config.py:15',
    'STRIPE_API_KEY app/core/config.py:30 required',
    'STRIPE_WEBHOOK_SECRET app/core/config.py:31',
  ]);
});

test('a class that is not a settings class reads nothing; case_sensitive keeps the name as written', () => {
  assert.equal(settingsVars('class User(BaseModel):\n    name: str\n'), []);
  const sensitive = 'class S(pydantic_settings.BaseSettings):\n    model_config = SettingsConfigDict(case_sensitive=True)\n    db_url: str\n';
  assert.equal(settingsVars(sensitive), [{ name: 'db_url', line: 3, required: true }]);
});

test("the kit takes the variables its services' languages read: not a sibling frontend's, unless a stack reads none of its own", () => {
  const env = [
    { name: 'SECRET_KEY', locations: ['backend/app/core/config.py:9'] },
    { name: 'VITE_API_URL', locations: ['frontend/src/main.tsx:18'] },
    { name: 'DATABASE_URL', locations: ['backend/app/db.py:3', 'frontend/e2e/setup.ts:2'] },
  ];
  assert.equal(envForStacks(env, ['python']).map((e) => e.name), ['SECRET_KEY', 'DATABASE_URL']);
  assert.equal(envForStacks(env, ['python', 'node']).map((e) => e.name), ['SECRET_KEY', 'VITE_API_URL', 'DATABASE_URL']);
  // Rust's reader (env::var, clap) finds none of these in .rs files; a stack with no reader keeps them all.
  assert.equal(envForStacks(env, ['rust']).length, 0);
  assert.equal(envForStacks(env, ['a-stack-with-no-reader']).length, 3);
});

test.run();
