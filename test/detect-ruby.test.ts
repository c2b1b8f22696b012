// Ruby versions from a Gemfile requirement: an exact pin as written, a range resolved to the newest
// release that satisfies it (as engines does for Node), never the minimum a range names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectRuby, rubyForRequirement } from '../stacks/ruby/detect.js';
import { ROOT } from './_repo.js';
import { scratch } from './_scratch.js';
import { RUBY_DEFAULT } from '../src/versions.js';

test('an exact Gemfile ruby line is taken as written', () => {
  assert.is(rubyForRequirement('3.3.6', '3.3').version, '3.3');
});

test('a pessimistic requirement takes the newest minor of its major line', () => {
  assert.equal(rubyForRequirement('~> 3.1', '3.1'), { version: '3.4', why: 'a range within Ruby 3; Ruby 3.4 is its newest' });
  assert.is(rubyForRequirement('~> 3.4.1', '3.4').version, '3.4');
});

test('a minimum takes the default release when that satisfies it, else the minimum', () => {
  assert.is(rubyForRequirement('>= 3.2', '3.2').version, RUBY_DEFAULT);
  assert.is(rubyForRequirement('>= 9.1', '9.1').version, '9.1');
});

const dirs = scratch('ruby-puma');
test.after(dirs.cleanup);

test('Puma run with a config that names no port or bind (the port line commented out) listens on 9292, not Rails server\'s 3000', async () => {
  const dir = dirs.files({});
  cpSync(join(ROOT, 'test/fixtures/rails-shop'), dir, { recursive: true });
  const withPort = await detectRuby(dir);
  assert.equal([withPort?.start?.value, withPort?.port?.value], ['bundle exec puma -C config/puma.rb', 3000]);
  writeFileSync(join(dir, 'config/puma.rb'), 'threads 3, 3\n# port ENV.fetch("PORT") { 3000 }\nplugin :tmp_restart\n');
  const facts = await detectRuby(dir);
  assert.equal(facts?.port, { value: 9292, evidence: 'config/puma.rb sets no port or bind: Puma listens on its default 9292 (and reads no PORT)' });
});

test('Rails with config/database.yml kept out of git (only a .sample committed): a warning that it fails to boot, and how to fix it', async () => {
  const dir = dirs.files({});
  cpSync(join(ROOT, 'test/fixtures/rails-shop'), dir, { recursive: true });
  const warning = (w: string) => w.startsWith('config/database.yml is not in the repository (only config/database.yml.sample)');
  assert.not.ok((await detectRuby(dir))?.warnings.some(warning));
  writeFileSync(join(dir, 'config/database.yml.sample'), 'production:\n  adapter: sqlite3\n');
  assert.ok((await detectRuby(dir))?.warnings.some(warning));
  writeFileSync(join(dir, 'config/database.yml'), 'production:\n  url: <%= ENV["DATABASE_URL"] %>\n');
  assert.not.ok((await detectRuby(dir))?.warnings.some(warning));
});

test('a job backend (Sidekiq, Solid Queue...) is warned about: its worker is a second process the kit does not start', async () => {
  const dir = dirs.files({});
  cpSync(join(ROOT, 'test/fixtures/rails-shop'), dir, { recursive: true });
  const jobs = (w: string) => w.includes('jobs run in a worker process');
  assert.not.ok((await detectRuby(dir))?.warnings.some(jobs));
  writeFileSync(join(dir, 'Gemfile'), `${readFileSync(join(dir, 'Gemfile'), 'utf8')}gem "sidekiq"\n`);
  const warned = (await detectRuby(dir))?.warnings.filter(jobs) ?? [];
  assert.equal(warned.length, 1);
  assert.match(warned[0]!, /^Gemfile:\d+ gem "sidekiq": jobs run in a worker process the kit does not start: run `bundle exec sidekiq` from the same image/);
});

test.run();
