// The Elixir stack's detection: every fact with its evidence on a Phoenix app and a plain
// Plug/Bandit app, version requirements resolved as Mix reads them, routes under router scopes.
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { docker } from '../generators/docker.js';
import { auditStackLockfiles } from '../src/doctor/lockfiles.js';
import type { GeneratorContext } from '../generators/types.js';
import { baseConfig } from './_scenarios.js';
import { detectEnvVars } from '../src/detect/env.js';
import { detectServices } from '../src/detect/services.js';
import { elixirConfig, elixirDeployable, elixirLanguageVersion } from '../stacks/elixir/config.js';
import { detectElixir } from '../stacks/elixir/detect.js';
import { elixirForRequirement, toolVersion } from '../stacks/elixir/versions.js';
import { scratch } from './_scratch.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const dirs = scratch('elixir');
const repo = dirs.files;
test.after(dirs.cleanup);

test('Phoenix with Ecto, Bandit, assets and a Release module: every fact with its evidence', async () => {
  const facts = await detectElixir(fixture('phoenix-shop'));
  assert.equal(facts, {
    path: '.',
    deps: ['bandit', 'ecto_sql', 'esbuild', 'jason', 'phoenix', 'phoenix_ecto', 'postgrex'],
    compileConfig: ['config/config.exs', 'config/prod.exs'],
    warnings: [],
    app: { value: 'shop', evidence: 'mix.exs:6 app: :shop' },
    release: { value: 'shop', evidence: 'mix.exs:6 app: :shop (the release is named after the app)' },
    application: { value: 'Shop.Application', evidence: 'mix.exs:18 mod: {Shop.Application, []}' },
    lockfile: { value: 'mix.lock', evidence: 'mix.lock present' },
    framework: { value: 'phoenix', evidence: 'mix.exs:28 {:phoenix, "~> 1.8.1"} (mix.lock: 1.8.1)' },
    server: { value: 'bandit', evidence: 'mix.exs:34 {:bandit, "~> 1.5"} (mix.lock: 1.8.0)' },
    ecto: { value: 'postgrex', evidence: 'mix.exs:31 {:postgrex, ">= 0.0.0"} (mix.lock: 0.21.1)' },
    assets: { value: true, evidence: 'mix.exs:45 "assets.deploy": ["esbuild shop --minify", "phx.digest"]' },
    // .tool-versions wins over mix.exs's "~> 1.15", and its erlang line over the elixir line's -otp-28.
    elixirVersion: { value: '1.19', evidence: '.tool-versions:1 elixir 1.19.4-otp-28' },
    otpVersion: { value: '28', evidence: '.tool-versions:2 erlang 28.2' },
    runtimeConfig: { value: true, evidence: 'config/runtime.exs present' },
    endpoint: { value: 'ShopWeb.Endpoint', evidence: 'lib/shop_web/endpoint.ex use Phoenix.Endpoint' },
    releaseModule: { value: 'Shop.Release', evidence: 'lib/shop/release.ex defmodule Shop.Release with def migrate' },
    // config/dev.exs's 4001 is not the release's port.
    port: {
      value: 4000,
      evidence: 'config/runtime.exs:21 http: [ip: {0, 0, 0, 0, 0, 0, 0, 0}, port: String.to_integer(System.get_env("PORT") || "4000")],',
    },
    // Under scope "/api"; the /dev/healthz route exists only in dev and test, so it is passed over.
    healthPath: { value: '/api/health', evidence: 'lib/shop_web/router.ex:16 get "/health", HealthController, :show' },
  });
  const config = elixirConfig(facts!, { name: 'app', path: '.' }, { port: 4000, healthPath: '/api/health', build: null, test: null });
  assert.equal(
    [config.languageVersion, config.otpVersion, config.start, config.migrate, config.build, config.test],
    ['1.19', '28', 'bin/shop start', 'bin/shop eval Shop.Release.migrate', 'mix assets.deploy', 'mix test'],
  );
  assert.is('mixDeps' in config || 'lockfile' in config, false);
  assert.equal((await detectServices(fixture('phoenix-shop'))).map((s) => [s.stack, s.path]), [['elixir', '.']]);
});

test('a plain Plug app under Bandit: port from the child spec, the Plug.Router route, no mix.lock warned about', async () => {
  const dir = repo({
    'mix.exs':
      'defmodule Hello.MixProject do\n  use Mix.Project\n\n  def project do\n' +
      '    [app: :hello, version: "0.1.0", elixir: ">= 1.14.0 and < 1.18.0", deps: deps(), releases: [hello_api: [include_executables_for: [:unix]]]]\n' +
      '  end\n\n  def application, do: [mod: {Hello.Application, []}]\n\n' +
      '  defp deps do\n    [{:bandit, "~> 1.5"}, {:plug, "~> 1.16"}]\n  end\nend\n',
    'lib/hello/application.ex':
      'defmodule Hello.Application do\n  use Application\n\n  def start(_type, _args) do\n' +
      '    Supervisor.start_link([{Bandit, plug: Hello.Router, port: 4001}], strategy: :one_for_one)\n  end\nend\n',
    'lib/hello/router.ex':
      'defmodule Hello.Router do\n  use Plug.Router\n\n  plug :match\n  plug :dispatch\n\n' +
      '  get "/healthz" do\n    send_resp(conn, 200, "ok")\n  end\n\n  match _ do\n    send_resp(conn, 404, "")\n  end\nend\n',
  });
  const facts = (await detectElixir(dir))!;
  assert.equal(facts.framework, { value: 'plug', evidence: 'mix.exs:11 [{:bandit, "~> 1.5"}, {:plug, "~> 1.16"}]' });
  assert.equal(facts.server?.value, 'bandit');
  assert.equal(facts.release?.value, 'hello_api');
  assert.match(facts.release!.evidence, /^mix\.exs:5 \[app: :hello, /);
  assert.equal(facts.elixirVersion?.value, '1.17');
  assert.match(facts.elixirVersion!.evidence, /\(Elixir 1\.17 is the newest supported release it allows\)$/);
  assert.equal(facts.port, {
    value: 4001,
    evidence: 'lib/hello/application.ex:5 Supervisor.start_link([{Bandit, plug: Hello.Router, port: 4001}], strategy: :one_for_one)',
  });
  assert.equal(facts.healthPath, { value: '/healthz', evidence: 'lib/hello/router.ex:7 get "/healthz" do' });
  assert.equal(facts.warnings, ['no mix.lock: every image build resolves the dependencies anew; run `mix deps.get` and commit mix.lock']);
  assert.match(elixirDeployable(facts)!, /^plug app: /);
  const config = elixirConfig(facts, { name: 'app', path: '.' }, { port: 4001, build: null, test: null });
  // OTP 27 is the newest Elixir 1.17 supports; no mix.lock is said in the config, and the release is the one mix.exs names.
  assert.equal([config.framework, config.otpVersion, config.lockfile, config.start, config.build], ['plug', '27', false, 'bin/hello_api start', null]);
  assert.is(config.migrate, undefined);
});

test("env vars: System.get_env and fetch_env! in runtime.exs and lib/, not config/dev.exs's; the ones it raises without are required", async () => {
  const env = await detectEnvVars(fixture('phoenix-shop'));
  // Required: fetch_env! raises when it is unset, and so does `System.get_env("X") || raise` (over a line break too).
  assert.equal(
    env.map((v) => `${v.name} ${v.locations.join(',')}${v.required ? ' required' : ''}`),
    [
      'DATABASE_URL config/runtime.exs:9 required',
      'PHX_HOST config/runtime.exs:17',
      'PHX_SERVER config/runtime.exs:3',
      'POOL_SIZE config/runtime.exs:14',
      'PORT config/runtime.exs:21',
      'SECRET_KEY_BASE config/runtime.exs:16 required',
    ],
  );
});

test('doctor: dependencies without mix.lock are an error with the command that writes it; none needed without dependencies', async () => {
  const withDeps = repo({
    'apps/api/mix.exs': 'defmodule A.MixProject do\n  use Mix.Project\n  def project, do: [app: :api, deps: [{:bandit, "~> 1.5"}]]\nend\n',
  });
  const services = await detectServices(withDeps);
  assert.equal(auditStackLockfiles({ services }), [
    {
      rule: 'elixir/no-lockfile',
      severity: 'error',
      file: 'apps/api/mix.exs',
      message:
        'mix.exs declares dependencies (bandit) but there is no apps/api/mix.lock: ' +
        'every image build resolves them anew, so production can run versions nobody tested',
      fix: 'run `mix deps.get` in apps/api and commit mix.lock (then remove `lockfile: false` from deploy-kit.yaml)',
    },
  ]);
  assert.equal(auditStackLockfiles({ services: await detectServices(fixture('e2e/elixir-release')) }), []);
  assert.equal(auditStackLockfiles({ services: await detectServices(fixture('phoenix-shop')) }), []);
});

test('no route, no dependencies, no version: TCP checks, no Hex, the default Elixir; a library is not a service', async () => {
  const dir = repo({
    'mix.exs': 'defmodule W.MixProject do\n  use Mix.Project\n  def project, do: [app: :worker, deps: []]\n  def application, do: [mod: {W.App, []}]\nend\n',
    'lib/w.ex': 'defmodule W.App do\n  use Application\n  def start(_, _), do: Supervisor.start_link([], strategy: :one_for_one)\nend\n',
  });
  const facts = (await detectElixir(dir))!;
  assert.is(facts.healthPath, undefined);
  assert.is(facts.port, undefined);
  assert.equal(facts.deps, []);
  assert.equal(elixirLanguageVersion(facts), { value: '1.20', evidence: 'no .tool-versions or mix.exs elixir requirement: Elixir 1.20' });
  const config = elixirConfig(facts, { name: 'app', path: '.' }, { port: 4000, build: null, test: null });
  assert.equal([config.mixDeps, 'lockfile' in config, 'healthPath' in config, config.otpVersion], [false, false, false, '29']);
  const child = repo({
    'apps/web/mix.exs':
      'defmodule W.MixProject do\n  use Mix.Project\n' +
      '  def project, do: [app: :web, lockfile: "../../mix.lock", deps: [{:phoenix, "~> 1.8"}]]\nend\n',
  });
  const childFacts = (await detectElixir(child, 'apps/web'))!;
  assert.is(elixirDeployable(childFacts), undefined);
  assert.match(childFacts.warnings.join('\n'), /umbrella's app, built with the umbrella/);
  const library = repo({ 'mix.exs': 'defmodule L.MixProject do\n  use Mix.Project\n  def project, do: [app: :lib, deps: [{:jason, "~> 1.4"}]]\nend\n' });
  assert.is(elixirDeployable((await detectElixir(library))!), undefined);
  // A server library published to Hex (an application callback, Plug among its dependencies) is not an app either.
  const server = repo({
    'mix.exs':
      'defmodule B.MixProject do\n  use Mix.Project\n  def project do\n    [\n      app: :srv,\n' +
      '      deps: [{:plug, "~> 1.14"}, {:thousand_island, "~> 1.0"}],\n' +
      '      package: [licenses: ["MIT"]]\n    ]\n  end\n  def application, do: [mod: {Srv.Application, []}]\nend\n',
  });
  const serverFacts = (await detectElixir(server))!;
  assert.equal([serverFacts.framework, elixirDeployable(serverFacts)], [undefined, undefined]);
});

test("an older `<App>.ReleaseTasks` with `migrate(args \\\\ [])` is the release's migrate; a migrate/1 is not", async () => {
  const files = (migrate: string): Record<string, string> => ({
    'mix.exs':
      'defmodule T.MixProject do\n  use Mix.Project\n  def project, do: [app: :tasks, deps: deps()]\n' +
      '  def application, do: [mod: {T.Application, []}]\n' +
      '  defp deps, do: [{:phoenix, "~> 1.8"}, {:ecto_sql, "~> 3.13"}, {:postgrex, ">= 0.0.0"}]\nend\n',
    'lib/tasks/release_tasks.ex': `defmodule Tasks.ReleaseTasks do\n  ${migrate}\n    Ecto.Migrator.run(Tasks.Repo, :up, all: true)\n  end\nend\n`,
  });
  const facts = (await detectElixir(repo(files('def migrate(args \\\\ []) do'))))!;
  assert.equal(facts.releaseModule, { value: 'Tasks.ReleaseTasks', evidence: 'lib/tasks/release_tasks.ex defmodule Tasks.ReleaseTasks with def migrate' });
  assert.not.match(facts.warnings.join('\n'), /phx\.gen\.release/);
  const config = elixirConfig(facts, { name: 'app', path: '.' }, { port: 4000, build: null, test: null });
  assert.is(config.migrate, 'bin/tasks eval Tasks.ReleaseTasks.migrate');
  const arity1 = (await detectElixir(repo(files('def migrate(repo) do'))))!;
  assert.is(arity1.releaseModule, undefined);
  assert.match(arity1.warnings.join('\n'), /phx\.gen\.release/);
});

test('router scopes nest their prefixes; a route in a dev-only block and a commented one do not count', async () => {
  const dir = repo({
    'mix.exs': 'defmodule S.MixProject do\n  use Mix.Project\n  def project, do: [app: :s, deps: [{:phoenix, "~> 1.8"}]]\nend\n',
    'lib/s_web/router.ex': [
      'defmodule SWeb.Router do',
      '  use SWeb, :router',
      '  if Mix.env() == :dev do',
      '    get "/health", SWeb.Dev, :health',
      '  end',
      '  scope "/internal", SWeb do',
      '    # get "/healthz", Old, :show',
      '    scope "/ops" do',
      '      pipe_through :api',
      '      get "/ready", OpsController, :ready',
      '    end',
      '  end',
      'end',
      '',
    ].join('\n'),
  });
  assert.equal((await detectElixir(dir))!.healthPath, { value: '/internal/ops/ready', evidence: 'lib/s_web/router.ex:10 get "/ready", OpsController, :ready' });
});

test("a URL's port is not the listener's; rel/env.sh.eex turning distribution on is warned about", async () => {
  const dir = repo({
    'mix.exs': 'defmodule H.MixProject do\n  use Mix.Project\n  def project, do: [app: :h, deps: [{:phoenix, "~> 1.8"}]]\nend\n',
    'config/prod.exs': 'import Config\nconfig :h, HWeb.Endpoint,\n  url: [scheme: "https", host: "h.example.com", port: 443]\n',
    'rel/env.sh.eex': '#!/bin/sh\nexport RELEASE_DISTRIBUTION=name\nexport RELEASE_NODE=<%= @release.name %>@127.0.0.1\n',
  });
  const facts = (await detectElixir(dir))!;
  assert.is(facts.port, undefined);
  assert.equal(facts.warnings.slice(1), [
    'rel/env.sh.eex:2 export RELEASE_DISTRIBUTION=name: overrides the image\'s RELEASE_DISTRIBUTION=none; ' +
      'the release then needs RELEASE_NODE and RELEASE_COOKIE from the environment (the cookie from your secret store)',
  ]);
});

test("a port variable of the app's own with no default (`{:http, [port: app_port]}`) is the service's portEnv: the kit sets it beside PORT", async () => {
  const runtime = [
    'import Config',
    'if config_env() == :prod do',
    '  app_port =',
    '    case System.get_env("APP_HTTP_PORT") do',
    '      port when port not in [nil, ""] -> String.to_integer(port)',
    '      _ -> nil',
    '    end',
    '  config :a, AWeb.Endpoint, [{:http, [port: app_port]}, server: true]',
    'end',
    '',
  ].join('\n');
  const mixExs = 'defmodule A.MixProject do\n  use Mix.Project\n  def project, do: [app: :a, deps: [{:phoenix, "~> 1.8"}]]\nend\n';
  const dir = repo({ 'mix.exs': mixExs, 'config/runtime.exs': runtime });
  const facts = (await detectElixir(dir))!;
  assert.is(facts.port, undefined);
  assert.equal(facts.portEnv, { value: 'APP_HTTP_PORT', evidence: 'config/runtime.exs:4 case System.get_env("APP_HTTP_PORT") do (the endpoint\'s http port)' });
  assert.not.match(facts.warnings.join('\n'), /APP_HTTP_PORT/);
  // The usual `port: String.to_integer(System.get_env("PORT") || "4000")` is a port, and no warning.
  const usual = repo({
    'mix.exs': mixExs,
    'config/runtime.exs': 'import Config\nport = String.to_integer(System.get_env("PORT") || "4000")\nconfig :a, AWeb.Endpoint, http: [port: port]\n',
  });
  const usualFacts = (await detectElixir(usual))!;
  assert.is(usualFacts.port?.value, 4000);
  assert.is(usualFacts.portEnv, undefined);
});

test('Elixir requirements resolve to the newest supported release they allow, as Mix reads them', () => {
  assert.is(elixirForRequirement('~> 1.15')?.version, '1.20');
  assert.is(elixirForRequirement('>= 1.14.0 and < 1.18.0')?.version, '1.17');
  assert.is(elixirForRequirement('== 1.16.2')?.version, '1.16');
  assert.is(elixirForRequirement('~> 1.18.4')?.version, '1.18');
  assert.is(elixirForRequirement('~> 1.19.0 or ~> 1.17.0')?.version, '1.19');
  // A line past security support is kept when nothing newer is allowed, and said so.
  assert.equal(elixirForRequirement('~> 1.14.0'), { version: '1.14', why: 'Elixir 1.14, past its security support, is the newest release it allows' });
  assert.is(elixirForRequirement('~> 2.0'), undefined);
  assert.equal(toolVersion('erlang 27.3.4\nelixir 1.18.4-otp-27\n', 'elixir'), { line: 2, text: 'elixir 1.18.4-otp-27', minor: '1.18', otp: '27' });
  assert.equal(toolVersion('erlang 27.3.4\n', 'erlang')?.minor, '27');
});

test('an OTP major the Elixir release does not run on is refused, naming the image that does not exist', () => {
  const service = { stack: 'elixir' as const, framework: 'none' as const, languageVersion: '1.20', start: 'bin/app start', port: 4000 };
  const refusals = (otpVersion: string) => docker.refusals!({ config: baseConfig({}, { ...service, otpVersion }) } as unknown as GeneratorContext<null>);
  assert.equal(refusals('29'), []);
  assert.equal(refusals('26'), [
    'services[0].otpVersion: Elixir 1.20 runs on Erlang/OTP 27 to 29, not 26 (there is no elixir:1.20-otp-26-slim image); ' +
      'set otpVersion to one of those, or remove it for OTP 29',
  ]);
});

test.run();
