import { join } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { SERVICE_PORTS, atPath, choosePort, codeEvidence, readText, servicePath, type PortMatch } from '../../src/detect/shared.js';
import { GENERATED_DIRS, readSourceFiles } from '../../src/detect/walk.js';
import { ELIXIR_OTP } from '../../src/versions.js';
import { detectElixirHealth } from './routes.js';
import type { ElixirFacts } from './types.js';
import { elixirForRequirement, toolVersion } from './versions.js';

/** Mix's build output and fetched dependencies, and editor caches: never the app's source. */
const MIX_DIRS = ['_build', 'deps', '.elixir_ls', 'cover', 'doc'];

/** `"phoenix": {:hex, :phoenix, "1.7.14", ...` in mix.lock. */
function lockedVersion(lock: string | undefined, name: string): string | undefined {
  return lock ? new RegExp(`^\\s*"${name}":\\s*\\{:hex,\\s*:${name},\\s*"([^"]+)"`, 'm').exec(lock)?.[1] : undefined;
}

const PORT_PATTERNS: ReadonlyArray<[RegExp, number]> = [
  // String.to_integer(System.get_env("PORT") || "4000"), System.get_env("PORT", "4000")
  [/System\.get_env\(\s*"PORT"\s*(?:\)\s*\|\|\s*"?|,\s*"?)(\d{2,5})/, 0],
  // http: [ip: ..., port: 4000], {Bandit, plug: Router, port: 4001}, options: [port: 4001]
  [/\bport:\s*(\d{2,5})\b/, 1],
];

/** A `def migrate` callable with no argument: `do`, `, do:`, `()`, or parameters that start with a default. */
const MIGRATE_0 = /^\s*def\s+migrate(?:\s+do\b|\s*,\s*do:|\s*\(\s*\)|\s*\(\s*\w+\s*\\\\)/m;

/**
 * Detects an Elixir service in `root/path` from its mix.exs: the app and release, mix.lock and
 * the dependencies, Elixir and OTP versions, Phoenix or Plug (Bandit, Cowboy), the endpoint,
 * config/runtime.exs, assets, Ecto and a Release module for migrations, port and health route.
 *
 * @example
 *   const elixir = await detectElixir('/repo')
 *   elixir?.framework // { value: 'phoenix', evidence: 'mix.exs:37 {:phoenix, "~> 1.8.1"} (mix.lock: 1.8.1)' }
 */
export async function detectElixir(root: string, path = '.'): Promise<ElixirFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);
  const mix = await readText(join(dir, 'mix.exs'));
  if (mix === undefined) return undefined;
  const warnings: string[] = [];
  const facts: ElixirFacts = { path: rel, deps: [], compileConfig: [], warnings };
  const lines = mix.split('\n');
  const line = (re: RegExp): number => lines.findIndex((l) => re.test(l) && !/^\s*#/.test(l));
  const evidence = (i: number): string => codeEvidence(at('mix.exs'), i + 1, lines[i]!.replace(/,\s*$/, ''));

  const appLine = line(/\bapp:\s*:[a-z_][a-z0-9_]*/);
  if (appLine >= 0) facts.app = { value: /\bapp:\s*:([a-z_][a-z0-9_]*)/.exec(lines[appLine]!)![1]!, evidence: evidence(appLine) };
  const releasesLine = line(/\breleases:\s*\[/);
  const named = releasesLine >= 0 ? /\breleases:\s*\[\s*([a-z_][a-z0-9_]*):/.exec(mix.slice(mix.indexOf('releases:')))?.[1] : undefined;
  if (named) facts.release = { value: named, evidence: evidence(releasesLine) };
  else if (facts.app) facts.release = { value: facts.app.value, evidence: `${facts.app.evidence} (the release is named after the app)` };
  if (line(/\bapps_path:/) >= 0) {
    warnings.push(`${at('mix.exs')} is an umbrella project: the Dockerfile copies only the root mix.exs before \`mix deps.get\`; copy each apps/*/mix.exs there too`);
  }
  // Hex package metadata (`package: [...]`, `package()`) without a release: a library, such as a server itself.
  const packageLine = line(/^\s*package:/);
  if (packageLine >= 0 && releasesLine < 0) facts.hexPackage = { value: true, evidence: evidence(packageLine) };
  const childLine = line(/\b(?:lockfile|deps_path|build_path):\s*"\.\.\//);
  if (childLine >= 0) {
    facts.umbrellaChild = { value: rel, evidence: evidence(childLine) };
    warnings.push(`${evidence(childLine)}: an umbrella's app, built with the umbrella; deploy-kit does not build umbrella releases yet`);
  }
  const modLine = line(/\bmod:\s*\{\s*[A-Z][\w.]*/);
  if (modLine >= 0) facts.application = { value: /\bmod:\s*\{\s*([A-Z][\w.]*)/.exec(lines[modLine]!)![1]!, evidence: evidence(modLine) };

  // Dependencies: every `{:name, ...}` tuple of mix.exs (deps/0 is where they live).
  const depLines = new Map<string, number>();
  lines.forEach((l, i) => {
    if (/^\s*#/.test(l)) return;
    for (const m of l.matchAll(/\{\s*:([a-z_][a-z0-9_]*)\s*,/g)) if (!depLines.has(m[1]!)) depLines.set(m[1]!, i);
  });
  facts.deps = [...depLines.keys()].sort();
  const lock = await readText(join(dir, 'mix.lock'), 4 * 1024 * 1024);
  if (lock !== undefined) facts.lockfile = { value: 'mix.lock', evidence: `${at('mix.lock')} present` };
  else if (facts.deps.length > 0) {
    warnings.push(`no ${at('mix.lock')}: every image build resolves the dependencies anew; run \`mix deps.get\` and commit mix.lock`);
  }
  const dep = (name: string): string | undefined => {
    const i = depLines.get(name);
    if (i === undefined) return undefined;
    const locked = lockedVersion(lock, name);
    return `${evidence(i)}${locked ? ` (mix.lock: ${locked})` : ''}`;
  };

  const phoenix = dep('phoenix');
  // A Plug app needs a server to serve it: plug alone is a library's dependency as often as an app's.
  const plug = dep('bandit') ?? dep('plug_cowboy');
  if (phoenix) facts.framework = { value: 'phoenix', evidence: phoenix };
  else if (plug) facts.framework = { value: 'plug', evidence: plug };
  const server = dep('bandit') ? 'bandit' : dep('plug_cowboy') || dep('cowboy') ? 'cowboy' : undefined;
  if (server) facts.server = { value: server, evidence: (dep('bandit') ?? dep('plug_cowboy') ?? dep('cowboy'))! };
  for (const adapter of ['postgrex', 'myxql', 'ecto_sqlite3', 'ecto_sql']) {
    const e = dep(adapter);
    if (e) {
      facts.ecto = { value: adapter, evidence: e };
      break;
    }
  }
  const assetsLine = line(/"assets\.deploy":/);
  if (assetsLine >= 0) facts.assets = { value: true, evidence: evidence(assetsLine) };
  if (facts.assets && (await readText(join(dir, 'assets/package.json'))) !== undefined) {
    warnings.push(
      `${at('assets/package.json')}: the build stage has no Node.js, so \`mix assets.deploy\` cannot install npm packages; ` +
        'add Node.js and `npm ci --prefix assets` before it in the Dockerfile, or vendor the packages',
    );
  }

  // Versions: .tool-versions as written, else mix.exs's requirement resolved.
  const tools = await readText(join(dir, '.tool-versions'));
  const elixirTool = tools === undefined ? undefined : toolVersion(tools, 'elixir');
  const erlangTool = tools === undefined ? undefined : toolVersion(tools, 'erlang');
  const elixirLine = line(/\belixir:\s*"[^"]+"/);
  if (elixirTool) {
    facts.elixirVersion = { value: elixirTool.minor, evidence: `${at('.tool-versions')}:${elixirTool.line} ${elixirTool.text}` };
  } else if (elixirLine >= 0) {
    const requirement = /\belixir:\s*"([^"]+)"/.exec(lines[elixirLine]!)![1]!;
    const resolved = elixirForRequirement(requirement);
    if (resolved) facts.elixirVersion = { value: resolved.version, evidence: `${evidence(elixirLine)} (${resolved.why})` };
    else warnings.push(`${evidence(elixirLine)}: no Elixir release deploy-kit knows satisfies it; set languageVersion in deploy-kit.yaml`);
  }
  if (erlangTool) facts.otpVersion = { value: erlangTool.minor, evidence: `${at('.tool-versions')}:${erlangTool.line} ${erlangTool.text}` };
  else if (elixirTool?.otp) facts.otpVersion = { value: elixirTool.otp, evidence: `${at('.tool-versions')}:${elixirTool.line} ${elixirTool.text}` };
  const range = facts.elixirVersion && ELIXIR_OTP[facts.elixirVersion.value];
  if (facts.otpVersion && range && (Number(facts.otpVersion.value) < range.min || Number(facts.otpVersion.value) > range.max)) {
    warnings.push(`Elixir ${facts.elixirVersion!.value} supports Erlang/OTP ${range.min} to ${range.max}, but ${facts.otpVersion.evidence} asks for OTP ${facts.otpVersion.value}`);
  }

  // rel/env.sh.eex runs before the release starts and wins over the image's RELEASE_DISTRIBUTION=none.
  const envSh = await readText(join(dir, 'rel/env.sh.eex'));
  const distLine = envSh?.split('\n').findIndex((l) => /^\s*export\s+RELEASE_DISTRIBUTION=/.test(l)) ?? -1;
  if (envSh && distLine >= 0) {
    warnings.push(
      `${codeEvidence(at('rel/env.sh.eex'), distLine + 1, envSh.split('\n')[distLine]!)}: overrides the image's RELEASE_DISTRIBUTION=none; ` +
        'the release then needs RELEASE_NODE and RELEASE_COOKIE from the environment (the cookie from your secret store)',
    );
  }
  for (const f of ['config/config.exs', 'config/prod.exs']) if ((await readText(join(dir, f))) !== undefined) facts.compileConfig.push(f);
  const runtime = await readText(join(dir, 'config/runtime.exs'));
  if (runtime !== undefined) facts.runtimeConfig = { value: true, evidence: `${at('config/runtime.exs')} present` };

  const sources = await readSourceFiles(join(dir, 'lib'), { extensions: ['.ex'], skipDirs: [...GENERATED_DIRS, ...MIX_DIRS], maxFiles: 500 });
  const files = sources.map((f) => ({ ...f, path: `lib/${f.path}` }));
  for (const f of files) {
    const m = /^\s*defmodule\s+([A-Z][\w.]*)\s+do[\s\S]*?^\s*use\s+Phoenix\.Endpoint\b/m.exec(f.text);
    if (m && !facts.endpoint) facts.endpoint = { value: m[1]!, evidence: `${at(f.path)} use Phoenix.Endpoint` };
    // phx.gen.release's `<App>.Release`, or the older `<App>.ReleaseTasks`; its migrate must take
    // no argument (`bin/<app> eval X.migrate` calls migrate/0), defaults allowed.
    const release = /^\s*defmodule\s+([A-Z][\w.]*\.Release(?:Tasks)?)\s+do/m.exec(f.text);
    if (release && MIGRATE_0.test(f.text) && !facts.releaseModule) {
      facts.releaseModule = { value: release[1]!, evidence: `${at(f.path)} defmodule ${release[1]} with def migrate` };
    }
  }
  if (facts.framework?.value === 'phoenix' && facts.ecto && !facts.releaseModule) {
    warnings.push(`${facts.ecto.value} but no <App>.Release module with migrate/0 in ${at('lib/')}: run \`mix phx.gen.release\` so the release can migrate without Mix`);
  }

  // The port: runtime config first (what the release reads), then prod config, then the code.
  const portFiles: Array<{ path: string; text: string }> = [];
  for (const f of ['config/runtime.exs', 'config/prod.exs', 'config/config.exs']) {
    const text = f === 'config/runtime.exs' ? runtime : await readText(join(dir, f));
    if (text !== undefined) portFiles.push({ path: f, text });
  }
  const matches: PortMatch[] = [];
  for (const [fi, file] of [...portFiles, ...files].entries()) {
    file.text.split('\n').forEach((l, i) => {
      // A URL's port (`url: [host: ..., port: 443]`, `%URI{scheme: "https", port: 443}`) is the public one, not the listener's.
      if (/^\s*#/.test(l) || /\burl:|\bscheme:/.test(l)) return;
      for (const [pattern, rank] of PORT_PATTERNS) {
        const port = Number(pattern.exec(l)?.[1]);
        if (!port || port < 80 || port > 65535 || SERVICE_PORTS.has(port)) continue;
        matches.push({ value: port, rank: rank * 2 + (fi < portFiles.length ? 0 : 1), evidence: codeEvidence(at(file.path), i + 1, l), file: file.path, line: i + 1 });
        break;
      }
    });
  }
  const port = choosePort(matches, warnings, at);
  if (port) facts.port = port;
  // The endpoint's http port read from a variable: the kit sets that variable when it is not PORT.
  for (const [f, text] of [['config/runtime.exs', runtime], ['config/prod.exs', portFiles.find((p) => p.path === 'config/prod.exs')?.text]] as const) {
    const variable = text === undefined ? undefined : portVariable(text);
    if (!variable) continue;
    const evidence = codeEvidence(at(f), variable.line, variable.text);
    if (variable.name !== 'PORT') facts.portEnv = { value: variable.name, evidence: `${evidence} (the endpoint's http port)` };
    if (!facts.port && variable.port) facts.port = { value: variable.port, evidence };
    break;
  }
  if (facts.ecto?.value === 'postgrex') {
    const url = repoUrlVariable([...portFiles, ...files], at);
    if (url && url.value !== 'DATABASE_URL') facts.databaseUrlEnv = url;
  }
  const health = detectElixirHealth(files, at);
  if (health) facts.healthPath = health;
  return facts;
}

/** `System.get_env("X")`, `System.fetch_env!("X")`, `System.get_env("X", "4000")`, then `|| "4000"` after the call. */
const ENV_CALL = /System\.(?:get_env|fetch_env!?)\(\s*"([A-Z][A-Z0-9_]*)"\s*(?:,\s*"?(\d{2,5})"?\s*)?\)(?:\s*\|\|\s*"?(\d{2,5}))?/;

/**
 * The variable behind the endpoint's `http: [port: ...]` (or `{:http, [port: ...]}`): a
 * `System.get_env("VAR")` there, or a name assigned from one within the next few lines, with
 * its default port when it has one (`String.to_integer(System.get_env("VAR") || "4000")`).
 */
function portVariable(text: string): { name: string; line: number; text: string; port?: number } | undefined {
  const lines = text.split('\n');
  const at = /\bhttp\b:?\s*,?\s*\[[^\]]*?\bport:\s*([^\],]+)/.exec(text);
  if (!at) return undefined;
  const found = (i: number): { name: string; line: number; text: string; port?: number } | undefined => {
    const m = ENV_CALL.exec(lines[i]!);
    if (!m || /^\s*#/.test(lines[i]!)) return undefined;
    const port = Number(m[2] ?? m[3]);
    return { name: m[1]!, line: i + 1, text: lines[i]!, ...(port >= 80 && port <= 65535 ? { port } : {}) };
  };
  const expr = at[1]!.trim();
  if (/System\.(?:get_env|fetch_env!?)\(/.test(expr)) return found(text.slice(0, at.index + at[0].length - at[1]!.length).split('\n').length - 1);
  const id = /^[a-z_]\w*$/.exec(expr)?.[0];
  const start = id ? lines.findIndex((l) => new RegExp(`^\\s*${id}\\s*=`).test(l)) : -1;
  for (let i = start; start >= 0 && i < Math.min(lines.length, start + 5); i++) {
    const v = found(i);
    if (v) return v;
  }
  return undefined;
}

/**
 * The variable the Ecto repo's URL comes from: `url: System.get_env("X")` (or a name assigned
 * from one) in a `config :app, App.Repo` block, else a repo module (`use Ecto.Repo`) whose
 * `init/2` reads `System.get_env("X")` and puts it under `:url`.
 */
function repoUrlVariable(files: ReadonlyArray<{ path: string; text: string }>, at: (p: string) => string): Fact<string> | undefined {
  for (const f of files) {
    const lines = f.text.split('\n');
    let inRepo = false;
    for (const [i, l] of lines.entries()) {
      if (/^\s*#/.test(l)) continue;
      if (/^\s*config\s+:/.test(l)) inRepo = /^\s*config\s+:\w+\s*,\s*[A-Z][\w.]*Repo\w*\s*,/.test(l);
      const url = inRepo ? /\burl:\s*(.+)$/.exec(l)?.[1] : undefined;
      if (!url) continue;
      const direct = ENV_CALL.exec(url);
      if (direct) return { value: direct[1]!, evidence: codeEvidence(at(f.path), i + 1, l) };
      const id = /^([a-z_]\w*)\s*(?:,|$)/.exec(url.trim())?.[1];
      const j = id ? lines.findIndex((x) => new RegExp(`^\\s*${id}\\s*=`).test(x)) : -1;
      for (let k = j; j >= 0 && k < Math.min(lines.length, j + 4); k++) {
        const m = ENV_CALL.exec(lines[k]!);
        if (m) return { value: m[1]!, evidence: codeEvidence(at(f.path), k + 1, lines[k]!) };
      }
    }
  }
  for (const f of files) {
    if (!/^\s*use\s+Ecto\.Repo\b/m.test(f.text) || !/Keyword\.put\([^)]*:url\b|\burl:\s*[a-z_]/.test(f.text)) continue;
    const lines = f.text.split('\n');
    const i = lines.findIndex((l) => !/^\s*#/.test(l) && /System\.(?:get_env|fetch_env!?)\(\s*"[A-Z][A-Z0-9_]*URL"/.test(l));
    if (i >= 0) return { value: ENV_CALL.exec(lines[i]!)![1]!, evidence: `${codeEvidence(at(f.path), i + 1, lines[i]!)} (the Ecto repo's url)` };
  }
  return undefined;
}
