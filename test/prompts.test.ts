import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../src/cli/main.js';
import { UsageError } from '../src/errors.js';
import { answer, type Asking, type Question } from '../src/prompts/questions.js';
import { cli, exampleRepo } from './_repo.js';
import { terminal } from './_terminal.js';

const DOWN = '\x1b[B';
const ENTER = '\r';

function interactiveInit(dir: string, argv: string[] = ['init']) {
  const t = terminal();
  const run = main({ argv, cwd: dir, out: t.out, interactive: true, input: t.input, output: t.output }, 'create-deploy-kit');
  return { t, run };
}

test('interactive init accepted as shown: one screen of facts with evidence, a preview, the same answers as --yes', async () => {
  const dir = exampleRepo('develop');
  const { t, run } = interactiveInit(dir);
  await t.answer([
    ['Looks right?', ENTER],
    ['Write these files?', ENTER],
  ]);
  assert.is(await run, 0, t.errors.join('\n'));
  const screen = t.screen();
  // The facts with their evidence, then the values with where each came from: nothing asked one by one.
  assert.match(screen, /Detected[\s\S]*package-lock\.json present[\s\S]*Your kit[\s\S]*Port the app listens on\s+3000\s+detected/);
  assert.not.match(screen, /◇ {2}Project name|◇ {2}Port the app listens on/, 'no value was asked');
  // The preview names the targets and every file, deploy-kit.yaml first, before anything is written.
  const preview = screen.slice(screen.indexOf('Will write'), screen.indexOf('Write these files?'));
  assert.match(preview, /Targets: compose; CI: github/);
  assert.match(preview, /deploy-kit\.yaml\s+would create[\s\S]*Dockerfile\s+would create[\s\S]*DEPLOY\.md\s+would create/);
  // The final list is inside the frame (a note), deploy-kit.yaml included, and nothing is printed outside it.
  const wrote = screen.slice(screen.lastIndexOf('Wrote'));
  assert.match(screen, /◇ {2}Wrote ─+╮[\s\S]*│ +deploy-kit\.yaml +created +│[\s\S]*│ +Dockerfile +created +│/);
  assert.ok(wrote.length > 0);
  assert.equal(t.printed, []);
  // Same answers as --yes on the same repository.
  const yes = exampleRepo('develop');
  assert.is(cli('create-deploy-kit', ['--yes'], yes).code, 0);
  assert.is(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), readFileSync(join(yes, 'deploy-kit.yaml'), 'utf8'));
});

test('interactive init: edit only the values you pick, go back from the preview, then write', async () => {
  const dir = exampleRepo('develop');
  const { t, run } = interactiveInit(dir);
  await t.answer([
    ['Looks right?', DOWN + ENTER],
    ['Which do you want to change?', DOWN + ' ' + ENTER], // the port only
    ['Port the app listens on', '\x7f\x7f\x7f\x7f8081' + ENTER], // backspace over "3000", type 8081
    ['Looks right?', ENTER],
    ['Write these files?', DOWN + ENTER], // go back
    ['Looks right?', DOWN + ENTER],
    ['Which do you want to change?', DOWN.repeat(5) + ' ' + ENTER], // the staging branch
    ['Staging branch', 'staging' + ENTER],
    ['Looks right?', ENTER],
    ['Write these files?', ENTER],
  ]);
  assert.is(await run, 0, t.errors.join('\n'));
  const screen = t.screen();
  assert.match(screen, /Port the app listens on\s+8081\s+your answer/);
  assert.not.match(screen, /◇ {2}Project name\n/, 'values not picked are not asked');
  const cfg = readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8');
  assert.match(cfg, /port: 8081/);
  assert.match(cfg, /production: develop/);
  assert.match(cfg, /staging: staging/);
  assert.match(readFileSync(join(dir, '.github/workflows/ci.yml'), 'utf8'), /branches: \["develop", "staging"\]/);
});

test('Ctrl-C at a prompt: exit 130 (as a shell reports SIGINT), nothing written', async () => {
  const dir = exampleRepo();
  const { t, run } = interactiveInit(dir);
  await t.answer([['Looks right?', '\x03']]);
  assert.is(await run, 130);
  assert.match(t.errors.join('\n'), /cancelled; nothing was written/);
  assert.not.ok(existsSync(join(dir, 'deploy-kit.yaml')));
  assert.not.ok(existsSync(join(dir, 'Dockerfile')));
});

test('an invalid answer is refused at the prompt and asked again', async () => {
  const dir = exampleRepo();
  const { t, run } = interactiveInit(dir);
  await t.answer([
    ['Looks right?', DOWN + ENTER],
    ['Which do you want to change?', DOWN + ' ' + ENTER],
    ['Port the app listens on', '\x7f\x7f\x7f\x7f70000' + ENTER],
    ['is not a port (1-65535)', '\x7f\x7f\x7f\x7f\x7f4000' + ENTER],
    ['Looks right?', ENTER],
    ['Write these files?', ENTER],
  ]);
  assert.is(await run, 0, t.errors.join('\n'));
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /port: 4000/);
});

test('a bad combination of answers is shown in the frame and sent back to the review, not a crash', async () => {
  const dir = exampleRepo('main');
  const { t, run } = interactiveInit(dir);
  await t.answer([
    ['Looks right?', DOWN + ENTER],
    ['Which do you want to change?', DOWN.repeat(5) + ' ' + ENTER],
    ['Staging branch', 'main' + ENTER],
    ['Looks right?', ENTER],
    ['must differ from the production branch', ''],
    ['Looks right?', DOWN + ENTER],
    ['Which do you want to change?', DOWN.repeat(5) + ' ' + ENTER],
    ['Staging branch', '\x7f\x7f\x7f\x7fstaging' + ENTER],
    ['Looks right?', ENTER],
    ['Write these files?', ENTER],
  ]);
  assert.is(await run, 0, t.errors.join('\n'));
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /staging: staging/);
});

test('interactive init asks up front only what nothing answered, then reviews as usual', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-bare-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bare', version: '1.0.0' }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'bare', lockfileVersion: 3, requires: true, packages: {} }));
  const { t, run } = interactiveInit(dir);
  await t.answer([
    ['Detection could not find these', ''],
    ['Production branch', 'main' + ENTER],
    ['Production start command', 'node index.js' + ENTER],
    ['Looks right?', ENTER],
    ['Write these files?', ENTER],
  ]);
  assert.is(await run, 0, t.errors.join('\n'));
  const screen = t.screen();
  assert.match(screen, /Port the app listens on\s+\d+\s+not found: a guess/);
  assert.match(screen, /Production start command\s+node index\.js\s+your answer/);
  assert.not.match(screen, /◇ {2}Port the app listens on/, 'a value with a fallback is not asked');
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /start: node index\.js/);
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
