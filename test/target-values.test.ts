// A target's options are checked and normalised where they are given, by one function for the
// flag and the prompt: a URL becomes its host, a path or a port is refused with the reason, and
// the two colors' ports must differ.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../src/cli/main.js';
import { hostFrom } from '../src/cli/target-values.js';
import { cli, exampleRepo } from './_repo.js';
import { terminal } from './_terminal.js';

function kit(): string {
  const dir = exampleRepo();
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  return dir;
}

const cfg = (dir: string) => readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8');

test('hostFrom: a URL becomes its host; a path, a port or credentials are refused with the reason', () => {
  assert.equal(hostFrom('https://api.example.com'), { value: 'api.example.com' });
  assert.equal(hostFrom('https://API.Example.com/'), { value: 'api.example.com' });
  assert.equal(hostFrom('api.example.com'), { value: 'api.example.com' });
  assert.match(JSON.stringify(hostFrom('https://api.example.com/v1')), /has a path \(\/v1\): give only the host, api\.example\.com/);
  assert.match(JSON.stringify(hostFrom('api.example.com/v1?x=1')), /has a path/);
  assert.match(JSON.stringify(hostFrom('api.example.com:8443')), /has a port \(8443\)/);
  assert.match(JSON.stringify(hostFrom('https://u:p@api.example.com')), /credentials/);
  assert.match(JSON.stringify(hostFrom('localhost')), /is not a hostname/);
});

test('add vps --domain <url> stores the host; a path or a port is refused at the flag (exit 2, nothing written)', () => {
  const dir = kit();
  const before = cfg(dir);
  const path = cli('deploy-kit', ['add', 'vps', '--domain', 'https://api.example.com/v1'], dir);
  assert.is(path.code, 2);
  assert.match(path.stderr, /--domain: "https:\/\/api\.example\.com\/v1" has a path \(\/v1\): give only the host, api\.example\.com/);
  const port = cli('deploy-kit', ['add', 'vps', '--domain', 'api.example.com:8443'], dir);
  assert.is(port.code, 2);
  assert.match(port.stderr, /has a port \(8443\)/);
  assert.is(cfg(dir), before);
  const ok = cli('deploy-kit', ['add', 'vps', '--domain', 'https://api.example.com'], dir);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(cfg(dir), /domain: api\.example\.com\n/);
});

test('equal --blue-port and --green-port (or one equal to the other\'s default) are refused at the flag', () => {
  const dir = kit();
  const both = cli('deploy-kit', ['add', 'vps', '--domain', 'api.example.com', '--blue-port', '8005', '--green-port', '8005'], dir);
  assert.is(both.code, 2);
  assert.match(both.stderr, /--blue-port and --green-port are both 8005: each needs a port of its own/);
  const vsDefault = cli('deploy-kit', ['add', 'vps', '--domain', 'api.example.com', '--blue-port', '8002'], dir);
  assert.is(vsDefault.code, 2);
  assert.match(vsDefault.stderr, /--blue-port and --green-port \(default\) are both 8002/);
  const range = cli('deploy-kit', ['add', 'vps', '--domain', 'api.example.com', '--blue-port', '80'], dir);
  assert.is(range.code, 2);
  assert.match(range.stderr, /--blue-port: 80 is out of range \(1024 to 65535\)/);
  assert.not.match(cfg(dir), /type: vps/);
});

test('add vps at the prompt: a URL with a path is refused inline and asked again; a URL is stored as its host', async () => {
  const dir = kit();
  const t = terminal();
  const run = main({ argv: ['add', 'vps'], cwd: dir, out: t.out, interactive: true, input: t.input, output: t.output }, 'deploy-kit');
  await t.answer([
    ['vps: ', 'https://api.example.com/v1\r'],
    ['has a path (/v1)', '\x7f\x7f\x7f\r'],
  ]);
  assert.is(await run, 0, t.errors.join('\n'));
  assert.match(cfg(dir), /domain: api\.example\.com\n/);
});

test.run();
