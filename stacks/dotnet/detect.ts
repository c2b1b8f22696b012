import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { HEALTH_SEGMENT, SERVICE_PORTS, atPath, best, codeEvidence, exists, healthRank, readText, servicePath, type Candidate } from '../../src/detect/shared.js';
import { TEST_DIRS, compare, readSourceFiles, walkFiles } from '../../src/detect/walk.js';
import type { DotnetFacts } from './types.js';

const PROJECT_EXT = /\.(?:cs|fs)proj$/;
const SOLUTION_EXT = /\.slnx?$/;
/** Files at a repository's root that say it is a .NET repository even without a project beside them. */
const ROOT_MARKERS = ['global.json', 'Directory.Build.props', 'Directory.Packages.props'];
/** .NET's build output and the test projects' usual homes: never the web project. */
const SKIP_DIRS = ['bin', 'obj', 'node_modules', 'artifacts', ...TEST_DIRS];

/** The project paths a solution lists: `.sln` Project(...) lines, `.slnx` <Project Path="..."/>. */
function solutionProjects(text: string): string[] {
  const sln = [...text.matchAll(/^Project\("[^"]*"\)\s*=\s*"[^"]*",\s*"([^"]+\.(?:cs|fs)proj)"/gm)].map((m) => m[1]!);
  const slnx = [...text.matchAll(/<Project\s+Path="([^"]+\.(?:cs|fs)proj)"/g)].map((m) => m[1]!);
  return [...sln, ...slnx].map((p) => p.replace(/\\/g, '/'));
}

/**
 * The web project a solution marks as the one to start: Visual Studio starts the first project a
 * solution lists (unless a user's own .suo says otherwise). Of several solutions, the first whose
 * first project is a web project (an alphabetical "Everything.sln" that opens on a library marks none).
 */
async function startupProject(dir: string, solutions: string[], web: string[], at: (f: string) => string): Promise<{ project: string; evidence: string } | undefined> {
  for (const solution of solutions) {
    const text = (await readText(join(dir, solution), 4 * 1024 * 1024)) ?? '';
    const first = line(text, /^Project\("[^"]*"\)\s*=\s*"[^"]*",\s*"([^"]+\.(?:cs|fs)proj)"|<Project\s+Path="([^"]+\.(?:cs|fs)proj)"/, at(solution));
    const project = first && (first.m[1] ?? first.m[2])!.replace(/\\/g, '/');
    if (project && web.includes(project)) return { project, evidence: `${first.evidence.replace(/ .*/, '')} lists it first: the project Visual Studio starts` };
  }
  return undefined;
}

/** The newest `netX.Y` of a TargetFramework(s) value, as "X.Y". */
function newestTfm(value: string): string | undefined {
  const versions = [...value.matchAll(/net(\d+\.\d+)/g)].map((m) => m[1]!);
  return versions.sort((a, b) => Number(b.split('.')[0]) - Number(a.split('.')[0]) || Number(b.split('.')[1]) - Number(a.split('.')[1]))[0];
}

function line(text: string, re: RegExp, file: string): { m: RegExpExecArray; evidence: string } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i]!);
    if (m) return { m, evidence: codeEvidence(file, i + 1, lines[i]!) };
  }
  return undefined;
}

/**
 * Detects an ASP.NET Core service in `root/path`: the web project (a .csproj beside it, one its
 * solution lists, or, at a repository root holding global.json or Directory.Build.props, one
 * below it), its target framework, assembly name, NuGet lock file, port and health route.
 * Undefined when there is no project.
 *
 * @example
 *   const dotnet = await detectDotnet('/repo')
 *   dotnet?.project // { value: 'src/Api/Api.csproj', evidence: 'src/Api/Api.csproj:1 <Project Sdk="Microsoft.NET.Sdk.Web">' }
 */
export async function detectDotnet(root: string, path = '.'): Promise<DotnetFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);
  const entries = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isFile()).map((e) => e.name).sort(compare);
  const solution = entries.find((n) => SOLUTION_EXT.test(n));
  let projects = entries.filter((n) => PROJECT_EXT.test(n));
  if (projects.length === 0 && solution) {
    const listed = solutionProjects((await readText(join(dir, solution), 4 * 1024 * 1024)) ?? '');
    projects = (await Promise.all(listed.map(async (p) => ((await exists(join(dir, p))) ? p : undefined)))).filter((p): p is string => p !== undefined);
  }
  if (projects.length === 0 && (solution || (rel === '.' && (await Promise.all(ROOT_MARKERS.map((m) => exists(join(dir, m))))).includes(true)))) {
    const found = await walkFiles(dir, { extensions: ['.csproj', '.fsproj'], skipDirs: SKIP_DIRS, maxFiles: 200 });
    projects = found.filter((p) => p.split('/').length <= 4);
  }
  if (projects.length === 0) return undefined;
  const warnings: string[] = [];
  const facts: DotnetFacts = { path: rel, warnings };
  if (solution) facts.solution = { value: solution, evidence: `${at(solution)} present` };

  // The web project: Microsoft.NET.Sdk.Web, never a test project.
  const web: Array<{ project: string; text: string; evidence: string }> = [];
  for (const project of projects.sort(compare)) {
    if (/(?:^|[./])Tests?\b/i.test(posix.basename(project))) continue;
    const text = await readText(join(dir, project));
    const hit = text && line(text, /Sdk\s*=\s*"Microsoft\.NET\.Sdk\.Web"/, at(project));
    if (text && hit) web.push({ project, text, evidence: hit.evidence });
  }
  const startup = web.length > 1 ? await startupProject(dir, entries.filter((n) => SOLUTION_EXT.test(n)), web.map((w) => w.project), at) : undefined;
  const chosen = (startup && web.find((w) => w.project === startup.project)) ?? web[0];
  if (!chosen) return facts;
  if (web.length > 1) {
    const others = web.filter((w) => w !== chosen).map((w) => at(w.project));
    const why = startup ? startup.evidence : 'no solution lists a web project first: the first in path order';
    warnings.push(
      `several web projects: ${web.map((w) => at(w.project)).join(', ')}; using ${at(chosen.project)} (${why}); ` +
        `${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} not deployed by this kit. ` +
        'To deploy another instead, set `project` (and `start`, `dotnet <assembly>.dll`) in deploy-kit.yaml',
    );
  }
  facts.project = { value: chosen.project, evidence: chosen.evidence };
  facts.web = { value: true, evidence: chosen.evidence };
  const projectFile = at(chosen.project);
  const projectDir = posix.dirname(chosen.project);

  const tfm = line(chosen.text, /<TargetFrameworks?>([^<]+)</, projectFile);
  const props = tfm ? undefined : await readText(join(dir, 'Directory.Build.props'));
  const propsTfm = props ? line(props, /<TargetFrameworks?>([^<]+)</, at('Directory.Build.props')) : undefined;
  const tf = tfm ?? propsTfm;
  const version = tf && newestTfm(tf.m[1]!);
  if (tf && !version) warnings.push(`${tf.evidence}: not a .NET (5+) target framework; the Linux images run net8.0 and later`);
  else if (version && Number(version.split('.')[0]) < 8) {
    warnings.push(`.NET ${version} (${tf?.evidence ?? ''}) is past end of support and has no Ubuntu 24.04 images: retarget to net8.0 or later`);
  }
  if (tf && version) facts.dotnetVersion = { value: version, evidence: tf.evidence };
  else {
    const globalJson = await readText(join(dir, 'global.json'));
    const sdk = globalJson && line(globalJson, /"version"\s*:\s*"(\d+\.\d+)\./, at('global.json'));
    if (sdk) facts.dotnetVersion = { value: sdk.m[1]!, evidence: `${sdk.evidence} (the SDK; no TargetFramework found)` };
  }

  const assembly = line(chosen.text, /<AssemblyName>([^<$]+)<\/AssemblyName>/, projectFile);
  const base = posix.basename(chosen.project).replace(PROJECT_EXT, '');
  facts.assemblyName = assembly ? { value: assembly.m[1]!.trim(), evidence: assembly.evidence } : { value: base, evidence: `${projectFile} (no <AssemblyName>: the project's name)` };

  const lock = posix.join(projectDir, 'packages.lock.json');
  if (await exists(join(dir, lock))) facts.lockfile = { value: lock, evidence: `${at(lock)} present` };
  // SQLite through EF Core or Microsoft.Data.Sqlite, in the web project or a project it references
  // (the data layer's own project): a database file the image's app user cannot write.
  const SQLITE = /<PackageReference\s+Include="(?:Microsoft\.EntityFrameworkCore\.Sqlite|Microsoft\.Data\.Sqlite)(?:\.Core)?"/;
  let sqlite = line(chosen.text, SQLITE, projectFile);
  for (const ref of sqlite ? [] : [...chosen.text.matchAll(/<ProjectReference\s+Include="([^"]+\.(?:cs|fs)proj)"/g)].map((m) => m[1]!)) {
    const refPath = posix.normalize(posix.join(projectDir, ref.replace(/\\/g, '/')));
    const refText = await readText(join(dir, refPath));
    sqlite = refText === undefined ? undefined : line(refText, SQLITE, at(refPath));
    if (sqlite) break;
  }
  if (sqlite) {
    warnings.push(
      `SQLite (${sqlite.evidence}): its file would live in the image, read-only at run time and replaced by every deploy; ` +
        'use PostgreSQL (compose has it as an add-on) or mount a volume for the database file',
    );
  }

  // The SPA templates' publish target runs npm (`<Exec Command="npm install" />`): the SDK image has no Node.
  const npm = line(chosen.text, /<Exec\b[^>]*\bCommand="(?:npm|npx|yarn|pnpm)\b/, projectFile);
  if (npm) {
    warnings.push(
      `${npm.evidence}: publishing runs Node's package manager, and the .NET SDK image the Dockerfile builds in has no Node; ` +
        "install Node in the Dockerfile's build stage, or build the front end in a stage of its own and copy its output to wwwroot",
    );
  }

  const sources = await readSourceFiles(join(dir, projectDir), { extensions: ['.cs'], skipDirs: SKIP_DIRS, maxFiles: 400 });
  const files = sources.map((f) => ({ ...f, path: at(posix.join(projectDir, f.path)) }));
  const health = healthRoute(files);
  if (health) facts.healthPath = health;
  const port = listenPort(files);
  if (port) facts.port = port;
  return facts;
}

/** `app.MapHealthChecks("/healthz")` (or the UseHealthChecks middleware), `app.MapGet("/health", ...)`, a route group's `group.MapGet("/health")` is not prefixed. */
const HEALTH_PATTERNS: readonly RegExp[] = [
  new RegExp(`\\.(?:MapHealthChecks|UseHealthChecks)\\(\\s*"((?:/[\\w.-]+)*/[\\w.-]+/?)"`),
  new RegExp(`\\bapp\\.MapGet\\(\\s*"((?:/[\\w.-]+)*/${HEALTH_SEGMENT}/?)"`),
  new RegExp(`\\[HttpGet\\(\\s*"(/(?:[\\w.-]+/)*${HEALTH_SEGMENT}/?)"\\s*\\)\\]`),
];

function healthRoute(files: Array<{ path: string; text: string }>): Fact<string> | undefined {
  const found: Array<Candidate<string>> = [];
  for (const f of files) {
    f.text.split('\n').forEach((l, i) => {
      if (/^\s*\/\//.test(l)) return;
      for (const re of HEALTH_PATTERNS) {
        const m = re.exec(l);
        if (m?.[1]) {
          // MapHealthChecks is a health route whatever its name; a MapGet must be named like one.
          const rank = re === HEALTH_PATTERNS[0] ? Math.min(healthRank(m[1]), 2) : healthRank(m[1]);
          found.push({ value: m[1], rank, evidence: codeEvidence(f.path, i + 1, l) });
          break;
        }
      }
    });
  }
  const top = best(found);
  return top && { value: top.value, evidence: top.evidence };
}

/** A port the code binds itself: `UseUrls("http://0.0.0.0:5000")`, `app.Run("http://*:5000")`, `app.Urls.Add(...)`. */
function listenPort(files: Array<{ path: string; text: string }>): Fact<number> | undefined {
  const re = /\b(?:UseUrls|Run|Urls\.Add)\(\s*"https?:\/\/[^":/]+:(\d{2,5})/;
  for (const f of files) {
    const hit = line(f.text, re, f.path);
    const port = hit && Number(hit.m[1]);
    if (hit && port && port < 65536 && !SERVICE_PORTS.has(port)) return { value: port, evidence: hit.evidence };
  }
  return undefined;
}
