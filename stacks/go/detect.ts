import { join, posix } from 'node:path';
import {
  HEALTH_SEGMENT,
  SERVICE_PORTS,
  atPath,
  best,
  codeEvidence,
  exists,
  healthRank,
  readText,
  servicePath,
  type Candidate,
  choosePort,
  type PortMatch,
} from '../../src/detect/shared.js';
import type { Fact } from '../../src/detect/fact.js';
import type { GoFacts } from './types.js';
import { serveCommand } from './serve.js';
import { listenAddrEnv } from './listen-addr.js';
import { lonePortName, ownPortName, portEnvOf } from './port-var.js';
import { embeddedFrontend } from './frontend.js';
import { GENERATED_DIRS, TEST_DIRS, compare, lineIndex, readSourceFiles, type SourceFile } from '../../src/detect/walk.js';

/** Modules that cannot build without cgo: a static CGO_ENABLED=0 binary is out. */
const CGO_MODULES = [
  'github.com/mattn/go-sqlite3',
  // GORM's sqlite driver is mattn/go-sqlite3 underneath (go.mod lists that one as indirect).
  'gorm.io/driver/sqlite',
  'github.com/confluentinc/confluent-kafka-go',
];

/** SQLite drivers: the database is a file the app writes. */
const SQLITE_MODULES = ['github.com/mattn/go-sqlite3', 'modernc.org/sqlite', 'gorm.io/driver/sqlite', 'github.com/glebarez/sqlite', 'github.com/ncruces/go-sqlite3'];

/**
 * Detects a Go service in `root/path` from its go.mod: module path, Go version and toolchain, the
 * main package to build, cgo, port and health route. Undefined when there is no go.mod. Nested
 * modules (a subdirectory with its own go.mod) are not part of this one, as for the go tool.
 *
 * @example
 *   const go = await detectGo('/repo', 'services/worker')
 *   go?.mainPackage // { value: '.', evidence: 'services/worker/main.go:1 package main' }
 *   go?.goVersion   // { value: '1.22', evidence: 'services/worker/go.mod:3 go 1.22' }
 */
export async function detectGo(root: string, path = '.'): Promise<GoFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);
  const gomod = await readText(join(dir, 'go.mod'));
  if (gomod === undefined) return undefined;

  const warnings: string[] = [];
  const modLines = gomod.split('\n');
  const directive = (name: string): { value: string; evidence: string } | undefined => {
    const i = modLines.findIndex((l) => new RegExp(`^\\s*${name}\\s+\\S`).test(l));
    if (i < 0) return undefined;
    const line = (modLines[i] ?? '').replace(/\/\/.*$/, '').trim();
    return {
      value: line
        .slice(name.length)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
      evidence: `${at('go.mod')}:${i + 1} ${line}`,
    };
  };

  const sources = (
    await readSourceFiles(dir, {
      extensions: ['.go'],
      skipDirs: [...GENERATED_DIRS, ...TEST_DIRS, 'testdata'],
      skipDirsContaining: ['go.mod'],
      maxFiles: 500,
    })
  ).filter((f) => !f.path.endsWith('_test.go') && !/^\/\/go:build\s+ignore\b/m.test(f.text));

  const facts: GoFacts = { path: rel, mainPackages: [], cgo: { value: false, evidence: '' }, warnings };
  const module = directive('module');
  if (module) facts.module = module;
  else warnings.push(`${at('go.mod')} has no module line: run \`go mod init <module path>\``);
  const go = directive('go');
  if (go && /^\d+\.\d+(?:\.\d+)?/.test(go.value)) facts.goVersion = { value: go.value, evidence: go.evidence };
  else warnings.push(`${at('go.mod')} has no go directive: the image's Go version is a guess; add \`go 1.X\``);
  const toolchain = directive('toolchain');
  if (toolchain) facts.toolchain = { value: toolchain.value.replace(/^go/, ''), evidence: toolchain.evidence };

  const requires = /^\s*require\b/m.test(gomod);
  if (requires && !(await exists(join(dir, 'go.sum')))) {
    warnings.push(`${at('go.mod')} requires modules but there is no go.sum: \`go mod download\` cannot verify them; run \`go mod tidy\` and commit go.sum`);
  }

  mainPackage(facts, sources, module?.value, warnings, at);
  cgo(facts, sources, modLines, warnings, at);
  const sqlite = modLines.findIndex((l) => SQLITE_MODULES.some((m) => l.includes(`${m} `)) && !/\/\/\s*indirect/.test(l));
  if (sqlite >= 0) {
    warnings.push(
      `SQLite (${at('go.mod')}:${sqlite + 1} ${modLines[sqlite]!.trim()}): its file would live in the container, read-only at run time and ` +
        'replaced by every deploy; use PostgreSQL (compose has it as an add-on) or mount a volume for the database file and point the app at it',
    );
  }
  // Another main package's port (a storybook's, a tool's) is not this binary's.
  const chosenMain = facts.mainPackage?.value;
  const otherMains = new Set((facts.mainPackages ?? []).filter((m) => m !== chosenMain).map((m) => (m === '.' ? '.' : m.replace(/^\.\//, ''))));
  const ownSources = sources.filter((f) => !otherMains.has(posix.dirname(f.path)));
  let port = detectPort(ownSources, chosenMain, warnings, at);
  // The variable the port comes from (not PORT): the kit sets it, so the app listens where the checks look.
  const portEnv = port ? portEnvOf(port, ownSources, at) : lonePortName(ownSources, at);
  if (portEnv) facts.portEnv = portEnv;
  // A default below 1024 needs root and the image runs as nonroot: the variable moves it to 8080.
  if (port && portEnv && port.value < 1024) {
    port = { value: 8080, evidence: `${port.evidence} (default ${port.value} needs root: the kit sets ${portEnv.value}=8080)` };
  }
  if (port) facts.port = port;
  const mainDir = chosenMain === undefined || chosenMain === '.' ? '.' : chosenMain.replace(/^\.\//, '');
  const mainListens = sources.some((f) => posix.dirname(f.path) === mainDir && PORT_PATTERNS.some(([rank, p]) => rank === 0 && p.test(f.text)));
  const serve = serveCommand(sources, mainListens, port, at);
  if (serve) {
    facts.serve = serve;
    // The flag moves the loopback default: the warning about it no longer applies.
    if (serve.value.includes('=0.0.0.0:')) dropLoopbackWarning(warnings);
  } else {
    // An address read from the app's own variable: the kit sets it to 0.0.0.0:<port>, which moves a loopback default.
    const addrEnv = listenAddrEnv(ownSources, port, at);
    if (addrEnv) {
      facts.listenAddrEnv = addrEnv;
      dropLoopbackWarning(warnings);
    }
  }
  const health = detectHealth(sources, at);
  if (health) facts.healthPath = health;
  const frontend = await embeddedFrontend(root, rel, sources, at, warnings);
  if (frontend) facts.frontend = frontend;
  return facts;
}

function dropLoopbackWarning(warnings: string[]): void {
  warnings.splice(0, warnings.length, ...warnings.filter((w) => !w.includes('default listen address is loopback')));
}

/** "cmd/api" gives "./cmd/api"; the root gives ".": the argument `go build` takes. */
function buildTarget(dir: string): string {
  return dir === '.' ? '.' : `./${dir}`;
}

function mainPackage(facts: GoFacts, sources: SourceFile[], module: string | undefined, warnings: string[], at: (f: string) => string): void {
  const byDir = new Map<string, string>();
  for (const file of sources) {
    const m = /^package\s+main\b/m.exec(file.text);
    if (!m || !/^func\s+main\s*\(\s*\)/m.test(file.text)) continue;
    const dir = posix.dirname(file.path);
    if (!byDir.has(dir)) byDir.set(dir, codeEvidence(at(file.path), lineIndex(file.text)(m.index), m[0]));
  }
  // The root and cmd/<name> are where a deployable binary lives; a main package elsewhere (tools/,
  // examples/, scripts/) is a helper, and only counts when there is nothing else.
  const all = [...byDir.keys()].sort(compare);
  const preferred = all.filter((d) => d === '.' || /^cmd\/[^/]+$/.test(d));
  // Among several, one that listens (a server) before one that does not (a migration, a CLI); still warned about.
  const listens = new Set(sources.filter((f) => PORT_PATTERNS.some(([rank, p]) => rank === 0 && p.test(f.text))).map((f) => posix.dirname(f.path)));
  // A helper's name (cmd/wtf-storybook, cmd/seed) loses to the rest; the module's daemon (cmd/wtfd) or a server wins.
  const base = module?.split('/').filter((p) => !/^v\d+$/.test(p)).pop() ?? '';
  const score = (d: string): number => {
    const name = posix.basename(d);
    if (/(?:^|[-_])(?:storybook|examples?|demo|tools?|gen|generate|migrate|seed|debug|bench)(?:$|[-_])/.test(name)) return 2;
    if ((base && name === `${base}d`) || ['server', 'api', 'web', 'serve'].includes(name)) return -2;
    return listens.has(d) ? -1 : 0;
  };
  const candidates = (preferred.length > 0 ? preferred : all).sort((a, b) => score(a) - score(b) || compare(a, b));
  facts.mainPackages = candidates.map(buildTarget).sort(compare);
  const [chosen] = candidates;
  if (!chosen) {
    warnings.push(`no \`package main\` with \`func main()\` under ${at('.')}: nothing to build (a library module?)`);
    return;
  }
  if (candidates.length > 1) {
    const why =
      listens.has(chosen) && !listens.has(candidates[1] ?? '') ? ' (it listens on a port)' : score(chosen) === -2 ? ' (the server by its name)' : '';
    warnings.push(
      `several main packages: ${candidates.map(buildTarget).sort(compare).join(', ')}; using ${buildTarget(chosen)}${why}. Say which one this service runs`,
    );
  }
  facts.mainPackage = { value: buildTarget(chosen), evidence: byDir.get(chosen) ?? '' };
  // github.com/acme/worker/v2 is "worker": a major-version suffix names no binary.
  const name =
    chosen === '.'
      ? module
          ?.split('/')
          .filter((p) => p !== '' && !/^v\d+$/.test(p))
          .pop()
      : posix.basename(chosen);
  if (name) facts.name = { value: name, evidence: chosen === '.' ? `last element of module ${module}` : `${at(chosen)}/` };
}

function cgo(facts: GoFacts, sources: SourceFile[], modLines: string[], warnings: string[], at: (f: string) => string): void {
  for (const file of sources) {
    const m = /^import\s+"C"\s*$/m.exec(file.text);
    if (!m) continue;
    const evidence = codeEvidence(at(file.path), lineIndex(file.text)(m.index), m[0]);
    facts.cgo = { value: true, evidence };
    warnings.push(
      `${evidence}: cgo: built with CGO_ENABLED=1 on the Debian golang image and run on distroless/cc (glibc, libgcc, libstdc++); ` +
        'any other C library it links must be added to the runtime image',
    );
    return;
  }
  for (const [i, line] of modLines.entries()) {
    const dep = CGO_MODULES.find((m) => line.includes(`${m} `) || line.includes(`${m}/`));
    if (!dep || /\/\/\s*indirect/.test(line)) continue;
    const evidence = `${at('go.mod')}:${i + 1} ${line.trim()}`;
    facts.cgo = { value: true, evidence: `${evidence} (needs cgo)` };
    warnings.push(`${evidence}: ${dep} needs cgo: built with CGO_ENABLED=1 on the Debian golang image and run on distroless/cc (glibc)`);
    return;
  }
  facts.cgo = { value: false, evidence: `no \`import "C"\` in ${sources.length} .go file${sources.length === 1 ? '' : 's'}` };
}

const PORT_PATTERNS: ReadonlyArray<readonly [rank: number, pattern: RegExp]> = [
  // http.ListenAndServe(":8080", mux), r.Run(":8080"), e.Start(":1323"), app.Listen(":3000"), Addr: ":8080"
  [0, /\b(?:ListenAndServe(?:TLS)?|Listen|Run|Start|StartTLS|RunTLS)\(\s*"(?:[\w.-]*|\[[^\]]*\]):(\d{2,5})"/],
  [0, /\bAddr\s*:\s*"(?:[\w.-]*|\[[^\]]*\]):(\d{2,5})"/],
  // cmp.Or(os.Getenv("PORT"), "8080"), getEnv("PORT", "8080"), getEnv("WHOAMI_PORT_NUMBER", "80"): group 1 the variable
  [0, /\(\s*"([A-Z][A-Z0-9_]*)"\s*\)?\s*,\s*"(\d{2,5})"/],
  // flag.Int("port", 8081, ...), cmd.Flags().IntVarP(&port, "port", "p", 8081, ...), flag.String("port", ":8081", ...): group 1 the flag
  [0, /\.(?:Int|String|Uint)(?:64)?(?:Var)?P?\(\s*(?:&[\w.]+\s*,\s*)?"((?:http-|listen-)?port)"\s*,\s*(?:"\w"\s*,\s*)?"?:?(\d{2,5})"?\s*,/],
  // if port == "" { port = "8080" }
  [1, /\bport\s*=\s*"(\d{2,5})"/i],
  [2, /\b\w*[pP]ort\s*(?::=|=)\s*"?:?(\d{2,5})"?/],
  // A listen address default in a settings table: "127.0.0.1:8080", "0.0.0.0:8090", ":8080"
  [2, /"(?:127\.0\.0\.1|0\.0\.0\.0|localhost)?:(\d{4,5})"/],
];

/** A URL scheme's default port (`port = "80"` for http): what a client dials, never what this server listens on. */
const SCHEME_PORTS: ReadonlySet<number> = new Set([80, 443, 1080]);

function detectPort(sources: SourceFile[], main: string | undefined, warnings: string[], at: (f: string) => string): Fact<number> | undefined {
  const mainDir = main === undefined ? undefined : main === '.' ? '.' : main.replace(/^\.\//, '');
  const matches: PortMatch[] = [];
  for (const file of sources) {
    const inMain = mainDir !== undefined && posix.dirname(file.path) === mainDir;
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*\/\//.test(line)) return;
      for (const [rank, pattern] of PORT_PATTERNS) {
        const m = pattern.exec(line);
        // Two groups: the first names the variable or flag, which must be the app's own port's.
        const port = Number(m?.[m.length - 1]);
        if (m && m.length > 2 && /^[A-Z]/.test(m[1] ?? '') && !ownPortName(m[1] ?? '')) continue;
        if (!port || port > 65535 || (rank === 2 && SERVICE_PORTS.has(port)) || (rank > 0 && SCHEME_PORTS.has(port))) continue;
        // A peer's address the code fills in (`Request.RemoteAddr = "127.0.0.1:65535"`) or dials is not where it listens.
        if (rank === 2 && /\b(?:RemoteAddr|Dial\w*)\b/.test(line)) continue;
        matches.push({ value: port, rank: rank * 2 + (inMain ? 0 : 1), evidence: codeEvidence(at(file.path), i + 1, line), file: file.path, line: i + 1 });
        break;
      }
    });
  }
  const chosen = choosePort(matches, warnings, at);
  const loopback = chosen && matches.find((m) => m.value === chosen.value && /"(?:127\.0\.0\.1|localhost):\d+"/.test(m.evidence));
  if (loopback) {
    warnings.push(`${loopback.evidence.split(' ')[0]}: the default listen address is loopback, which nothing outside the container reaches: set the app's address to 0.0.0.0:${chosen.value} (its flag or variable) in the environment`);
  }
  return chosen;
}

/** net/http (with Go 1.22 method patterns), gin, echo, chi, fiber, gorilla route literals; group 1 the receiver. */
const HEALTH_PATTERN = new RegExp(
  `(\\w+)\\.(?:HandleFunc|Handle|GET|Get|HEAD|Head|Any|Route|Path)\\(\\s*"(?:(?:GET|HEAD)\\s+)?((?:/[\\w.-]+)*/${HEALTH_SEGMENT}/?)"`,
);
/** gin's `g.Match([]string{"GET", "HEAD"}, "/health", h)`: a route for a list of methods, one of them GET or HEAD. */
const HEALTH_MATCH = new RegExp(`(\\w+)\\.Match\\(\\s*\\[\\]string\\{[^}]*"(?:GET|HEAD)"[^}]*\\}\\s*,\\s*"((?:/[\\w.-]+)*/${HEALTH_SEGMENT}/?)"`);
/** gin, echo and fiber route groups: `api := r.Group("/api")`, group 1 the group, 2 its parent, 3 the prefix. */
const GROUP = /(\w+)\s*:?=\s*(\w+)\.Group\(\s*"([^"]*)"/;

/** A URL ending in a health segment. */
const HEALTH_URL = new RegExp(`/${HEALTH_SEGMENT}$`);
/** The import of go-pkgz/rest, whose Ping middleware is a health route. */
const PKGZ_REST = /"github\.com\/go-pkgz\/rest"/;

/** `func bindHealthApi(app core.App, rg *router.RouterGroup[...])`: a function taking a route group. */
const GROUP_PARAM_FUNC = /^func\s+(\w+)\(([^)]*)\)/;
/** A route on a group with no path of its own (`g.GET("", h)`): the group's prefix is the route. */
const GROUP_ROOT_ROUTE = /(\w+)\.(?:GET|Get|HEAD|Head|Any)\(\s*"\/?"/;

/**
 * A group passed to a function (`bindHealthApi(app, apiGroup)`) carries its prefix into it: each
 * parameter of a group type gets the full prefix of the group its callers pass. Module-wide.
 */
function groupParams(sources: SourceFile[], declared: Map<string, Map<string, string>>): Map<string, Map<string, string>> {
  const funcs = new Map<string, { file: string; params: Array<string | null> }>();
  for (const file of sources) {
    for (const line of file.text.split('\n')) {
      const f = GROUP_PARAM_FUNC.exec(line);
      if (!f?.[1]) continue;
      const params = (f[2] ?? '').split(',').map((p) => {
        const m = /^\s*(\w+)\s+\S*(?:Group|Router)\b/.exec(p);
        return m?.[1] ?? null;
      });
      if (params.some((p) => p !== null)) funcs.set(f[1], { file: file.path, params });
    }
  }
  const seeded = new Map<string, Map<string, string>>();
  for (const file of sources) {
    const groups = declared.get(file.path);
    if (!groups) continue;
    for (const [name, fn] of funcs) {
      for (const call of file.text.matchAll(new RegExp(`\\b${name}\\(([^)]*)\\)`, 'g'))) {
        (call[1] ?? '').split(',').forEach((arg, i) => {
          const param = fn.params[i];
          const prefix = groups.get(arg.trim());
          if (!param || prefix === undefined) return;
          const into = seeded.get(fn.file) ?? new Map<string, string>();
          into.set(param, prefix);
          seeded.set(fn.file, into);
        });
      }
    }
  }
  return seeded;
}

function fileGroups(file: SourceFile, seed: Map<string, string> | undefined): Map<string, string> {
  const groups = new Map<string, string>(seed ?? []);
  for (const line of file.text.split('\n')) {
    if (/^\s*\/\//.test(line)) continue;
    const g = GROUP.exec(line);
    if (g?.[1]) groups.set(g[1], `${groups.get(g[2] ?? '') ?? ''}/${(g[3] ?? '').replace(/^\/+|\/+$/g, '')}`.replace(/\/+$/, ''));
  }
  return groups;
}

function detectHealth(sources: SourceFile[], at: (f: string) => string): Fact<string> | undefined {
  const found: Array<Candidate<string>> = [];
  // A group's full prefix: its parent's, then its own (groups are declared before their routes), and
  // a group parameter's from the callers that pass one.
  const declared = new Map(sources.map((f) => [f.path, fileGroups(f, undefined)]));
  const seeds = groupParams(sources, declared);
  for (const file of sources) {
    const groups = fileGroups(file, seeds.get(file.path));
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*\/\//.test(line)) return;
      const m = HEALTH_PATTERN.exec(line) ?? HEALTH_MATCH.exec(line);
      if (m?.[2]) {
        const value = `${groups.get(m[1] ?? '') ?? ''}${m[2]}`.replace(/\/\/+/g, '/');
        found.push({ value, rank: healthRank(value), evidence: codeEvidence(at(file.path), i + 1, line) });
      }
      const root = GROUP_ROOT_ROUTE.exec(line);
      const prefix = root?.[1] ? groups.get(root[1]) : undefined;
      if (prefix && HEALTH_URL.test(prefix)) found.push({ value: prefix, rank: healthRank(prefix), evidence: codeEvidence(at(file.path), i + 1, line) });
      // go-pkgz/rest's Ping middleware answers GET /ping with "pong", wherever the router is mounted.
      if (PKGZ_REST.test(file.text) && /\.Use\(\s*(?:\w+\.)?Ping\s*[,)]/.test(line)) {
        found.push({ value: '/ping', rank: healthRank('/ping'), evidence: `${codeEvidence(at(file.path), i + 1, line)} (go-pkgz/rest answers GET /ping)` });
      }
    });
  }
  const top = best(found);
  return top && { value: top.value, evidence: top.evidence };
}
