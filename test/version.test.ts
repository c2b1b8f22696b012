// The version messages and generated files name must be the one npm installs.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, VERSION } from '../src/version.js';

test('VERSION is package.json\'s version, and the CLI command names this package at it', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  assert.is(VERSION, pkg.version);
  assert.is(CLI, `npx ${pkg.name}@${pkg.version}`);
});

test.run();
