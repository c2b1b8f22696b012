import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../src/cli/main.js';
import { exampleRepo } from './_repo.js';

/** Drives clack through streams: waits for a prompt's text, then types keys. */
function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (d: Buffer) => (screen += d.toString()));
  const printed: string[] = [];
  const errors: string[] = [];
  const waitFor = async (text: string, from: number) => {
    for (let i = 0; i < 200; i++) {
      const idx = screen.indexOf(text, from);
      if (idx >= 0) return idx + text.length;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`prompt "${text}" never appeared; screen:\n${screen}`);
  };
  return {
    input,
    output,
    out: { print: (t: string) => printed.push(t), error: (t: string) => errors.push(t) },
    printed,
    errors,
    screen: () => screen,
    /** Answers each prompt in turn: wait for its message, then send the keys. */
    async answer(steps: Array<[string, string]>) {
      let at = 0;
      for (const [message, keys] of steps) {
        at = await waitFor(message, at);
        await new Promise((r) => setTimeout(r, 20));
        input.write(keys);
      }
    },
  };
}

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

test.run();
