import { join, posix } from 'node:path';
import { HEALTH_SEGMENT, SERVICE_PORTS, atPath, best, codeEvidence, exists, healthRank, readText, servicePath, type Candidate, choosePort, type PortMatch } from './shared.js';
import { parseToml, tomlString, tomlStrings, type TomlTables } from './toml.js';
import type { DjangoFacts, Fact, PythonFacts, PythonFramework, PythonPackageManager } from './types.js';
import { GENERATED_DIRS, TEST_DIRS, compare, walkFiles } from './walk.js';

/** Files that make a directory a Python project. */
const PY_MANIFESTS = ['pyproject.toml', 'requirements.txt', 'Pipfile', 'setup.py'];
/** A subdirectory holding one of these is another project (or another service): not scanned as ours. */
const OTHER_PROJECT = [...PY_MANIFESTS, 'package.json', 'go.mod'];
/** Entry files people name their app; preferred, in this order, when several files qualify. */
const CONVENTIONAL = ['app.py', 'main.py', 'server.py', 'streamlit_app.py', 'Home.py', 'run.py', 'wsgi.py', 'asgi.py'];

interface Dep {
  extras: string[];
  /** "requirements.txt:3 fastapi[standard]==0.111.0". */
  evidence: string;
}

interface PyFile {
  path: string;
  text: string;
}

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

  const paths = await walkFiles(dir, { extensions: ['.py'], skipDirs: [...GENERATED_DIRS, ...TEST_DIRS, 'env'], skipDirsContaining: OTHER_PROJECT, maxFiles: 2000 });
  if (!hasManifest && paths.length === 0) return undefined;
  const codePaths = paths.filter((p) => !/(?:^|\/)migrations\//.test(p) && !/(?:^|\/)(?:test_[^/]*|[^/]*_test|conftest)\.py$/.test(p)).slice(0, 300);
  const files = (await Promise.all(codePaths.map(async (p) => ({ path: p, text: (await readText(join(dir, p))) ?? '' })))).filter((f) => f.text !== '');
  const topLevel = files.filter((f) => !f.path.includes('/'));

  // Without a manifest, only a script that clearly runs a server or a main block is an app.
  const scripts = runnableScripts(topLevel);
  if (!hasManifest && !scripts.some((s) => s.serves || CONVENTIONAL.includes(s.file.path))) return undefined;

  const warnings: string[] = [];
  const pyproject = pyprojectText === undefined ? undefined : parseToml(pyprojectText);
  const pipfile = pipfileText === undefined ? undefined : parseToml(pipfileText);

  const facts: PythonFacts = {
    path: rel,
    packageManager: packageManager({ pyproject, pipfile, requirements: requirementsText !== undefined, hasSetupPy, hasUvLock, hasPoetryLock, hasPipfileLock }, warnings, at),
    framework: { value: 'none', evidence: '' },
    warnings,
  };
  const lock = { uv: 'uv.lock', poetry: 'poetry.lock', pipenv: 'Pipfile.lock', pip: 'requirements.txt' }[facts.packageManager.value];
  if ((lock === 'uv.lock' && hasUvLock) || (lock === 'poetry.lock' && hasPoetryLock) || (lock === 'Pipfile.lock' && hasPipfileLock) || (lock === 'requirements.txt' && requirementsText !== undefined)) {
    facts.lockfile = { value: lock, evidence: `${at(lock)} present` };
  }

  const name = tomlString(pyproject?.get('project')?.get('name')) ?? tomlString(pyproject?.get('tool.poetry')?.get('name'));
  if (name) facts.name = { value: name, evidence: `${at('pyproject.toml')} name = ${JSON.stringify(name)}` };

  const version = await pythonVersion(dir, pyproject, pipfile, warnings, at);
  if (version) facts.pythonVersion = version;

  const deps = new Map<string, Dep>();
  if (requirementsText !== undefined) await requirementDeps(dir, 'requirements.txt', requirementsText, deps, at, 0);
  for (const req of tomlStrings(pyproject?.get('project')?.get('dependencies'))) addRequirement(deps, req.value, `${at('pyproject.toml')}:${req.line} ${JSON.stringify(req.value)}`);
  for (const [table, file, tables] of [['tool.poetry.dependencies', 'pyproject.toml', pyproject], ['packages', 'Pipfile', pipfile]] as const) {
    for (const [key, entry] of tables?.get(table) ?? []) {
      if (key === 'python') continue;
      const extras = tomlStrings({ raw: /\bextras\s*=\s*(\[[^\]]*\])/.exec(entry.raw)?.[1] ?? '[]', line: entry.line }).map((s) => s.value);
      addRequirement(deps, `${key}${extras.length ? `[${extras.join(',')}]` : ''}`, `${at(file)}:${entry.line} ${key} = ${entry.raw.split('\n')[0]}`);
    }
  }

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
      django(facts, files, paths, deps, warnings, at);
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
    case 'none':
      script(facts, scripts, warnings, at);
      break;
  }
  return facts;
}

// ------------------------------------------------------------------ package manager and version

interface ManagerInput {
  pyproject: TomlTables | undefined;
  pipfile: TomlTables | undefined;
  requirements: boolean;
  hasSetupPy: boolean;
  hasUvLock: boolean;
  hasPoetryLock: boolean;
  hasPipfileLock: boolean;
}

function packageManager(input: ManagerInput, warnings: string[], at: (f: string) => string): Fact<PythonPackageManager> {
  const tables = [...(input.pyproject?.keys() ?? [])];
  const poetryTable = tables.some((t) => t === 'tool.poetry' || t.startsWith('tool.poetry.'));
  const uvTable = tables.some((t) => t === 'tool.uv' || t.startsWith('tool.uv.'));
  // Each manager with the file that says so; a lockfile is a stronger statement than a config table.
  const signals: Array<[PythonPackageManager, string, boolean]> = [];
  if (input.hasUvLock) signals.push(['uv', at('uv.lock'), true]);
  if (input.hasPoetryLock) signals.push(['poetry', at('poetry.lock'), true]);
  if (input.hasPipfileLock) signals.push(['pipenv', at('Pipfile.lock'), true]);
  if (poetryTable && !input.hasPoetryLock) signals.push(['poetry', `${at('pyproject.toml')} [tool.poetry]`, false]);
  if (input.pipfile && !input.hasPipfileLock) signals.push(['pipenv', at('Pipfile'), false]);
  if (uvTable && !input.hasUvLock) signals.push(['uv', `${at('pyproject.toml')} [tool.uv]`, false]);
  if (input.requirements) signals.push(['pip', at('requirements.txt'), true]);

  const [first] = signals;
  if (!first) {
    const what = input.pyproject ? `${at('pyproject.toml')} without a lockfile` : input.hasSetupPy ? `${at('setup.py')} without a lockfile` : 'no requirements.txt or pyproject.toml';
    if (input.pyproject || input.hasSetupPy) warnings.push(`${what}: pip installs whatever versions are current at build time; pin them (uv lock, poetry lock or a requirements.txt)`);
    return { value: 'pip', evidence: `${what}; pip assumed` };
  }
  const [pm, file, isLock] = first;
  const managers = [...new Set(signals.map(([m]) => m))];
  if (managers.length > 1) {
    warnings.push(`several Python package managers: ${signals.map(([, f]) => f).join(', ')}; using ${pm} (${file}). Delete the stale files or say which one builds the app`);
  }
  if (!isLock) {
    const lockName = pm === 'poetry' ? 'poetry.lock' : pm === 'pipenv' ? 'Pipfile.lock' : 'uv.lock';
    warnings.push(`${file} but no ${lockName}: builds are not reproducible; run \`${pm === 'pipenv' ? 'pipenv lock' : `${pm} lock`}\` and commit ${lockName}`);
  }
  return { value: pm, evidence: `${file}${file.endsWith(']') ? '' : ' present'}${managers.length > 1 ? ' (one of several)' : ''}` };
}

/**
 * Reduces a Python version spec to "3.X" and says whether it is a minimum: ">=3.11" is 3.11 at least,
 * "==3.11.*" or "~3.11" is exactly 3.11. Undefined when no lower bound is given ("<3.13").
 *
 * @example
 *   pythonMinor('>=3.11,<3.14') // { version: '3.11', minimum: true }
 */
export function pythonMinor(spec: string): { version: string; minimum: boolean } | undefined {
  for (const clause of spec.split(/,|\|\|/)) {
    const m = /^\s*(===|==|~=|>=|>|\^|~|<=|<|!=)?\s*v?(?:python-?|cpython-)?(\d+)\.(\d+)(?:\.(\d+|\*))?/.exec(clause);
    if (!m) continue;
    const [, op = '', major, minor, patch] = m;
    if (op === '<' || op === '<=' || op === '!=') continue;
    const version = `${major}.${minor}`;
    // ~= with a patch (~=3.11.2) and poetry's ~3.11 stay within the minor; so does ==.
    const exact = op === '' || op === '==' || op === '===' || op === '~' || (op === '~=' && patch !== undefined);
    return { version, minimum: !exact };
  }
  return undefined;
}

async function pythonVersion(dir: string, pyproject: TomlTables | undefined, pipfile: TomlTables | undefined, warnings: string[], at: (f: string) => string): Promise<Fact<string> | undefined> {
  const pinned = (await readText(join(dir, '.python-version')))?.split('\n').map((l) => l.replace(/#.*/, '').trim()).find(Boolean);
  const runtime = (await readText(join(dir, 'runtime.txt')))?.trim();
  const poetryPython = pyproject?.get('tool.poetry.dependencies')?.get('python');
  const sources: Array<[where: string, spec: string | undefined]> = [
    [at('.python-version'), pinned],
    [`${at('pyproject.toml')}:${pyproject?.get('project')?.get('requires-python')?.line ?? 0} requires-python`, tomlString(pyproject?.get('project')?.get('requires-python'))],
    [`${at('pyproject.toml')}:${poetryPython?.line ?? 0} [tool.poetry.dependencies] python`, tomlString(poetryPython)],
    [`${at('Pipfile')} [requires] python_version`, tomlString(pipfile?.get('requires')?.get('python_version')) ?? tomlString(pipfile?.get('requires')?.get('python_full_version'))],
    [at('runtime.txt'), runtime],
  ];
  for (const [where, spec] of sources) {
    if (spec === undefined || spec === '') continue;
    const parsed = pythonMinor(spec);
    if (parsed) return { value: parsed.version, evidence: `${where}: ${JSON.stringify(spec)}${parsed.minimum ? ` (a minimum: ${parsed.version} or newer)` : ''}` };
    warnings.push(`${where} ${JSON.stringify(spec)} names no Python 3.X version; pin one (e.g. "3.12") so the image does not change under you`);
  }
  return undefined;
}

// ------------------------------------------------------------------ dependencies

/** PEP 503 normalised name: "Flask_SQLAlchemy" and "flask-sqlalchemy" are the same package. */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function addRequirement(deps: Map<string, Dep>, requirement: string, evidence: string): void {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/.exec(requirement);
  if (!m?.[1]) return;
  const name = normalise(m[1]);
  if (deps.has(name)) return;
  deps.set(name, { extras: (m[2] ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean), evidence });
}

/** requirements.txt lines, following `-r other.txt` one level down (within the service). */
async function requirementDeps(dir: string, file: string, text: string, deps: Map<string, Dep>, at: (f: string) => string, level: number): Promise<void> {
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const include = /^(?:-r|--requirement)\s*=?\s*(\S+)/.exec(line);
    if (include?.[1] && level < 2) {
      const target = posix.normalize(posix.join(posix.dirname(file), include[1]));
      if (target.startsWith('..')) continue;
      const nested = await readText(join(dir, target));
      if (nested !== undefined) await requirementDeps(dir, target, nested, deps, at, level + 1);
      continue;
    }
    if (line.startsWith('-')) continue; // -e ., --index-url, -c constraints
    addRequirement(deps, line, `${at(file)}:${i + 1} ${line}`);
  }
}

// ------------------------------------------------------------------ framework

const FRAMEWORKS: ReadonlyArray<readonly [PythonFramework, RegExp]> = [
  ['django', /^(?!)/], // decided by manage.py, not by a code pattern
  ['fastapi', /^[ \t]*(\w+)[ \t]*(?::[ \t]*[\w.]+[ \t]*)?=[ \t]*(?:fastapi\.)?FastAPI\(/m],
  ['starlette', /^[ \t]*(\w+)[ \t]*(?::[ \t]*[\w.]+[ \t]*)?=[ \t]*(?:starlette\.applications\.|applications\.)?Starlette\(/m],
  ['flask', /^[ \t]*(\w+)[ \t]*(?::[ \t]*[\w.]+[ \t]*)?=[ \t]*(?:flask\.)?Flask\(|^def (create_app|make_app)\(/m],
  ['gradio', /^[ \t]*(?:import gradio\b|from gradio\b)/m],
  ['streamlit', /^[ \t]*(?:import streamlit\b|from streamlit\b)/m],
];

function chooseFramework(deps: Map<string, Dep>, files: PyFile[], paths: string[], warnings: string[], at: (f: string) => string): { fact: Fact<PythonFramework> } {
  const manage = paths.filter((p) => posix.basename(p) === 'manage.py')[0];
  const declared = FRAMEWORKS.filter(([fw]) => deps.has(fw) || (fw === 'django' && manage !== undefined))
    // FastAPI is built on Starlette; listing both names one framework.
    .filter(([fw]) => !(fw === 'starlette' && deps.has('fastapi')));
  if (declared.length === 0) return { fact: { value: 'none', evidence: 'no web framework in the dependencies' } };

  const used = declared.filter(([fw, pattern]) => (fw === 'django' ? manage !== undefined : files.some((f) => pattern.test(f.text))));
  const [chosen] = used.length > 0 ? used : declared;
  if (!chosen) return { fact: { value: 'none', evidence: 'no web framework in the dependencies' } };
  const [fw] = chosen;
  const dep = deps.get(fw);
  const evidence = dep?.evidence ?? `${at(manage ?? 'manage.py')} present`;
  if (used.length > 1) {
    warnings.push(`${used.map(([f]) => f).join(' and ')} are all used in the code: assuming ${fw}; say which one serves the app if not`);
  } else if (used.length === 0 && declared.length > 1) {
    warnings.push(`depends on ${declared.map(([f]) => f).join(' and ')} but none is used where expected: assuming ${fw}`);
  }
  return { fact: { value: fw, evidence } };
}

/** "src/pkg/api.py" gives { module: "pkg.api", srcDir: "src" } when src/ is a src-layout root (no __init__.py). */
function moduleOf(file: string, paths: string[]): { module: string; srcDir?: string } {
  let p = file.replace(/\.py$/, '').replace(/\/__init__$/, '');
  let srcDir: string | undefined;
  if (p.startsWith('src/') && !paths.includes('src/__init__.py')) {
    srcDir = 'src';
    p = p.slice(4);
  }
  return srcDir ? { module: p.replace(/\//g, '.'), srcDir } : { module: p.replace(/\//g, '.') };
}

interface AppObject {
  file: string;
  variable: string;
  factory: boolean;
  evidence: string;
}

/** Every `var = Framework(` (or `def create_app(`) in the code, shallow files first. */
function appObjects(files: PyFile[], pattern: RegExp): AppObject[] {
  const out: AppObject[] = [];
  const global = new RegExp(pattern.source, 'gm');
  for (const f of files) {
    const lines = f.text.split('\n');
    for (const m of f.text.matchAll(global)) {
      const factory = m[2] !== undefined;
      const variable = m[1] ?? m[2];
      if (!variable) continue;
      const line = f.text.slice(0, (m.index ?? 0) + m[0].indexOf(variable)).split('\n').length;
      out.push({ file: f.path, variable, factory, evidence: `${f.path}:${line} ${(lines[line - 1] ?? '').trim()}` });
    }
  }
  return out;
}

/** Picks the app the server should load: a variable named `app` in a conventional file first. */
function pickApp(objects: AppObject[], label: string, warnings: string[], at: (f: string) => string): AppObject | undefined {
  const score = (o: AppObject): number =>
    (o.factory ? 2 : o.variable === 'app' ? 0 : 1) * 100 + (CONVENTIONAL.includes(posix.basename(o.file)) ? 0 : 10) + o.file.split('/').length;
  const sorted = [...objects].sort((a, b) => score(a) - score(b) || compare(a.file, b.file));
  const [top] = sorted;
  if (!top) return undefined;
  const rivals = sorted.filter((o) => o !== top && score(o) === score(top));
  if (rivals.length > 0) {
    warnings.push(`several ${label} apps: ${[top, ...rivals].map((o) => `${at(o.file)} ${o.variable}`).join(', ')}; using ${at(top.file)} ${top.variable}. Say which one if not`);
  }
  return top;
}

function requireServer(deps: Map<string, Dep>, names: string[], server: string, hint: string, warnings: string[]): void {
  const extrasOk = server === 'uvicorn' && ['standard', 'all'].some((e) => deps.get('fastapi')?.extras.includes(e));
  if (!names.some((n) => deps.has(n)) && !extrasOk) warnings.push(`${server} is not in the dependencies: add it (${hint}) so the image can serve the app`);
}

function asgi(facts: PythonFacts, fw: 'fastapi' | 'starlette', files: PyFile[], paths: string[], deps: Map<string, Dep>, warnings: string[], at: (f: string) => string): void {
  const pattern = FRAMEWORKS.find(([f]) => f === fw)?.[1] as RegExp;
  const label = fw === 'fastapi' ? 'FastAPI' : 'Starlette';
  facts.server = { value: 'uvicorn', evidence: `${label} is an ASGI app; uvicorn serves it` };
  requireServer(deps, ['uvicorn', 'hypercorn'], 'uvicorn', fw === 'fastapi' ? 'uvicorn, or fastapi[standard]' : 'uvicorn', warnings);
  const port = codePort(files, undefined, warnings, at) ?? { value: 8000, evidence: "uvicorn's default port" };
  facts.port = port;
  const app = pickApp(appObjects(files, pattern), label, warnings, at);
  if (!app) {
    warnings.push(`no \`app = ${label}(\` found in ${at('.')}: pass the start command (uvicorn <module>:<app>)`);
    return;
  }
  const { module, srcDir } = moduleOf(app.file, paths);
  const target = `${module}:${app.variable}`;
  facts.entrypoint = { value: target, evidence: at(app.evidence) };
  facts.start = {
    value: `uvicorn ${target} --host 0.0.0.0 --port ${port.value}${srcDir ? ` --app-dir ${srcDir}` : ''}`,
    evidence: `${at(app.evidence)}${srcDir ? ` (src layout: --app-dir ${srcDir})` : ''}`,
  };
}

function flask(facts: PythonFacts, files: PyFile[], paths: string[], deps: Map<string, Dep>, warnings: string[], at: (f: string) => string): void {
  facts.server = { value: 'gunicorn', evidence: 'Flask is a WSGI app; gunicorn serves it (the built-in server is for development)' };
  requireServer(deps, ['gunicorn'], 'gunicorn', 'gunicorn', warnings);
  const port = codePort(files, undefined, warnings, at) ?? { value: 8000, evidence: "gunicorn's default port (Flask's development server's 5000 is not used in production)" };
  facts.port = port;
  const app = pickApp(appObjects(files, FRAMEWORKS.find(([f]) => f === 'flask')?.[1] as RegExp), 'Flask', warnings, at);
  if (!app) {
    warnings.push(`no \`app = Flask(\` or \`def create_app(\` found in ${at('.')}: pass the start command (gunicorn <module>:<app>)`);
    return;
  }
  const { module, srcDir } = moduleOf(app.file, paths);
  const target = `${module}:${app.variable}${app.factory ? '()' : ''}`;
  facts.entrypoint = { value: target, evidence: at(app.evidence) };
  facts.start = { value: `gunicorn --bind 0.0.0.0:${port.value}${srcDir ? ` --chdir ${srcDir}` : ''} ${target}`, evidence: at(app.evidence) };
}

function django(facts: PythonFacts, files: PyFile[], paths: string[], deps: Map<string, Dep>, warnings: string[], at: (f: string) => string): void {
  facts.server = { value: 'gunicorn', evidence: 'Django is a WSGI app; gunicorn serves it (runserver is for development)' };
  requireServer(deps, ['gunicorn'], 'gunicorn', 'gunicorn', warnings);
  const port = codePort(files, undefined, warnings, at) ?? { value: 8000, evidence: "gunicorn's and runserver's default port" };
  facts.port = port;

  // manage.py sits where Django's imports start: the root, or src/ and the like.
  const manage = files.filter((f) => posix.basename(f.path) === 'manage.py')[0];
  const base = manage ? posix.dirname(manage.path) : '.';
  const under = (p: string): string => (base === '.' ? p : `${base}/${p}`);
  const info: DjangoFacts = { collectstatic: { value: false, evidence: '' }, migrations: { value: false, evidence: '' } };
  facts.django = info;

  const setting = manage && lineMatch(manage, /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/);
  if (setting) info.settingsModule = { value: setting.value, evidence: at(setting.evidence) };
  else warnings.push(`no DJANGO_SETTINGS_MODULE default in ${at(manage?.path ?? 'manage.py')}: set it in the image's environment`);

  // The WSGI module beside the settings (mysite/settings.py -> mysite/wsgi.py; config/settings/prod.py -> config/wsgi.py).
  const parts = setting?.value.split('.') ?? [];
  let wsgiFile: string | undefined;
  for (let n = parts.length - 1; n >= 1 && !wsgiFile; n--) {
    const candidate = under(`${parts.slice(0, n).join('/')}/wsgi.py`);
    if (paths.includes(candidate)) wsgiFile = candidate;
  }
  wsgiFile ??= files.find((f) => posix.basename(f.path) === 'wsgi.py' && /get_wsgi_application\(/.test(f.text))?.path;
  const wsgi = wsgiFile ? files.find((f) => f.path === wsgiFile) : undefined;
  if (wsgi) {
    const variable = lineMatch(wsgi, /^(\w+)\s*=\s*get_wsgi_application\(/);
    const module = (base === '.' ? wsgi.path : wsgi.path.slice(base.length + 1)).replace(/\.py$/, '').replace(/\//g, '.');
    const target = `${module}:${variable?.value ?? 'application'}`;
    info.wsgiApplication = { value: target, evidence: at(variable?.evidence ?? wsgi.path) };
    facts.entrypoint = info.wsgiApplication;
    facts.start = { value: `gunicorn --bind 0.0.0.0:${port.value}${base === '.' ? '' : ` --chdir ${base}`} ${target}`, evidence: at(variable?.evidence ?? wsgi.path) };
  } else {
    warnings.push(`no wsgi.py with get_wsgi_application() found in ${at('.')}: pass the start command (gunicorn <project>.wsgi:application)`);
  }

  // Settings may be one module or a package (settings/base.py, settings/production.py): read them all.
  const settingsPath = parts.length > 0 ? under(parts.join('/')) : undefined;
  const settings = files.filter((f) => settingsPath !== undefined && (f.path === `${settingsPath}.py` || f.path.startsWith(`${settingsPath}/`)));
  const staticRoot = settings.map((f) => lineMatch(f, /^(STATIC_ROOT)\s*=/)).find((m) => m !== undefined);
  const staticfiles = settings.map((f) => lineMatch(f, /['"](django\.contrib\.staticfiles)['"]/)).find((m) => m !== undefined);
  if (staticRoot) {
    info.collectstatic = { value: true, evidence: at(staticRoot.evidence) };
    const whitenoise = deps.has('whitenoise') || settings.some((f) => /whitenoise/.test(f.text));
    if (!whitenoise) warnings.push(`${at(staticRoot.evidence.split(' ')[0] ?? '')}: gunicorn does not serve static files; add whitenoise or serve STATIC_ROOT from the web server`);
  } else if (staticfiles) {
    info.collectstatic = { value: false, evidence: `${at(staticfiles.evidence)} but no STATIC_ROOT` };
    warnings.push(`${at(staticfiles.evidence.split(' ')[0] ?? '')} uses django.contrib.staticfiles without STATIC_ROOT: collectstatic has nowhere to write; set STATIC_ROOT`);
  } else {
    info.collectstatic = { value: false, evidence: settings.length > 0 ? `no django.contrib.staticfiles in ${settings.map((f) => at(f.path)).join(', ')}` : 'settings module not found' };
  }

  const migrations = paths.filter((p) => /(?:^|\/)migrations\/0001_[^/]*\.py$/.test(p));
  info.migrations =
    migrations.length > 0
      ? { value: true, evidence: `${migrations.slice(0, 3).map(at).join(', ')}${migrations.length > 3 ? `, +${migrations.length - 3} more` : ''}` }
      : { value: false, evidence: `no */migrations/0001_*.py in ${at('.')}` };
}

/** README.md front matter `app_file:` (Hugging Face Spaces), the file the Space runs. */
async function spaceAppFile(dir: string, at: (f: string) => string): Promise<{ file: string; evidence: string } | undefined> {
  const readme = await readText(join(dir, 'README.md'), 64 * 1024);
  const front = readme && /^---\r?\n([\s\S]*?)\r?\n---/.exec(readme);
  if (!front) return undefined;
  const lines = (front[1] ?? '').split('\n');
  const i = lines.findIndex((l) => /^app_file:\s*\S+\.py\s*$/.test(l));
  if (i < 0) return undefined;
  const file = (lines[i] ?? '').replace(/^app_file:\s*/, '').trim().replace(/^['"]|['"]$/g, '');
  return { file, evidence: `${at('README.md')}:${i + 2} ${(lines[i] ?? '').trim()}` };
}

/** The file a runner starts: README app_file, else the one top-level file importing the framework (conventional names first). */
async function entryScript(dir: string, files: PyFile[], pattern: RegExp, label: string, warnings: string[], at: (f: string) => string): Promise<{ file: PyFile | undefined; path: string; evidence: string } | undefined> {
  const space = await spaceAppFile(dir, at);
  if (space) return { file: files.find((f) => f.path === space.file), path: space.file, evidence: space.evidence };
  const candidates = files.filter((f) => !f.path.includes('/') && pattern.test(f.text));
  const conventional = CONVENTIONAL.map((name) => candidates.find((f) => f.path === name)).find((f) => f !== undefined);
  const chosen = conventional ?? candidates[0];
  if (!chosen) {
    warnings.push(`no top-level file imports ${label} in ${at('.')}: pass the start command`);
    return undefined;
  }
  if (!conventional && candidates.length > 1) warnings.push(`several files import ${label}: ${candidates.map((f) => at(f.path)).join(', ')}; using ${at(chosen.path)}`);
  const line = lineMatch(chosen, pattern);
  return { file: chosen, path: chosen.path, evidence: at(line?.evidence ?? chosen.path) };
}

async function streamlit(facts: PythonFacts, dir: string, files: PyFile[], warnings: string[], at: (f: string) => string): Promise<void> {
  facts.server = { value: 'streamlit', evidence: 'Streamlit apps run under `streamlit run`' };
  const configText = await readText(join(dir, '.streamlit/config.toml'), 64 * 1024);
  const configPort = configText ? parseToml(configText).get('server')?.get('port') : undefined;
  const port: Fact<number> = configPort && /^\d{2,5}$/.test(configPort.raw) ? { value: Number(configPort.raw), evidence: `${at('.streamlit/config.toml')}:${configPort.line} port = ${configPort.raw}` } : { value: 8501, evidence: "Streamlit's default port" };
  facts.port = port;
  facts.healthPath ??= { value: '/_stcore/health', evidence: "Streamlit's built-in health endpoint" };
  const entry = await entryScript(dir, files, /^\s*(?:import streamlit\b|from streamlit\b)/m, 'streamlit', warnings, at);
  if (!entry) return;
  facts.entrypoint = { value: entry.path, evidence: entry.evidence };
  facts.start = { value: `streamlit run ${entry.path} --server.port ${port.value} --server.address 0.0.0.0`, evidence: entry.evidence };
}

async function gradio(facts: PythonFacts, dir: string, files: PyFile[], warnings: string[], at: (f: string) => string): Promise<void> {
  facts.server = { value: 'python', evidence: 'a Gradio app serves itself from `.launch()`' };
  const entry = await entryScript(dir, files, /^\s*(?:import gradio\b|from gradio\b)/m, 'gradio', warnings, at);
  const file = entry?.file;
  const launchPort = file && lineMatch(file, /\bserver_port\s*=\s*(\d{2,5})\b/);
  const envPort = file && lineMatch(file, /['"]GRADIO_SERVER_PORT['"]\s*,\s*['"]?(\d{2,5})/);
  const portMatch = launchPort ?? envPort;
  facts.port = portMatch ? { value: Number(portMatch.value), evidence: at(portMatch.evidence) } : { value: 7860, evidence: "Gradio's default port (GRADIO_SERVER_PORT)" };
  const name = file && lineMatch(file, /\bserver_name\s*=\s*['"]([^'"]*)['"]/);
  if (name) {
    facts.bindHost = { value: name.value, evidence: at(name.evidence) };
    if (isLoopback(name.value)) warnings.push(`${at(name.evidence)}: Gradio listens on ${name.value} only, unreachable from outside the container; use server_name="0.0.0.0"`);
  }
  if (!entry) return;
  facts.entrypoint = { value: entry.path, evidence: entry.evidence };
  facts.start = { value: `python ${entry.path}`, evidence: entry.evidence };
}

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
  if (others.length > 0) warnings.push(`several runnable scripts: ${[chosen, ...others].map((s) => at(s.file.path)).join(', ')}; using ${at(chosen.file.path)}`);
  facts.framework = { value: 'none', evidence: `no web framework in the dependencies; ${at(chosen.evidence)}` };
  facts.server = { value: 'python', evidence: chosen.serves ? `${at(chosen.evidence)} (the script serves HTTP itself)` : at(chosen.evidence) };
  facts.entrypoint = { value: chosen.file.path, evidence: at(chosen.evidence) };
  facts.start = { value: `python ${chosen.file.path}`, evidence: at(chosen.evidence) };
  const port = codePort([chosen.file], chosen.file.path, warnings, at);
  if (port) facts.port = port;
  const host = lineMatch(chosen.file, /(?:HTTPServer|TCPServer|make_server)\(\s*\(?\s*['"]([^'"]*)['"]/);
  if (host) {
    facts.bindHost = { value: host.value === '' ? '0.0.0.0' : host.value, evidence: at(host.evidence) };
    if (isLoopback(host.value)) warnings.push(`${at(host.evidence)}: the server listens on ${host.value} only, unreachable from outside the container; bind to "" or "0.0.0.0"`);
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1';
}

// ------------------------------------------------------------------ code facts: port and health

/** The first line of `file` matching `pattern` (group 1 is the value), with "file:line text" evidence. */
function lineMatch(file: PyFile, pattern: RegExp): { value: string; evidence: string } | undefined {
  const single = new RegExp(pattern.source, pattern.flags.replace(/[gm]/g, ''));
  for (const [i, line] of file.text.split('\n').entries()) {
    if (/^\s*#/.test(line)) continue;
    const m = single.exec(line);
    if (m) return { value: m[1] ?? m[0], evidence: codeEvidence(file.path, i + 1, line) };
  }
  return undefined;
}

const PORT_PATTERNS: ReadonlyArray<readonly [rank: number, pattern: RegExp]> = [
  // uvicorn.run(app, port=8080), app.run(port=5001), demo.launch(server_port=7861), make_server("", 8000, app)
  [0, /\b(?:run|launch|serve|make_server|HTTPServer|TCPServer|ThreadingHTTPServer)\(.*?\b(?:server_)?port\s*=\s*(\d{2,5})\b/],
  [0, /(?:HTTPServer|TCPServer|make_server)\(\s*\(?\s*['"][^'"]*['"]\s*,\s*(\d{2,5})\b/],
  // int(os.environ.get("PORT", 8080)), os.getenv('PORT', '5000')
  [0, /['"]PORT['"]\s*,\s*['"]?(\d{2,5})\b/],
  [1, /^\s*PORT\s*(?::\s*int\s*)?=\s*(\d{2,5})\b/],
  [2, /\b(?:server_)?port\s*=\s*(\d{2,5})\b/i],
];

/** A port the code names, best pattern first, then the entry file, then walk order (shallow first). */
function codePort(files: PyFile[], entry: string | undefined, warnings: string[], at: (f: string) => string): Fact<number> | undefined {
  const matches: PortMatch[] = [];
  for (const file of files) {
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*#/.test(line)) return;
      for (const [rank, pattern] of PORT_PATTERNS) {
        const port = Number(pattern.exec(line)?.[1]);
        if (!port || port > 65535 || (rank === 2 && SERVICE_PORTS.has(port))) continue;
        matches.push({ value: port, rank: rank * 2 + (entry === undefined || entry === file.path ? 0 : 1), evidence: at(codeEvidence(file.path, i + 1, line)), file: file.path, line: i + 1 });
        break;
      }
    });
  }
  return choosePort(matches, warnings, at);
}

const ROUTE_PATH = `((?:/[\\w.-]+)*/${HEALTH_SEGMENT}/?)`;
const HEALTH_PATTERNS: RegExp[] = [
  // @app.get("/health"), @router.api_route("/healthz"), @bp.route("/ping")
  new RegExp(`@\\w+(?:\\.\\w+)*\\.(?:get|head|route|api_route)\\(\\s*['"]${ROUTE_PATH}['"]`),
  // app.add_api_route("/health", ...), app.add_url_rule("/health", ...), Starlette Route("/health", ...)
  new RegExp(`\\b(?:add_api_route|add_url_rule|Route)\\(\\s*['"]${ROUTE_PATH}['"]`),
];
/** Django: path("healthz/", ...), re_path(r"^health/$", ...): no leading slash, usually a trailing one. */
const DJANGO_HEALTH = new RegExp(`\\b(?:re_)?path\\(\\s*r?['"]\\^?((?:[\\w.-]+/)*${HEALTH_SEGMENT}/?)\\$?['"]`);

function healthPath(files: PyFile[], at: (f: string) => string): Fact<string> | undefined {
  const found: Array<Candidate<string>> = [];
  for (const file of files) {
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*#/.test(line)) return;
      for (const pattern of HEALTH_PATTERNS) {
        const m = pattern.exec(line);
        if (m?.[1]) found.push({ value: m[1], rank: healthRank(m[1]), evidence: at(codeEvidence(file.path, i + 1, line)) });
      }
      const django = DJANGO_HEALTH.exec(line);
      if (django?.[1]) found.push({ value: `/${django[1]}`, rank: healthRank(`/${django[1]}`), evidence: at(codeEvidence(file.path, i + 1, line)) });
    });
  }
  const top = best(found);
  return top && { value: top.value, evidence: top.evidence };
}
