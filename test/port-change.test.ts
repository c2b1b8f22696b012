// A port changed in deploy-kit.yaml reaches everything derived from it: .env.example's PORT
// (so the Dockerfile's own `docker run -p ... --env-file .env` hint publishes the port the app
// listens on), and a start command that names a port must agree with it.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, exampleRepo, git, ROOT } from './_repo.js';

const edit = (dir: string, file: string, from: string, to: string) =>
  writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(from, to));

/** The port the Dockerfile's run hint publishes, and the PORT the app gets from .env (a copy of .env.example). */
function runHint(dir: string): { published: string; listens: string } {
  const hint = /^# Run: +docker run --rm -p (\d+):(\d+) --env-file \.env /m.exec(readFileSync(join(dir, 'Dockerfile'), 'utf8'));
  assert.ok(hint, 'the Dockerfile has its run hint');
  const port = /^PORT=(\d*)$/m.exec(readFileSync(join(dir, '.env.example'), 'utf8'));
  assert.ok(port, '.env.example sets PORT');
  return { published: hint[2]!, listens: port[1]! };
}

test('a port change updates .env.example\'s PORT, so the run hint publishes the port the app listens on', () => {
  const dir = exampleRepo();
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  assert.equal(runHint(dir), { published: '3000', listens: '3000' });
  edit(dir, 'deploy-kit.yaml', 'port: 3000', 'port: 3100');
  const g = cli('deploy-kit', ['generate'], dir);
  assert.is(g.code, 0, g.stderr);
  assert.match(g.stdout, /\.env\.example\s+updated/);
  assert.equal(runHint(dir), { published: '3100', listens: '3100' });
  assert.is(cli('deploy-kit', ['check'], dir).code, 0);
});

test('a start command naming another port than the service\'s is refused where it is, with the fix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-port-'));
  cpSync(join(ROOT, 'test/fixtures/py-uv-fastapi'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  assert.match(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8'), /--port 8000/);
  edit(dir, 'deploy-kit.yaml', 'port: 8000', 'port: 8100');
  const before = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  const g = cli('deploy-kit', ['generate'], dir);
  assert.is(g.code, 1);
  assert.match(g.stderr, /deploy-kit\.yaml:\d+:\d+ services\[0\]\.start: listens on port 8000, but port is 8100; change the port in start/);
  assert.not.match(g.stderr, /\n\s+at /);
  assert.is(readFileSync(join(dir, 'Dockerfile'), 'utf8'), before, 'nothing written');
  edit(dir, 'deploy-kit.yaml', '--port 8000', '--port 8100');
  assert.is(cli('deploy-kit', ['generate'], dir).code, 0);
  assert.equal(runHint(dir), { published: '8100', listens: '8100' });
});

test.run();
