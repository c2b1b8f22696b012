/**
 * The build-ability self-check: what makes a generated image fail to build, or never turn
 * healthy, read from the planned Dockerfiles and the repository before anything is written.
 * Pure: the repository comes in as two functions (exists, read), so init, generate and doctor
 * ask the same questions of a disk, and tests of a map.
 *
 * Checked per service:
 * - every COPY/ADD source (not `--from`) exists in the build context and is not excluded by the
 *   context's .dockerignore (a glob must match at least one file);
 * - every file the install step reads exists and is copied before it runs: the lockfile or
 *   requirements file, and the `-r` / `-c` files a requirements file includes; a uv workspace
 *   member is still a member of the workspace its image builds from (else its uv.lock is not the
 *   member's), and a uv service whose lockfile is a workspace root's is told to build from there;
 * - the start command's program comes from the image: a Python server (gunicorn, uvicorn) is a
 *   declared dependency;
 * - the health route the probes call is one the code serves: its last segment is in the service's
 *   code (a route literal) or its file names (file-system routes), else the probes can never pass.
 *
 * The .dockerignore checked is the one that ships: the caller passes the planned files as they
 * will be on disk (an existing .dockerignore merged with the kit's lines, a kept file as it is).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseConfig } from '../config/load.js';
import { parseToml, tomlStrings } from '../detect/toml.js';
import { matchesWorkspace } from '../detect/workspaces.js';
import { CONFIG_FILE, type DeployKitConfig } from '../config/types.js';
import type { Finding } from '../validate/types.js';
import { instructions } from './dockerfile-steps.js';
import { projectView } from '../view/project.js';
import type { ServiceView } from '../view/service.js';

/** Read-only access to the repository, paths relative to its root. */
export interface RepoReader {
  exists(path: string): boolean;
  read(path: string): string | undefined;
  /** Every file under a directory (repo paths; dependencies and .git left out), for globs; [] when there is none. */
  list(dir: string): string[];
}

/** One planned file: the Dockerfiles and .dockerignore files are read from here before the disk. */
interface PlannedText {
  path: string;
  content: string;
}

/** A problem found: what, in which file, and how to fix it. */
export interface BuildProblem {
  service: string;
  file: string;
  problem: string;
  fix: string;
}

export function formatBuildProblem(p: BuildProblem): string {
  return `${p.service}: ${p.file}: ${p.problem}. Fix: ${p.fix}`;
}

/** A .dockerignore pattern (or a COPY glob) as a regular expression over context-relative paths. */
function globRegExp(pattern: string): RegExp {
  let p = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  p = posix.normalize(p);
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*') {
      re += '.*';
      i++;
      if (p[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = p.indexOf(']', i);
      if (end > i) {
        re += p.slice(i, end + 1);
        i = end;
      } else re += '\\[';
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  // A pattern that names a directory excludes everything under it.
  return new RegExp(`^${re}(/.*)?$`);
}

const compiledRules = new Map<string, { negate: boolean; re: RegExp }[]>();

/** A .dockerignore's rules as regular expressions, compiled once per text. */
function rulesOf(rules: string): { negate: boolean; re: RegExp }[] {
  let compiled = compiledRules.get(rules);
  if (!compiled) {
    compiled = [];
    for (const raw of rules.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const negate = line.startsWith('!');
      compiled.push({ negate, re: globRegExp(negate ? line.slice(1) : line) });
    }
    compiledRules.set(rules, compiled);
  }
  return compiled;
}

/** Whether .dockerignore's rules exclude a context-relative path (the last matching rule wins). */
export function ignoredBy(rules: string, path: string): boolean {
  let ignored = false;
  for (const { negate, re } of rulesOf(rules)) if (re.test(path)) ignored = !negate;
  return ignored;
}

const isGlob = (s: string) => /[*?[]/.test(s);

/** The `-r` / `-c` files a requirements file includes (relative to it), recursively. */
function requirementIncludes(repo: RepoReader, file: string, seen = new Set<string>()): { file: string; from: string; line: number }[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = repo.read(file);
  if (text === undefined) return [];
  const found: { file: string; from: string; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const m = /^\s*(?:-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)/.exec(raw);
    if (!m) return;
    const included = posix.normalize(posix.join(posix.dirname(file), m[1]!));
    found.push({ file: included, from: file, line: i + 1 }, ...requirementIncludes(repo, included, seen));
  });
  return found;
}

/** Packages a Python service declares, lower-cased, from whichever manifests it has. */
function pythonDeclares(repo: RepoReader, dir: string, name: string): boolean {
  const files = ['requirements.txt', 'pyproject.toml', 'Pipfile', 'setup.py', 'setup.cfg', 'uv.lock', 'poetry.lock', 'Pipfile.lock'];
  const texts = files.map((f) => repo.read(dir ? `${dir}/${f}` : f) ?? '');
  const includes = requirementIncludes(repo, dir ? `${dir}/requirements.txt` : 'requirements.txt').map((i) => repo.read(i.file) ?? '');
  const re = new RegExp(`(^|["'\\s\\[,])${name}(\\[[^\\]]*\\])?\\s*(["'=<>~!;,\\]]|$)`, 'im');
  // fastapi[standard] (and [all]) installs uvicorn with it, as detection also reads it.
  const viaExtra = name === 'uvicorn' ? /(^|["'\s,])fastapi\[[^\]]*\b(?:standard|all)\b[^\]]*\]/im : null;
  return [...texts, ...includes].some((t) => re.test(t) || new RegExp(`^name = "${name}"`, 'm').test(t) || viaExtra?.test(t));
}

function checkService(s: ServiceView, planned: Map<string, string>, repo: RepoReader): BuildProblem[] {
  const problems: BuildProblem[] = [];
  const dockerfile = planned.get(s.dockerfilePath) ?? repo.read(s.dockerfilePath);
  if (dockerfile === undefined) return problems;
  const contextDir = s.context === '.' ? '' : s.context.replace(/^\.\//, '');
  const inContext = (p: string) => (contextDir ? `${contextDir}/${p}` : p);
  const ignoreFile = s.dockerfile ? `${s.dockerfilePath}.dockerignore` : inContext('.dockerignore');
  const ignore = planned.get(ignoreFile) ?? repo.read(ignoreFile) ?? '';
  const say = (problem: string, fix: string) => problems.push({ service: s.name, file: s.dockerfilePath, problem, fix });
  const steps = instructions(dockerfile);
  const copied: string[] = [];
  for (const step of steps) {
    if (step.kind === 'copy') {
      const sources = step.args.slice(0, -1);
      // A glob may match nothing (`go.sum*`) as long as the instruction copies something.
      const emptyGlobs: string[] = [];
      for (const src of sources) {
        const rel = posix.normalize(src).replace(/^\.\//, '');
        if (rel === '' || rel === '.') continue;
        copied.push(rel);
        if (isGlob(rel)) {
          const re = globRegExp(rel);
          const base = rel.slice(0, rel.search(/[*?[]/)).replace(/[^/]*$/, '').replace(/\/$/, '');
          const matches = repo
            .list(inContext(base))
            .map((f) => (contextDir ? f.slice(contextDir.length + 1) : f))
            .filter((f) => re.test(f) && !ignoredBy(ignore, f));
          const plannedMatch = [...planned.keys()].some((f) => re.test(contextDir ? f.slice(contextDir.length + 1) : f));
          if (matches.length === 0 && !plannedMatch) emptyGlobs.push(src);
        } else if (planned.has(inContext(rel))) {
          continue; // the kit writes it (nginx.conf)
        } else if (!repo.exists(inContext(rel))) {
          const workspace = rel === 'uv.lock' && s.python?.uv && !s.python.member ? uvWorkspaceOf(repo, s.dir) : undefined;
          say(
            `\`${step.text}\` copies ${src}, which does not exist in the build context (${s.context})`,
            workspace
              ? `${s.dir} is a member of the uv workspace at ${workspace.root} (${workspace.evidence}), whose uv.lock it installs from: ` +
                  `set workspaceRoot: ${workspace.root} for "${s.name}" in deploy-kit.yaml, then run deploy-kit generate`
              : `commit ${inContext(rel)}, or edit the COPY line`,
          );
        } else if (ignoredBy(ignore, rel)) {
          say(`\`${step.text}\` copies ${src}, which ${ignoreFile} excludes from the build context`, `remove its pattern from ${ignoreFile}`);
        }
      }
      if (emptyGlobs.length > 0 && emptyGlobs.length === sources.length) {
        const what = `\`${step.text}\` copies ${emptyGlobs.join(', ')}, which match no file in the build context (${s.context})`;
        say(what, 'add the files, or edit the COPY line');
      }
    }
    if (step.kind === 'run' && s.python?.pip && /-r requirements\.txt/.test(step.text)) {
      const covered = (file: string) => copied.some((c) => c === '.' || c === '' || globRegExp(c).test(file));
      for (const inc of requirementIncludes(repo, inContext('requirements.txt'))) {
        const rel = contextDir ? inc.file.slice(contextDir.length + 1) : inc.file;
        if (!repo.exists(inc.file)) say(`${inc.from}:${inc.line} includes ${inc.file}, which does not exist`, `commit ${inc.file} or drop the include`);
        else if (!covered(rel)) {
          say(
            `the install step reads ${inc.file} (included at ${inc.from}:${inc.line}) but only ${copied.join(', ')} is copied before it`,
            `list ${rel} under requirementIncludes in deploy-kit.yaml (the Dockerfile then copies it before the install)`,
          );
        }
      }
    }
  }
  if (s.python?.member) {
    const declared = uvWorkspaceOf(repo, s.dir);
    if (declared?.root !== (contextDir || '.')) {
      say(
        `the image builds "${s.name}" as a member of the uv workspace at ${s.context}, but ${inContext('pyproject.toml')} ` +
          `no longer lists ${s.python.member} in [tool.uv.workspace] members, so ${inContext('uv.lock')} does not cover it`,
        `add "${s.python.member}" to [tool.uv.workspace] members and run uv lock, or remove workspaceRoot for "${s.name}" from deploy-kit.yaml`,
      );
    }
  }
  const route = unservedHealthRoute(s, repo);
  if (route) say(route, `add the route to the code, or remove healthPath for "${s.name}" from deploy-kit.yaml (the probes then connect to port ${s.port})`);
  const server = s.python?.server;
  if (s.python && !s.python.serverInstall && (server === 'gunicorn' || server === 'uvicorn') && !pythonDeclares(repo, s.dir, server)) {
    say(
      `the start command runs ${server}, which no manifest of the service declares, so the image has no ${server}`,
      `add ${server} to the service's dependencies (requirements.txt or pyproject.toml), ` +
        'or set installServer: true in deploy-kit.yaml (the image installs it, pinned)',
    );
  }
  return problems;
}

/**
 * The uv workspace a Python project directory is a member of: the nearest ancestor whose
 * pyproject.toml `[tool.uv.workspace]` members globs match it (and exclude globs do not) and that
 * holds a uv.lock, as detection finds it.
 */
function uvWorkspaceOf(repo: RepoReader, dir: string): { root: string; evidence: string } | undefined {
  if (!dir) return undefined;
  const parts = dir.split('/');
  for (let n = parts.length - 1; n >= 0; n--) {
    const base = parts.slice(0, n).join('/');
    const file = base ? `${base}/pyproject.toml` : 'pyproject.toml';
    const text = repo.read(file);
    const table = text === undefined ? undefined : parseToml(text).get('tool.uv.workspace');
    if (!table?.get('members')) continue;
    const members = tomlStrings(table.get('members')).map((m) => m.value);
    const exclude = tomlStrings(table.get('exclude')).map((m) => `!${m.value}`);
    if (!matchesWorkspace(parts.slice(n).join('/'), [...members, ...exclude])) continue;
    if (!repo.exists(base ? `${base}/uv.lock` : 'uv.lock')) return undefined;
    return { root: base || '.', evidence: `${file} [tool.uv.workspace] members = ${JSON.stringify(members)}` };
  }
  return undefined;
}

/** Files a route can be in (code only: the kit's own YAML names the route too). */
const ROUTE_FILES = /\.(?:[cm]?[jt]sx?|py|go|rb|rs|svelte|vue|astro)$/;

/** Stacks whose routes are in their code; others (a framework's built-in route) are not checked. */
const ROUTE_STACKS: ReadonlySet<string> = new Set(['node', 'bun', 'deno', 'python', 'go', 'rust', 'ruby']);

/** Routes a framework serves itself, with no line of the app's code. */
const BUILT_IN_ROUTES: Readonly<Record<string, readonly string[]>> = { streamlit: ['/_stcore/health'] };

/**
 * Why the probes' route is not one the code serves, or undefined when it is (or there is none:
 * TCP, or nginx's own route). A route is served when its last segment is a path segment in a file
 * name under the service (`app/api/health/route.ts`, `healthcheck.tsx`) or follows a quote or a
 * slash in its code (`'/api/health'`, `"health/"`, `@Get('health')`).
 */
function unservedHealthRoute(s: ServiceView, repo: RepoReader): string | undefined {
  if (s.healthTcp || s.healthPath === null || s.runtime === 'nginx' || !ROUTE_STACKS.has(s.stack)) return undefined;
  if (BUILT_IN_ROUTES[s.framework ?? '']?.includes(s.healthPath)) return undefined;
  const segment = s.healthPath.split('/').filter(Boolean).pop();
  if (!segment) return undefined; // `/`: any app answers it
  const files = repo.list(s.dir).filter((f) => ROUTE_FILES.test(f)).slice(0, 3000);
  const esc = segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const inName = new RegExp(`(?:^|[/.])${esc}(?:$|[/.])`);
  if (files.some((f) => inName.test(s.dir ? f.slice(s.dir.length + 1) : f))) return undefined;
  const inCode = new RegExp(`['"\`/]${esc}(?![\\w-])`);
  // go-pkgz/rest's Ping middleware (`router.Use(rest.Ping)`) answers /ping with no literal in the app.
  const middleware = segment === 'ping' ? /"github\.com\/go-pkgz\/rest"/ : null;
  if (files.some((f) => inCode.test(repo.read(f) ?? '') || middleware?.test(repo.read(f) ?? ''))) return undefined;
  return `the health checks call ${s.healthPath}, and no file of the service serves it (no route ending in "${segment}"), so they can never pass`;
}

/** Every build-ability problem of the kit `config` renders to `files`, read against `repo`. */
export function buildProblems(config: DeployKitConfig, files: readonly PlannedText[], repo: RepoReader): BuildProblem[] {
  const planned = new Map(files.map((f) => [f.path, f.content]));
  return projectView(config).services.flatMap((s) => checkService(s, planned, repo));
}

/** Directories never listed: dependencies, caches and git's own (nothing a Dockerfile COPYs by glob). */
const UNLISTED_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.deploy-kit']);

/** The repository on disk as a RepoReader (symlinks followed; unreadable paths count as missing). */
export function diskReader(root: string): RepoReader {
  const abs = (p: string) => join(root, p);
  return {
    exists: (p) => existsSync(abs(p)),
    read: (p) => {
      try {
        return readFileSync(abs(p), 'utf8');
      } catch {
        return undefined;
      }
    },
    list: (dir) => {
      const out: string[] = [];
      const walk = (rel: string) => {
        let entries;
        try {
          entries = readdirSync(abs(rel), { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
          const path = rel ? posix.join(rel, e.name) : e.name;
          if (e.isFile()) out.push(path);
          else if (e.isDirectory() && !UNLISTED_DIRS.has(e.name) && out.length < 20_000) walk(path);
        }
      };
      walk(dir);
      return out;
    },
  };
}

/**
 * doctor's part: the kit as it is on disk (its Dockerfiles, edits included) against the repo. A
 * repository without a loadable deploy-kit.yaml has no kit to check (doctor reports the config
 * itself elsewhere).
 */
export function auditBuildable(root: string): Finding[] {
  const reader = diskReader(root);
  const text = reader.read(CONFIG_FILE);
  if (text === undefined) return [];
  let config: DeployKitConfig;
  try {
    config = parseConfig(text).config;
  } catch {
    return [];
  }
  return buildProblems(config, [], reader).map((p) => ({
    rule: 'kit/image-cannot-build',
    severity: 'error',
    file: p.file,
    message: `${p.service}: ${p.problem}`,
    fix: p.fix,
  }));
}
