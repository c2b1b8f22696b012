/**
 * The CI smoke test boots the image with the throwaway values its framework refuses to start
 * without (Rails' and Phoenix's SECRET_KEY_BASE): the rendered `docker run` line, run by bash with
 * a stand-in docker, passes a fresh 96-hex-digit secret, and a stack without such a need passes none.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';

/** The `docker run` line of the smoke-test step in a scenario's ci.yml. */
async function smokeRun(name: string): Promise<string> {
  const files = await renderScenario(scenarios[name]!);
  const ci = parse(files.find((f) => f.path === '.github/workflows/ci.yml')!.content) as {
    jobs: Record<string, { steps?: Array<{ name?: string; run?: string }> }>;
  };
  const steps = Object.values(ci.jobs).flatMap((j) => j.steps ?? []);
  const smoke = steps.find((s) => s.name?.startsWith('Smoke-test'))?.run ?? '';
  const line = smoke.split('\n').find((l) => l.startsWith('docker run '));
  assert.ok(line, `${name}: the smoke step runs the image`);
  return line;
}

/** Runs the line under bash with a docker that prints its arguments, one per line. */
function argsOf(line: string): string[] {
  const bin = mkdtempSync(join(tmpdir(), 'dk-smoke-'));
  writeFileSync(join(bin, 'docker'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
  chmodSync(join(bin, 'docker'), 0o755);
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', line], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  assert.is(r.status, 0, r.stderr);
  return r.stdout.trimEnd().split('\n');
}

for (const name of ['rails-shop', 'phoenix-shop']) {
  test(`${name}: the smoke test passes a fresh random SECRET_KEY_BASE`, async () => {
    const line = await smokeRun(name);
    const first = argsOf(line).filter((a) => a.startsWith('SECRET_KEY_BASE='));
    const second = argsOf(line).filter((a) => a.startsWith('SECRET_KEY_BASE='));
    assert.is(first.length, 1, line);
    assert.match(first[0]!, /^SECRET_KEY_BASE=[0-9a-f]{96}$/);
    assert.is.not(first[0], second[0], 'a new secret on each run');
  });
}

test('an app that reads the secret under its own name (LEDGER_SECRET_KEY_BASE) gets the throwaway value under that name', async () => {
  const args = argsOf(await smokeRun('phoenix-own-env'));
  assert.ok(args.some((a) => /^LEDGER_SECRET_KEY_BASE=[0-9a-f]{96}$/.test(a)), args.join(' '));
  assert.not.ok(args.some((a) => a.startsWith('SECRET_KEY_BASE=')), 'not the name the app does not read');
});

test('a stack that needs no boot values gets no --env in its smoke test', async () => {
  const line = await smokeRun('express-vps-github');
  assert.not.match(line, /--env/);
});

test.run();
