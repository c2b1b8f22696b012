import { join } from 'node:path';
import { atPath, exists, readText, servicePath } from '../../src/detect/shared.js';
import { parseToml, tomlString, tomlStrings } from '../../src/detect/toml.js';
import { GENERATED_DIRS, TEST_DIRS, compare, walkFiles } from '../../src/detect/walk.js';
import { CONVENTIONAL, codePort, healthPath, isLoopback, lineMatch, portVariable, type PyFile } from './code.js';
import { django } from './django.js';
import { asgi, chooseFramework, flask, gradio, streamlit } from './frameworks.js';
import { FRAMEWORK_PYTHON_CAPS, addRequirement, packageManager, pythonVersion, releaseLine, requirementDeps, type Dep } from './manager.js';
import type { Fact } from '../../src/detect/fact.js';
import type { PythonFacts } from './types.js';
import { findUvWorkspace } from './workspace.js';

export { pythonMinor } from './manager.js';

/** Files that make a directory a Python project. */
const PY_MANIFESTS = ['pyproject.toml', 'requirements.txt', 'Pipfile', 'setup.py'];
/** A subdirectory holding one of these is another project (or another service): not scanned as ours. */
const OTHER_PROJECT = [...PY_MANIFESTS, 'package.json', 'go.mod'];

/**
 * Detects a Python service in `root/path`: package manager, Python version, framework, what the
 * server loads, the start command, port and health route, each with its evidence. Undefined when the
 * directory has no Python manifest and no runnable script (`app.py` with `if __name__ == "__main__"`
 * or `http.server`).
 *
 * @example
 *   const py = await detectPython('/repo', 'apps/api')
 *   py?.framework // { value: 'fastapi', evidence: 'apps/api/requirements.txt:1 fastapi==0.111.0' }
 *   py?.start     // { value: 'uvicorn main:app --host 0.0.0.0 --port 8000', evidence: 'apps/api/main.py:5 app = FastAPI()' }
 */
export async function detectPython(root: string, path = '.'): Promise<PythonFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);

  const [pyprojectText, requirementsText, pipfileText, hasSetupPy, hasUvLock, hasPoetryLock, hasPipfileLock] = await Promise.all([
    readText(join(dir, 'pyproject.toml')),
    readText(join(dir, 'requirements.txt')),
    readText(join(dir, 'Pipfile')),
    exists(join(dir, 'setup.py')),
    exists(join(dir, 'uv.lock')),
    exists(join(dir, 'poetry.lock')),
    exists(join(dir, 'Pipfile.lock')),
  ]);
  const hasManifest = pyprojectText !== undefined || requirementsText !== undefined || pipfileText !== undefined || hasSetupPy;

  const paths = await walkFiles(dir, {
    extensions: ['.py'],
    skipDirs: [...GENERATED_DIRS, ...TEST_DIRS, 'env'],
    skipDirsContaining: OTHER_PROJECT,
    maxFiles: 2000,
  });
  if (!hasManifest && paths.length === 0) return undefined;
  const codePaths = paths.filter((p) => !/(?:^|\/)migrations\//.test(p) && !/(?:^|\/)(?:test_[^/]*|[^/]*_test|conftest)\.py$/.test(p)).slice(0, 300);
  const files = (await Promise.all(codePaths.map(async (p) => ({ path: p, text: (await readText(join(dir, p))) ?? '' })))).filter((f) => f.text !== '');
  const topLevel = files.filter((f) => !f.path.includes('/'));

  // Without a manifest, only a script that clearly runs a server or a main block is an app.
  const scripts = runnableScripts(topLevel);
  if (!hasManifest && !scripts.some((s) => s.serves || CONVENTIONAL.includes(s.file.path))) return undefined;

  const warnings: string[] = [];
  // A uv workspace member has no uv.lock of its own: the workspace root's lockfile covers it.
  const workspace = pyprojectText !== undefined && !hasUvLock ? await findUvWorkspace(root, rel) : undefined;
  const wsAt = workspace && atPath(workspace.path);
  const workspaceLock = workspace?.hasLock && wsAt ? wsAt('uv.lock') : undefined;
  const pyproject = pyprojectText === undefined ? undefined : parseToml(pyprojectText);
  const pipfile = pipfileText === undefined ? undefined : parseToml(pipfileText);

  const facts: PythonFacts = {
    path: rel,
    packageManager: packageManager(
      { pyproject, pipfile, requirements: requirementsText !== undefined, hasSetupPy, hasUvLock, hasPoetryLock, hasPipfileLock, workspaceLock },
      warnings,
      at,
    ),
    framework: { value: 'none', evidence: '' },
    warnings,
  };
  if (workspace && facts.packageManager.value === 'uv') facts.workspaceRoot = workspace.fact;
  if (workspace && !workspace.hasLock) warnings.push(`${workspace.fact.evidence}, but ${wsAt?.('uv.lock')} is missing: run \`uv lock\` there and commit it`);
  const lock = { uv: 'uv.lock', poetry: 'poetry.lock', pipenv: 'Pipfile.lock', pip: 'requirements.txt' }[facts.packageManager.value];
  if (lock === 'uv.lock' && workspaceLock && facts.workspaceRoot) {
    facts.lockfile = { value: lock, evidence: `${workspaceLock} present (the uv workspace's lockfile)` };
  } else if (
    (lock === 'uv.lock' && hasUvLock) ||
    (lock === 'poetry.lock' && hasPoetryLock) ||
    (lock === 'Pipfile.lock' && hasPipfileLock) ||
    (lock === 'requirements.txt' && requirementsText !== undefined)
  ) {
    facts.lockfile = { value: lock, evidence: `${at(lock)} present` };
  } else if (lock === 'requirements.txt' && (pyproject !== undefined || hasSetupPy)) {
    const file = pyproject !== undefined ? 'pyproject.toml' : 'setup.py';
    facts.installProject = { value: true, evidence: `no requirements.txt: pip installs the project from ${at(file)} with its build backend` };
  }

  const name = tomlString(pyproject?.get('project')?.get('name')) ?? tomlString(pyproject?.get('tool.poetry')?.get('name'));
  if (name) facts.name = { value: name, evidence: `${at('pyproject.toml')} name = ${JSON.stringify(name)}` };

  const deps = new Map<string, Dep>();
  if (requirementsText !== undefined) {
    const includes = new Set<string>();
    await requirementDeps(dir, 'requirements.txt', requirementsText, deps, at, 0, includes);
    // The image copies requirements*.txt before the install; whatever else the file includes must be copied too.
    const beyond = [...includes].filter((f) => !/^requirements[^/]*\.txt$/.test(f)).sort();
    if (beyond.length > 0) facts.requirementIncludes = { value: beyond, evidence: `${at('requirements.txt')} includes ${beyond.join(', ')}` };
  }
  for (const req of tomlStrings(pyproject?.get('project')?.get('dependencies')))
    addRequirement(deps, req.value, `${at('pyproject.toml')}:${req.line} ${JSON.stringify(req.value)}`);
  for (const [table, file, tables] of [
    ['tool.poetry.dependencies', 'pyproject.toml', pyproject],
    ['packages', 'Pipfile', pipfile],
  ] as const) {
    for (const [key, entry] of tables?.get(table) ?? []) {
      if (key === 'python') continue;
      const extras = tomlStrings({ raw: /\bextras\s*=\s*(\[[^\]]*\])/.exec(entry.raw)?.[1] ?? '[]', line: entry.line }).map((s) => s.value);
      // Poetry and Pipfile write the version as the value: "^3.2", { version = "^3.2" }, "*".
      const spec = tomlString(entry) ?? /\bversion\s*=\s*["']([^"']*)["']/.exec(entry.raw)?.[1];
      addRequirement(deps, `${key}${extras.length ? `[${extras.join(',')}]` : ''}`, `${at(file)}:${entry.line} ${key} = ${entry.raw.split('\n')[0]}`, spec === '*' ? '' : spec);
    }
  }

  // Extras (`[project.optional-dependencies]`): not installed by the image, but they say which server the project runs.
  const extras = new Map<string, Dep>();
  for (const [extra, entry] of pyproject?.get('project.optional-dependencies') ?? [])
    for (const req of tomlStrings(entry)) addRequirement(extras, req.value, `${at('pyproject.toml')}:${req.line} ${JSON.stringify(req.value)} (extra ${extra})`);

  const wsPin = facts.workspaceRoot && wsAt ? { dir: join(root, facts.workspaceRoot.value), at: wsAt } : undefined;
  const version = await pythonVersion(dir, pyproject, pipfile, frameworkCap(deps, warnings), warnings, at, wsPin);
  if (version) facts.pythonVersion = version;

  const framework = chooseFramework(deps, files, paths, warnings, at);
  facts.framework = framework.fact;

  const health = healthPath(files, at);
  if (health) facts.healthPath = health;

  switch (framework.fact.value) {
    case 'fastapi':
    case 'starlette':
      asgi(facts, framework.fact.value, files, paths, deps, warnings, at);
      break;
    case 'django':
      django(facts, files, paths, deps, warnings, at, extras);
      break;
    case 'flask':
      flask(facts, files, paths, deps, warnings, at);
      break;
    case 'streamlit':
      await streamlit(facts, dir, files, warnings, at);
      break;
    case 'gradio':
      await gradio(facts, dir, files, warnings, at);
      break;
    case 'none': {
      // A web framework deploy-kit has no start for: said, with what to pass, rather than a script run by guess.
      const other = UNKNOWN_FRAMEWORKS.map((n) => deps.get(n) && { name: n, dep: deps.get(n) }).find((d) => d !== undefined);
      if (other?.dep && !scripts.some((s) => s.serves)) {
        facts.otherFramework = { value: other.name, evidence: other.dep.evidence };
        facts.framework = { value: 'none', evidence: `${other.dep.evidence} (${other.name}: no framework deploy-kit knows the start of)` };
        warnings.push(
          `${other.dep.evidence}: deploy-kit does not detect ${other.name} apps; pass the production start command ` +
            `(e.g. --start "uvicorn <module>:<app> --host 0.0.0.0 --port 8000" for an ASGI app), and the port it listens on`,
        );
        break;
      }
      script(facts, scripts, warnings, at);
      break;
    }
  }
  const migrate = facts.framework.value === 'django' ? undefined : alembic(paths, deps, facts, await exists(join(dir, 'alembic.ini')), at);
  if (migrate) facts.migrate = migrate;
  return facts;
}

/**
 * The newest Python a declared framework release supports, from FRAMEWORK_PYTHON_CAPS, with the
 * requirement that pins the release. A release line the table does not know is said, not guessed.
 */
function frameworkCap(deps: Map<string, Dep>, warnings: string[]): { version: string; evidence: string } | undefined {
  for (const [name, caps] of Object.entries(FRAMEWORK_PYTHON_CAPS)) {
    const dep = deps.get(name);
    if (!dep?.spec) continue;
    // Django ends every major at X.2, its long-term release.
    const line = releaseLine(dep.spec, name === 'django' ? 2 : undefined);
    if (line === undefined) continue;
    const cap = caps[line];
    if (cap) return { version: cap, evidence: `${dep.evidence} (${name} ${line})` };
    const known = Object.keys(caps);
    const rank = (v: string): number => Number(v.split('.')[0]) * 1000 + Number(v.split('.')[1]);
    if (known.every((k) => rank(k) > rank(line)))
      warnings.push(`${dep.evidence}: ${name} ${line} is older than the releases whose Python support is known (${known.join(', ')}); check that it runs on the image's Python`);
  }
  return undefined;
}

/**
 * Alembic's migrations as a release step: Flask-Migrate's `migrations/` (alembic.ini inside, upgraded by `flask db upgrade`
 * against the app), or an `alembic.ini` at the service's root with alembic among the dependencies.
 */
function alembic(paths: string[], deps: Map<string, Dep>, facts: PythonFacts, ini: boolean, at: (f: string) => string): Fact<string> | undefined {
  const flaskMigrate = deps.get('flask-migrate');
  if (flaskMigrate && facts.framework.value === 'flask' && paths.includes('migrations/env.py') && facts.entrypoint) {
    // gunicorn's `app:create_app()` is Flask's --app app:create_app() too.
    return {
      value: `flask --app ${facts.entrypoint.value} db upgrade`,
      evidence: `${flaskMigrate.evidence} and ${at('migrations/env.py')} (Flask-Migrate's Alembic environment)`,
    };
  }
  const lib = deps.get('alembic');
  if (lib && ini)
    return { value: 'alembic upgrade head', evidence: `${lib.evidence} and ${at('alembic.ini')}` };
  return undefined;
}

/** Web frameworks in a project's dependencies that deploy-kit has no start command for. */
const UNKNOWN_FRAMEWORKS = ['litestar', 'quart', 'sanic', 'falcon', 'aiohttp', 'tornado', 'pyramid', 'bottle', 'robyn', 'blacksheep', 'django-ninja'];

// ------------------------------------------------------------------ dependency-free scripts

interface Runnable {
  file: PyFile;
  /** Starts an HTTP server itself (http.server, socketserver, wsgiref). */
  serves: boolean;
  evidence: string;
}

const SERVES = /^\s*(?:from|import)\s+(?:http\.server|socketserver|wsgiref|aiohttp)\b/m;
const MAIN_GUARD = /^if\s+__name__\s*==\s*['"]__main__['"]\s*:/m;

function runnableScripts(topLevel: PyFile[]): Runnable[] {
  const out: Runnable[] = [];
  for (const file of topLevel) {
    const serves = lineMatch(file, SERVES);
    const main = lineMatch(file, MAIN_GUARD);
    if (serves || main) out.push({ file, serves: serves !== undefined, evidence: (serves ?? main)?.evidence ?? file.path });
  }
  const rank = (r: Runnable): number => (r.serves ? 0 : 100) + (CONVENTIONAL.includes(r.file.path) ? CONVENTIONAL.indexOf(r.file.path) : 50);
  return out.sort((a, b) => rank(a) - rank(b) || compare(a.file.path, b.file.path));
}

function script(facts: PythonFacts, scripts: Runnable[], warnings: string[], at: (f: string) => string): void {
  const [chosen] = scripts;
  if (!chosen) {
    warnings.push(`no web framework in the dependencies and no top-level script with \`if __name__ == "__main__":\` in ${at('.')}: nothing to start`);
    return;
  }
  const others = scripts.filter((s) => s !== chosen && s.serves === chosen.serves && !CONVENTIONAL.includes(chosen.file.path));
  if (others.length > 0)
    warnings.push(`several runnable scripts: ${[chosen, ...others].map((s) => at(s.file.path)).join(', ')}; using ${at(chosen.file.path)}`);
  facts.framework = { value: 'none', evidence: `no web framework in the dependencies; ${at(chosen.evidence)}` };
  facts.server = { value: 'python', evidence: chosen.serves ? `${at(chosen.evidence)} (the script serves HTTP itself)` : at(chosen.evidence) };
  facts.entrypoint = { value: chosen.file.path, evidence: at(chosen.evidence) };
  facts.start = { value: `python ${chosen.file.path}`, evidence: at(chosen.evidence) };
  const port = codePort([chosen.file], chosen.file.path, warnings, at);
  if (port) facts.port = port;
  // The script's own port variable: the image sets it to the service's port (PORT alone would leave it on its default).
  const variable = portVariable(chosen.file, at);
  if (variable) {
    facts.portEnv = variable.name;
    if (!port && variable.port) facts.port = variable.port;
  }
  const host = lineMatch(chosen.file, /(?:HTTPServer|TCPServer|make_server)\(\s*\(?\s*['"]([^'"]*)['"]/);
  if (host) {
    facts.bindHost = { value: host.value === '' ? '0.0.0.0' : host.value, evidence: at(host.evidence) };
    if (isLoopback(host.value))
      warnings.push(`${at(host.evidence)}: the server listens on ${host.value} only, unreachable from outside the container; bind to "" or "0.0.0.0"`);
  }
}
