import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../src/cli/main.js';
import { UsageError } from '../src/errors.js';
import { answer, type Asking, type Question } from '../src/prompts/questions.js';
import { exampleRepo } from './_repo.js';
import { terminal } from './_terminal.js';

test('interactive init: detected values are offered, edits are taken, the kit is written', async () => {
  const dir = exampleRepo('develop');
  const t = terminal();
  const run = main({ argv: ['init'], cwd: dir, out: t.out, interactive: true, input: t.input, output: t.output }, 'create-deploy-kit');
  await t.answer([
    ['Project name', '\r'],
    ['Port the app listens on', '\x7f\x7f\x7f\x7f8081\r'], // backspace over "3000", type 8081
    ['Health check path', '\r'],
    ['Production branch', '\r'],
    ['Production start command', '\r'],
    ['Staging branch', 'staging\r'],
    ['Write deploy-kit.yaml', '\r'],
  ]);
  const code = await run;
  assert.is(code, 0, t.errors.join('\n'));
  assert.match(t.screen(), /Detected/);
  const cfg = readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8');
  assert.match(cfg, /port: 8081/);
  assert.match(cfg, /production: develop/);
  assert.match(cfg, /staging: staging/);
  assert.match(readFileSync(join(dir, '.github/workflows/ci.yml'), 'utf8'), /branches: \["develop", "staging"\]/);
});

test('Ctrl-C at a prompt: exit 130 (as a shell reports SIGINT), nothing written', async () => {
  const dir = exampleRepo();
  const t = terminal();
  const run = main({ argv: ['init'], cwd: dir, out: t.out, interactive: true, input: t.input, output: t.output }, 'create-deploy-kit');
  await t.answer([
    ['Project name', '\r'],
    ['Port the app listens on', '\x03'],
  ]);
  assert.is(await run, 130);
  assert.match(t.errors.join('\n'), /cancelled; nothing was written/);
  assert.not.ok(existsSync(join(dir, 'deploy-kit.yaml')));
  assert.not.ok(existsSync(join(dir, 'Dockerfile')));
});

test('an invalid answer is refused at the prompt and asked again', async () => {
  const dir = exampleRepo();
  const t = terminal();
  const run = main({ argv: ['init'], cwd: dir, out: t.out, interactive: true, input: t.input, output: t.output }, 'create-deploy-kit');
  await t.answer([
    ['Project name', '\r'],
    ['Port the app listens on', '\x7f\x7f\x7f\x7f70000\r'],
    ['is not a port (1-65535)', '\x7f\x7f\x7f\x7f\x7f4000\r'],
    ['Health check path', '\r'],
    ['Production branch', '\r'],
    ['Production start command', '\r'],
    ['Staging branch', '\r'],
    ['Write deploy-kit.yaml', '\r'],
  ]);
  assert.is(await run, 0, t.errors.join('\n'));
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /port: 4000/);
});

test('questions: a flag, else detection, else a default, else --yes\'s fallback (with a note), else exit 2', async () => {
  const notes: string[] = [];
  const how = (yes: boolean): Asking => ({ yes, invocation: 'deploy-kit init', missing: (f) => `missing: ${f}`, note: (t) => notes.push(t) });
  const port = (more: Partial<Question>): Question => ({ key: 'port', flag: '--port', label: 'Port the app listens on', fallback: '3000', ...more });
  assert.equal(await answer([port({ given: '8080', detected: { value: '9000', evidence: 'x' } })], how(false)), { port: '8080' });
  assert.equal(await answer([port({ detected: { value: '9000', evidence: 'x' } })], how(false)), { port: '9000' });
  // A detected value the validator refuses is not taken.
  assert.equal(await answer([port({ detected: { value: 'abc', evidence: 'x' }, validate: (v) => (/^\d+$/.test(v) ? undefined : 'no') })], how(true)), {
    port: '3000',
  });
  assert.equal(notes, ['note: port the app listens on not found in the code; using 3000 (--port <value> to change it)']);
  assert.equal(await answer([{ key: 'name', flag: '--name', label: 'Project name', default: 'app' }], how(false)), { name: 'app' });
  // An optional question nobody answers is left out, never missing.
  assert.equal(await answer([{ key: 'staging', flag: '--staging-branch', label: 'Staging', optional: true }], how(false)), {});
  try {
    await answer([port({}), { key: 'branch', flag: '--branch', label: 'Production branch' }], how(false));
    assert.unreachable('no answer, no terminal');
  } catch (e) {
    assert.instance(e, UsageError);
    assert.is((e as UsageError).message, 'missing: --port, --branch');
    assert.is(
      (e as UsageError).hint,
      'pass them as flags, e.g. deploy-kit init --port <port the app listens on> --branch <production branch>\n' +
        'or take the defaults for --port with --yes: deploy-kit init --yes --branch <production branch>',
    );
  }
});

test('questions: with a person to ask, every unanswered question is a prompt, offered what detection found', async () => {
  const asked: unknown[] = [];
  const how: Asking = {
    ask: async (prompts) => {
      asked.push(...prompts);
      return { port: '4000', staging: '' };
    },
    yes: false,
    invocation: 'deploy-kit init',
    missing: (f) => f,
    note: () => assert.unreachable('no notes when a person answers'),
  };
  const answers = await answer(
    [
      { key: 'name', flag: '--name', label: 'Project name', given: 'shop' },
      { key: 'port', flag: '--port', label: 'Port', detected: { value: '3000', evidence: 'x' }, fallback: '8080' },
      { key: 'staging', flag: '--staging-branch', label: 'Staging', optional: true },
    ],
    how,
  );
  assert.equal(answers, { name: 'shop', port: '4000' });
  assert.equal(asked, [{ key: 'port', message: 'Port', initial: '3000' }, { key: 'staging', message: 'Staging', optional: true }]);
});

test.run();
