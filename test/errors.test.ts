import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TransactionError, UnsafePathError } from '../src/apply/index.js';
import { main } from '../src/cli/main.js';
import { ConfigError } from '../src/config/load.js';
import { CancelledError, ConflictError, CorruptStateError, DeployKitError, UsageError, UserError } from '../src/errors.js';

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
  const code = await main({ argv: ['deploy'], cwd: process.cwd(), interactive: false, out: { print: (t) => void (out.stdout += t), error: (t) => void (out.stderr += `${t}\n`) } }, 'deploy-kit');
  assert.is(code, 2);
  assert.match(out.stderr, /^unknown command "deploy"\ncommands: init, generate/);
});

test.run();
