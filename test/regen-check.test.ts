// check never passes a kit that is not what deploy-kit.yaml renders: a stale render brought back
// by git is replaced, not kept as an edit; an edit generate has not seen fails check unless
// --allow-edits; a file a removed target left behind is adopted when the target comes back.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, exampleRepo, git, ROOT } from './_repo.js';

function kit(): string {
  const dir = exampleRepo();
  const init = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(init.code, 0, init.stderr);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'kit');
  return dir;
}

const edit = (dir: string, file: string, from: string | RegExp, to: string) =>
  writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(from, to));

test('an earlier render brought back by git is stale, not an edit: check fails, plan and generate replace it', () => {
  const dir = kit();
  edit(dir, 'deploy-kit.yaml', 'port: 3000', 'port: 3100');
  assert.is(cli('deploy-kit', ['generate'], dir).code, 0);
  git(dir, 'checkout', 'compose.yaml'); // the render of port 3000 comes back
  const c = cli('deploy-kit', ['check'], dir);
  assert.is(c.code, 1, c.stdout);
  assert.match(c.stdout, /compose\.yaml\s+would update/);
  assert.not.match(c.stdout, /matches/);
  // --allow-edits does not pass it: it is no edit.
  assert.is(cli('deploy-kit', ['check', '--allow-edits'], dir).code, 1);
  const p = cli('deploy-kit', ['plan'], dir);
  assert.match(p.stdout, /compose\.yaml\s+would update/);
  assert.match(p.stdout, /^\+.*3100/m);
  const g = cli('deploy-kit', ['generate'], dir);
  assert.match(g.stdout, /compose\.yaml\s+updated/);
  assert.match(readFileSync(join(dir, 'compose.yaml'), 'utf8'), /:-3100\}:3100/);
  assert.is(cli('deploy-kit', ['check'], dir).code, 0);
});

test('an edit generate has not kept fails check; --allow-edits passes it; generate keeps it and check passes', () => {
  const dir = kit();
  edit(dir, 'compose.yaml', 'services:', '# ours\nservices:');
  const c = cli('deploy-kit', ['check'], dir);
  assert.is(c.code, 1, c.stdout);
  assert.match(c.stdout, /compose\.yaml\s+differs from its render: edited/);
  assert.match(c.stderr, /--allow-edits/);
  const allowed = cli('deploy-kit', ['check', '--allow-edits'], dir);
  assert.is(allowed.code, 0, allowed.stdout + allowed.stderr);
  assert.match(allowed.stdout, /matches deploy-kit\.yaml \(with your edits to 1 file/);
  const g = cli('deploy-kit', ['generate'], dir);
  assert.match(g.stdout, /compose\.yaml\s+kept your edits/);
  assert.match(readFileSync(join(dir, 'compose.yaml'), 'utf8'), /# ours/);
  assert.is(cli('deploy-kit', ['check'], dir).code, 0);
  // A further edit is new again.
  edit(dir, 'compose.yaml', '# ours', '# ours, changed');
  assert.is(cli('deploy-kit', ['check'], dir).code, 1);
});

test('a deleted generated file fails check until generate keeps it deleted (or --allow-edits)', () => {
  const dir = kit();
  rmSync(join(dir, 'DEPLOY.md'));
  const c = cli('deploy-kit', ['check'], dir);
  assert.is(c.code, 1);
  assert.match(c.stdout, /DEPLOY\.md\s+missing: you deleted it/);
  assert.is(cli('deploy-kit', ['check', '--allow-edits'], dir).code, 0);
  assert.is(cli('deploy-kit', ['generate'], dir).code, 0);
  assert.not.ok(existsSync(join(dir, 'DEPLOY.md')));
  assert.is(cli('deploy-kit', ['check'], dir).code, 0);
});

test('check --help says what it checks, and --allow-edits', () => {
  const h = cli('deploy-kit', ['check', '--help'], ROOT);
  assert.is(h.code, 0);
  for (const re of [/generate would change/, /edit \(or deletion\) generate has not kept/, /earlier render .* is stale/, /--allow-edits/, /\.deploy-kit\//]) {
    assert.match(h.stdout, re);
  }
});

test('remove, then add again: the edited file remove kept is adopted, not blocked', () => {
  const dir = kit();
  assert.is(cli('deploy-kit', ['add', 'vps', '--domain', 'api.example.com'], dir).code, 0);
  edit(dir, 'deploy/scripts/deploy.sh', /$/, '# our tweak\n');
  const rm = cli('deploy-kit', ['remove', 'vps'], dir);
  assert.is(rm.code, 0, rm.stderr);
  assert.match(rm.stdout, /deploy\/scripts\/deploy\.sh\s+kept/);
  const add = cli('deploy-kit', ['add', 'vps', '--domain', 'api.example.com'], dir);
  assert.is(add.code, 0, add.stdout + add.stderr);
  assert.not.match(add.stdout + add.stderr, /not written by deploy-kit/);
  assert.match(add.stdout, /deploy\/scripts\/deploy\.sh\s+kept your edits/);
  assert.match(readFileSync(join(dir, 'deploy/scripts/deploy.sh'), 'utf8'), /# our tweak/);
  assert.is(cli('deploy-kit', ['check'], dir).code, 0);
  // Once deleted, a released file is forgotten with its merge base.
  assert.is(cli('deploy-kit', ['remove', 'vps'], dir).code, 0);
  rmSync(join(dir, 'deploy/scripts/deploy.sh'));
  assert.is(cli('deploy-kit', ['generate'], dir).code, 0);
  assert.not.ok(existsSync(join(dir, '.deploy-kit/base/deploy/scripts/deploy.sh')));
  assert.not.match(readFileSync(join(dir, '.deploy-kit/manifest.json'), 'utf8'), /deploy\.sh/);
});

test('plan piped into a reader that stops early (plan | head) ends quietly', async () => {
  const dir = kit();
  edit(dir, 'deploy-kit.yaml', 'port: 3000', 'port: 3100');
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'deploy-kit.cjs'), 'plan'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // the reader is gone before the first line
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.not.match(stderr, /EPIPE|node:events|\n\s+at /);
  assert.is(code, 0, stderr);
});

test.run();
