/**
 * An app that reads its port and its database URL under names of its own (a real-repo pattern:
 * hexpm's HEXPM_PORT, without which its endpoint runs with `server: false`, and its Ecto repo's
 * `init/2` reading HEXPM_DATABASE_URL). Detection finds both names, the config carries them
 * (`portEnv`, `databaseUrlEnv`), and every place the kit sets PORT or the PostgreSQL URL sets
 * the app's names: the image, compose, .env.example, the CI smoke test, the VPS scripts.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectElixir } from '../stacks/elixir/detect.js';
import { cli, git, ROOT } from './_repo.js';
import { startColor as libStartColor } from './_lib-start.js';

const FIXTURE = join(ROOT, 'test/fixtures/phoenix-own-env');

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-env-names-'));
  for (const [path, text] of Object.entries(files)) {
    spawnSync('mkdir', ['-p', join(dir, path, '..')]);
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const MIX = 'defmodule A.MixProject do\n  use Mix.Project\n  def project, do: [app: :a, deps: [{:phoenix, "~> 1.8"}, {:postgrex, "~> 0.20"}]]\nend\n';

test("the endpoint's port variable and the Ecto repo's URL variable are found (the repo's init/2, no default port)", async () => {
  const facts = (await detectElixir(FIXTURE))!;
  assert.equal(facts.portEnv, {
    value: 'LEDGER_PORT',
    evidence: `config/runtime.exs:6 case System.get_env("LEDGER_PORT") do (the endpoint's http port)`,
  });
  assert.equal(facts.databaseUrlEnv, {
    value: 'LEDGER_DATABASE_URL',
    evidence: `lib/ledger/repo.ex:9 case System.get_env("LEDGER_DATABASE_URL") do (the Ecto repo's url)`,
  });
  assert.is(facts.port, undefined, 'no default: the kit picks the port and sets LEDGER_PORT to it');
  assert.not.ok(facts.warnings.some((w) => /LEDGER_PORT/.test(w)), 'no warning: the kit sets the variable itself');
});

test('runtime.exs patterns: an inline default names the port too; `url:` from a variable in the repo block', async () => {
  const inline = repo({
    'mix.exs': MIX,
    'config/runtime.exs': [
      'import Config',
      'if config_env() == :prod do',
      '  db_url = System.fetch_env!("SHOP_DB_URL")',
      '  config :a, A.Repo, url: db_url, pool_size: 10',
      '  config :a, AWeb.Endpoint,',
      '    url: [host: "a.example.com", port: 443],',
      '    http: [ip: {0, 0, 0, 0}, port: String.to_integer(System.get_env("SHOP_HTTP_PORT") || "4100")]',
      'end',
      '',
    ].join('\n'),
  });
  const a = (await detectElixir(inline))!;
  assert.is(a.portEnv?.value, 'SHOP_HTTP_PORT');
  assert.is(a.port?.value, 4100);
  assert.is(a.databaseUrlEnv?.value, 'SHOP_DB_URL');
  assert.is(a.databaseUrlEnv?.evidence, 'config/runtime.exs:3 db_url = System.fetch_env!("SHOP_DB_URL")');

  const named = repo({
    'mix.exs': MIX,
    'config/runtime.exs': [
      'import Config',
      'port = String.to_integer(System.get_env("WEB_PORT", "4200"))',
      'config :a, A.Repo,',
      '  url: System.get_env("A_POSTGRES_URL"),',
      '  ssl: true',
      'config :a, AWeb.Endpoint, http: [port: port]',
      '',
    ].join('\n'),
  });
  const b = (await detectElixir(named))!;
  assert.equal([b.portEnv?.value, b.port?.value, b.databaseUrlEnv?.value], ['WEB_PORT', 4200, 'A_POSTGRES_URL']);
});

test("phx.new's own names (PORT, DATABASE_URL) and another database's URL set nothing", async () => {
  const standard = (await detectElixir(join(ROOT, 'test/fixtures/phoenix-shop')))!;
  assert.is(standard.portEnv, undefined);
  assert.is(standard.databaseUrlEnv, undefined);
  assert.is(standard.port?.value, 4000);
  const mysql = repo({
    'mix.exs': MIX.replace('postgrex', 'myxql'),
    'config/runtime.exs': 'import Config\nconfig :a, A.Repo, url: System.get_env("A_MYSQL_URL")\n',
  });
  assert.is((await detectElixir(mysql))!.databaseUrlEnv, undefined, 'the postgres add-on cannot serve a MySQL repo');
});

function init(extra: string[][] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'dk-env-names-'));
  cpSync(FIXTURE, dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const res = cli('create-deploy-kit', ['init', '--yes'], dir);
  for (const args of extra) assert.is(cli('deploy-kit', args, dir).code, 0, args.join(' '));
  return { ...res, read: (f: string) => readFileSync(join(dir, f), 'utf8') };
}

test('init: the config carries both names, the add-on is on, and the kit sets them where it sets PORT and DATABASE_URL', () => {
  const r = init([['add', 'vps', '--domain', 'ledger.example.com']]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /port variable\s+LEDGER_PORT/);
  assert.match(r.stdout, /add-ons\s+postgres: the Ecto repo \(postgrex\) reads LEDGER_DATABASE_URL/);
  const config = r.read('deploy-kit.yaml');
  assert.match(config, /^ {4}portEnv: LEDGER_PORT$/m);
  assert.match(config, /^ {4}databaseUrlEnv: LEDGER_DATABASE_URL$/m);
  assert.match(config, /^addons:\n {2}postgres: true$/m);

  // The image: the endpoint serves on the port the probes check (without it, `server: false`).
  assert.match(r.read('Dockerfile'), /^ {4}PORT=4000 \\\n {4}LEDGER_PORT=4000 \\$/m);
  const compose = r.read('compose.yaml');
  assert.match(compose, /^ {6}LEDGER_PORT: "4000"$/m);
  assert.match(compose, /^ {6}LEDGER_DATABASE_URL: "postgresql:\/\/\$\{POSTGRES_USER:-app\}:/m);
  assert.not.match(compose, /^\s+DATABASE_URL:/m, 'nothing reads DATABASE_URL');
  const env = r.read('.env.example');
  assert.match(env, /^LEDGER_PORT=4000$/m);
  assert.match(env, /^LEDGER_DATABASE_URL=$/m);
  assert.not.match(env, /^DATABASE_URL=/m);
  assert.match(r.read('.github/workflows/ci.yml'), / --env LEDGER_DATABASE_URL=ecto:\/\/smoke:smoke@127\.0\.0\.1:5432\/smoke /);
  assert.match(r.read('deploy/scripts/settings.sh'), /^: "\$\{APP_PORT_ENV:="LEDGER_PORT"\}"$/m);
  const name = /^name: (.+)$/m.exec(config)![1]!;
  assert.match(r.read(`deploy/systemd/${name}@.service`), / --env PORT=4000 --env LEDGER_PORT=4000 /);
});

const startColor = (env: Record<string, string>) => libStartColor('ledger', 4000, env);

test("deploy.sh's docker run sets APP_PORT_ENV beside PORT, and refuses a name that is not a variable", () => {
  const set = startColor({ APP_PORT_ENV: 'LEDGER_PORT' });
  assert.is(set.code, 0, set.err);
  assert.match(set.err, /^run .*--env PORT=4000 .*--env LEDGER_PORT=4000 /m);
  const unset = startColor({});
  assert.is(unset.code, 0, unset.err);
  assert.match(unset.err, /^run .*--env PORT=4000 /m);
  assert.not.match(unset.err, /LEDGER_PORT/);
  // A lower-case name is a variable too (a Bun app reading process.env.port).
  const lower = startColor({ APP_PORT_ENV: 'port' });
  assert.is(lower.code, 0, lower.err);
  assert.match(lower.err, /^run .*--env PORT=4000 .*--env port=4000 /m);
  const bad = startColor({ APP_PORT_ENV: 'x;rm' });
  assert.is(bad.code, 2);
  assert.match(bad.err, /APP_PORT_ENV must be a variable name/);
});

test.run();
