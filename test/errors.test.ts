import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TransactionError, UnsafePathError } from '../src/apply/index.js';
import { main } from '../src/cli/main.js';
import { ConfigError } from '../src/config/load.js';
import { CancelledError, ConflictError, CorruptStateError, DeployKitError, UsageError, UserError } from '../src/errors.js';
import { exampleRepo } from './_repo.js';

test('every deliberate error is a DeployKitError with the exit code its kind promises', () => {
  const cases: Array<[DeployKitError, typeof DeployKitError, number]> = [
    [new UsageError('x'), UsageError, 2],
    [new CancelledError(), CancelledError, 130],
    [new ConfigError('deploy-kit.yaml', [{ path: 'name', line: 1, column: 1, message: 'bad' }]), UserError, 1],
    [new UnsafePathError('refusing'), ConflictError, 1],
    [new TransactionError('damaged'), CorruptStateError, 1],
  ];
  for (const [e, kind, code] of cases) {
    assert.ok(e instanceof DeployKitError, e.name);
    assert.ok(e instanceof kind, `${e.name} is a ${kind.name}`);
    assert.is(e.exitCode, code, e.name);
  }
  // name is the class's own, for --verbose stack traces; callers never compare it.
  assert.is(new UnsafePathError('x').name, 'UnsafePathError');
});

test('main(): a usage error prints its hint and exits 2; an unknown command is one', async () => {
  const out = { stdout: '', stderr: '' };
  const code = await main(
    { argv: ['deploy'], cwd: process.cwd(), interactive: false, out: { print: (t) => void (out.stdout += t), error: (t) => void (out.stderr += `${t}\n`) } },
    'deploy-kit',
  );
  assert.is(code, 2);
  assert.match(out.stderr, /^unknown command "deploy"\ncommands: init, generate/);
});

test('a damaged .deploy-kit manifest: exit 1 saying what is wrong and how to fix it, never "unexpected error"', async () => {
  const dir = exampleRepo();
  const run = async (...argv: string[]) => {
    const out = { stdout: '', stderr: '' };
    const code = await main(
      { argv, cwd: dir, interactive: false, out: { print: (t) => void (out.stdout += `${t}\n`), error: (t) => void (out.stderr += `${t}\n`) } },
      'deploy-kit',
    );
    return { code, ...out };
  };
  assert.is((await run('init', '--yes')).code, 0);
  const manifest = join(dir, '.deploy-kit/manifest.json');
  const good = JSON.parse(readFileSync(manifest, 'utf8')) as { version: 1; files: Record<string, { generator: string; sha256: string }> };
  const damage: Array<[string, string, RegExp]> = [
    ['invalid JSON', '{"version": 1, "files": {', /is not valid JSON/],
    ['wrong shape', JSON.stringify({ version: 1, files: ['Dockerfile'] }), /is not a deploy-kit manifest/],
    ['an entry that is not one', JSON.stringify({ version: 1, files: { ...good.files, Dockerfile: 'abc' } }), /the entry for Dockerfile is not \{"generator"/],
    [
      'a hash that is not a hash',
      JSON.stringify({ version: 1, files: { ...good.files, Dockerfile: { generator: 'docker', sha256: 'deadbeef' } } }),
      /the hash for Dockerfile is not a sha256/,
    ],
    [
      'a path out of the repository',
      JSON.stringify({ version: 1, files: { ...good.files, '../victim': { generator: 'docker', sha256: 'a'.repeat(64) } } }),
      /"\.\.\/victim" is not a path inside/,
    ],
  ];
  for (const [what, text, why] of damage) {
    writeFileSync(manifest, text);
    for (const command of ['generate', 'plan', 'check']) {
      const r = await run(command);
      assert.is(r.code, 1, `${command}, ${what}: ${r.stderr}`);
      assert.match(r.stderr, /^\.deploy-kit\/manifest\.json is damaged: /, `${command}, ${what}`);
      assert.match(r.stderr, why, `${command}, ${what}`);
      assert.match(r.stderr, /git checkout -- \.deploy-kit\/manifest\.json.*or delete \.deploy-kit\/ and run `npx create-deploy-kit@[0-9.]+ generate`/s);
      assert.not.match(r.stderr, /unexpected error/);
    }
    const doctor = await run('doctor', '--json');
    assert.is(doctor.code, 1, doctor.stderr);
    const finding = (JSON.parse(doctor.stdout) as { findings: Array<{ rule: string; message: string; fix: string }> }).findings.find(
      (f) => f.rule === 'kit/manifest-damaged',
    );
    assert.ok(finding, `doctor reports it (${what})`);
    assert.match(finding!.message, why);
    assert.match(finding!.fix, /git checkout/);
  }
  assert.is(readFileSync(join(dir, 'Dockerfile'), 'utf8').includes('FROM'), true, 'nothing was overwritten');
  // The documented way out: delete .deploy-kit/ and generate; identical files are taken over.
  rmSync(join(dir, '.deploy-kit'), { recursive: true });
  assert.is((await run('generate')).code, 0);
  assert.is((await run('check')).code, 0);
});

test.run();
