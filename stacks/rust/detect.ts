import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import {
  HEALTH_SEGMENT,
  SERVICE_PORTS,
  atPath,
  best,
  choosePort,
  codeEvidence,
  healthRank,
  readText,
  servicePath,
  type Candidate,
  type PortMatch,
} from '../../src/detect/shared.js';
import { parseToml, tomlString, tomlStrings, type TomlTables } from '../../src/detect/toml.js';
import { GENERATED_DIRS, TEST_DIRS, compare, readSourceFiles, type SourceFile } from '../../src/detect/walk.js';
import type { RustFacts, RustFramework } from './types.js';

const FRAMEWORKS: readonly RustFramework[] = ['axum', 'actix-web', 'rocket'];

/** One Cargo package: its directory (relative to the service), name, manifest and binary targets. */
interface Package {
  dir: string;
  name: string;
  toml: TomlTables;
  text: string;
  bins: Array<{ name: string; evidence: string }>;
}

/**
 * Detects a Rust service in `root/path` from its Cargo.toml: the package or workspace members, the
 * binary to build, Cargo.lock, the toolchain, the web framework, port and health route. Undefined
 * when there is no Cargo.toml. A member's own Cargo.toml is part of the workspace, not a service.
 *
 * @example
 *   const rust = await detectRust('/repo')
 *   rust?.binary // { value: 'api', evidence: 'crates/api/src/main.rs (package api)' }
 */
export async function detectRust(root: string, path = '.'): Promise<RustFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);
  const text = await readText(join(dir, 'Cargo.toml'));
  if (text === undefined) return undefined;
  const toml = parseToml(text);
  const warnings: string[] = [];
  const facts: RustFacts = { path: rel, workspaceMembers: [], binaries: [], warnings };

  const lock = await readText(join(dir, 'Cargo.lock'), 8 * 1024 * 1024);
  if (lock === undefined) {
    warnings.push(`no ${at('Cargo.lock')}: the image builds with --locked; run \`cargo generate-lockfile\` and commit Cargo.lock`);
  } else {
    const v = /^version\s*=\s*(\d+)/m.exec(lock);
    facts.lockfile = { value: 'Cargo.lock', evidence: v ? `${at('Cargo.lock')} version = ${v[1]}` : `${at('Cargo.lock')} present` };
  }

  const packages: Package[] = [];
  const members = tomlStrings(toml.get('workspace')?.get('members')).map((m) => m.value);
  for (const member of await expandMembers(dir, members)) {
    const memberText = await readText(join(dir, member, 'Cargo.toml'));
    if (memberText === undefined) continue;
    facts.workspaceMembers.push(member);
    const pkg = await readPackage(dir, member, memberText, at);
    if (pkg) packages.push(pkg);
  }
  facts.workspaceMembers.sort(compare);
  const rootPackage = await readPackage(dir, '.', text, at);
  if (rootPackage) packages.unshift(rootPackage);
  if (packages.length === 0) warnings.push(`${at('Cargo.toml')} has neither [package] nor workspace members with one: nothing to build`);

  const sources = new Map<string, SourceFile[]>();
  for (const p of packages) {
    const files = await readSourceFiles(join(dir, p.dir), { extensions: ['.rs'], skipDirs: [...GENERATED_DIRS, ...TEST_DIRS, 'target', 'benches', 'examples'], maxFiles: 300 });
    sources.set(p.dir, files.map((f) => ({ ...f, path: p.dir === '.' ? f.path : `${p.dir}/${f.path}` })));
  }

  const bins = packages.flatMap((p) => p.bins.map((b) => ({ ...b, pkg: p })));
  facts.binaries = bins.map((b) => b.name).sort(compare);
  // Among several binaries, one whose package listens on a port (a server) before a CLI or a migration tool.
  const listens = (p: Package) => (sources.get(p.dir) ?? []).some((f) => PORT_PATTERNS.some((pattern) => pattern.test(f.text)));
  const chosen = [...bins].sort((a, b) => Number(listens(b.pkg)) - Number(listens(a.pkg)))[0];
  if (chosen) {
    facts.package = { value: chosen.pkg.name, evidence: `${at(posix.join(chosen.pkg.dir, 'Cargo.toml'))} [package] name = "${chosen.pkg.name}"` };
    facts.binary = { value: chosen.name, evidence: chosen.evidence };
    if (bins.length > 1) warnings.push(`several binaries: ${facts.binaries.join(', ')}; using ${chosen.name}. Say which one this service runs (--start <binary>)`);
  } else if (packages.length > 0) {
    warnings.push(`no binary target (src/main.rs, src/bin/, [[bin]]) under ${at('.')}: nothing to run (a library crate?)`);
  }

  const pkg = chosen?.pkg ?? packages[0];
  if (pkg) {
    const manifest = at(posix.join(pkg.dir, 'Cargo.toml'));
    const edition = pkg.toml.get('package')?.get('edition');
    if (edition && tomlString(edition)) facts.edition = { value: tomlString(edition) ?? '', evidence: `${manifest}:${edition.line} edition = ${edition.raw}` };
    const rv = pkg.toml.get('package')?.get('rust-version');
    if (rv && tomlString(rv)) facts.rustVersion = { value: tomlString(rv) ?? '', evidence: `${manifest}:${rv.line} rust-version = ${rv.raw}` };
    const fw = framework(pkg, manifest) ?? framework(rootPackage ?? { dir: '.', name: '', toml, text, bins: [] }, at('Cargo.toml'));
    if (fw) facts.framework = fw;
    const files = sources.get(pkg.dir) ?? [];
    const port = detectPort(files, warnings, at);
    if (port) facts.port = port;
    else if (facts.framework?.value === 'rocket') {
      const rocketToml = await readText(join(dir, 'Rocket.toml'));
      const m = rocketToml && /^\s*port\s*=\s*(\d{2,5})/m.exec(rocketToml);
      if (m) facts.port = { value: Number(m[1]), evidence: `${at('Rocket.toml')} ${m[0].trim()}` };
    }
    const health = detectHealth(files, at);
    if (health) facts.healthPath = health;
    const configFile = runtimeConfigFile(files, at);
    if (configFile) {
      warnings.push(
        `${configFile}: the app reads configuration files at run time (the config crate), and the image holds only the binary: ` +
          'add a COPY of those files to the runtime stage (and mind the port they set), or configure it through environment variables',
      );
    }
    const offline = ['.sqlx', 'sqlx-data.json'].some((f) => [dir, join(dir, pkg.dir)].some((d) => existsSync(join(d, f))));
    const macro = /\bsqlx\b/.test(pkg.text + text) && !offline ? sqlxMacro(files, at) : undefined;
    if (macro) {
      warnings.push(
        `${macro}: sqlx's query macros check each query against a database while compiling, and the image build has none, so it fails. ` +
          'Run `cargo sqlx prepare` against your database and commit what it writes (.sqlx/; sqlx-data.json before 0.7): the build then uses it',
      );
    }
  }

  const toolchain = await detectToolchain(dir, at);
  if (toolchain) facts.toolchain = toolchain;
  return facts;
}

/** The config crate reading a file from disk (`config::File::with_name("settings")`, `File::from(dir.join("base.yaml"))`), as evidence. */
function runtimeConfigFile(files: SourceFile[], at: (f: string) => string): string | undefined {
  for (const file of files) {
    if (!/\bconfig::(?:File|Config)\b/.test(file.text)) continue;
    const lines = file.text.split('\n');
    const i = lines.findIndex((l) => !/^\s*\/\//.test(l) && /\b(?:config::)?File::(?:with_name|from|new)\(/.test(l));
    if (i >= 0) return codeEvidence(at(file.path), i + 1, lines[i] ?? '');
  }
  return undefined;
}

/** The first compile-time checked query (`sqlx::query!(`, `query_as!(`), as evidence. */
function sqlxMacro(files: SourceFile[], at: (f: string) => string): string | undefined {
  for (const file of files) {
    const lines = file.text.split('\n');
    const i = lines.findIndex((l) => !/^\s*\/\//.test(l) && /\b(?:sqlx::)?query(?:_as|_scalar|_file|_file_as)?(?:_unchecked)?!\s*\(/.test(l));
    if (i >= 0) return codeEvidence(at(file.path), i + 1, lines[i] ?? '');
  }
  return undefined;
}

/** Workspace members as directories: `crates/*` is every directory under crates/ (one level, as cargo's globs mostly are). */
async function expandMembers(dir: string, members: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const m of members) {
    const clean = m.replace(/\/+$/, '');
    if (!clean.includes('*')) {
      out.push(clean);
      continue;
    }
    const [parent, pattern] = [posix.dirname(clean), posix.basename(clean)];
    if (parent.includes('*')) continue;
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const entries = await readdir(join(dir, parent), { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isDirectory() && re.test(e.name)) out.push(parent === '.' ? e.name : `${parent}/${e.name}`);
  }
  return [...new Set(out)];
}

async function readPackage(root: string, dir: string, text: string, at: (f: string) => string): Promise<Package | undefined> {
  const toml = parseToml(text);
  const name = tomlString(toml.get('package')?.get('name'));
  if (!name) return undefined;
  const bins: Package['bins'] = [];
  const file = (f: string) => at(dir === '.' ? f : `${dir}/${f}`);
  // [[bin]] tables: each its own name (the TOML reader merges arrays of tables, so they are read here).
  const explicit = [...text.matchAll(/^\s*\[\[bin\]\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/gm)];
  for (const m of explicit) {
    const n = /^\s*name\s*=\s*"([^"]+)"/m.exec(m[1] ?? '')?.[1];
    if (n) bins.push({ name: n, evidence: `${file('Cargo.toml')} [[bin]] name = "${n}"` });
  }
  const autobins = !/^\s*autobins\s*=\s*false/m.test(text);
  if (autobins) {
    if (!bins.some((b) => b.name === name) && (await readText(join(root, dir, 'src/main.rs'))) !== undefined) {
      bins.push({ name, evidence: `${file('src/main.rs')} (package ${name})` });
    }
    const entries = await readdir(join(root, dir, 'src/bin'), { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => compare(a.name, b.name))) {
      const n = e.isFile() && e.name.endsWith('.rs') ? e.name.slice(0, -3) : e.isDirectory() ? e.name : undefined;
      if (!n || bins.some((b) => b.name === n)) continue;
      if (e.isDirectory() && (await readText(join(root, dir, 'src/bin', n, 'main.rs'))) === undefined) continue;
      bins.push({ name: n, evidence: file(e.isFile() ? `src/bin/${e.name}` : `src/bin/${n}/main.rs`) });
    }
  }
  return { dir, name, toml, text, bins };
}

function framework(pkg: Package, manifest: string): Fact<RustFramework> | undefined {
  for (const table of ['dependencies', 'workspace.dependencies']) {
    const deps = pkg.toml.get(table);
    for (const fw of FRAMEWORKS) {
      const entry = deps?.get(fw);
      if (entry) return { value: fw, evidence: `${manifest}:${entry.line} [${table}] ${fw} = ${entry.raw.split('\n')[0]}` };
      if (pkg.toml.has(`${table}.${fw}`)) return { value: fw, evidence: `${manifest} [${table}.${fw}]` };
    }
  }
  return undefined;
}

/** rust-toolchain.toml's `channel` (or the legacy one-line rust-toolchain file); "stable" and nightlies name no version. */
async function detectToolchain(dir: string, at: (f: string) => string): Promise<Fact<string> | undefined> {
  const toml = await readText(join(dir, 'rust-toolchain.toml'));
  const legacy = toml === undefined ? await readText(join(dir, 'rust-toolchain')) : undefined;
  let channel: string | undefined;
  let evidence = '';
  if (toml !== undefined) {
    const entry = parseToml(toml).get('toolchain')?.get('channel');
    channel = tomlString(entry);
    evidence = `${at('rust-toolchain.toml')}:${entry?.line ?? 0} channel = ${entry?.raw ?? ''}`;
  } else if (legacy !== undefined) {
    channel = legacy.trim().split('\n')[0]?.trim();
    evidence = `${at('rust-toolchain')} ${channel}`;
  }
  return channel && /^1\.\d+(?:\.\d+)?$/.test(channel) ? { value: channel, evidence } : undefined;
}

const PORT_PATTERNS: readonly RegExp[] = [
  // TcpListener::bind("0.0.0.0:3000"), HttpServer::bind("127.0.0.1:8080"), .bind(("0.0.0.0", 8080))
  // axum 0.3-0.6: Server::bind(&"0.0.0.0:8080".parse()?)
  /\bbind\(\s*&?\s*"(?:[\w.-]*|\[[^\]]*\]):(\d{2,5})"/,
  /\bbind\(\s*\(\s*"[^"]*"\s*,\s*(\d{2,5})\s*\)/,
  // SocketAddr::from(([0, 0, 0, 0], 3000))
  /SocketAddr::from\(\s*\(\s*\[[\d\s,]+\]\s*,\s*(\d{2,5})\s*\)/,
  // env::var("PORT").unwrap_or_else(|_| "8080".to_string()), .unwrap_or("8080"), .unwrap_or(8080)
  /var\(\s*"PORT"\s*\)[^;]*?unwrap_or(?:_else)?\(\s*(?:\|[^|]*\|\s*)?"?(\d{2,5})/,
];

function detectPort(sources: SourceFile[], warnings: string[], at: (f: string) => string): Fact<number> | undefined {
  const matches: PortMatch[] = [];
  for (const file of sources) {
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*\/\//.test(line)) return;
      for (const pattern of PORT_PATTERNS) {
        const port = Number(pattern.exec(line)?.[1]);
        if (!port || port > 65535 || SERVICE_PORTS.has(port)) continue;
        matches.push({ value: port, rank: 0, evidence: codeEvidence(at(file.path), i + 1, line), file: file.path, line: i + 1 });
        break;
      }
    });
  }
  return choosePort(matches, warnings, at);
}

/**
 * axum `.route("/health", get(..))`, actix-web and Rocket `#[get("/health")]`, actix `web::resource("/health")`,
 * and a hand-written server matching the request line (`"GET /health "`).
 */
const HEALTH_PATTERNS: readonly RegExp[] = [
  new RegExp(`\\.route\\(\\s*"((?:/[\\w.-]+)*/${HEALTH_SEGMENT}/?)"`),
  new RegExp(`#\\[get\\(\\s*"((?:/[\\w.-]+)*/${HEALTH_SEGMENT}/?)"`),
  new RegExp(`web::resource\\(\\s*"((?:/[\\w.-]+)*/${HEALTH_SEGMENT}/?)"`),
  new RegExp(`"GET ((?:/[\\w.-]+)*/${HEALTH_SEGMENT}/?)[ "]`),
];

function detectHealth(sources: SourceFile[], at: (f: string) => string): Fact<string> | undefined {
  const found: Array<Candidate<string>> = [];
  for (const file of sources) {
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*\/\//.test(line)) return;
      for (const pattern of HEALTH_PATTERNS) {
        const m = pattern.exec(line);
        if (m?.[1]) {
          found.push({ value: m[1], rank: healthRank(m[1]), evidence: codeEvidence(at(file.path), i + 1, line) });
          break;
        }
      }
    });
  }
  const top = best(found);
  return top && { value: top.value, evidence: top.evidence };
}
