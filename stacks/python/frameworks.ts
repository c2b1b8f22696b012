import { join, posix } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { readText } from '../../src/detect/shared.js';
import { parseToml } from '../../src/detect/toml.js';
import { compare } from '../../src/detect/walk.js';
import { CONVENTIONAL, codePort, isLoopback, lineMatch, type PyFile } from './code.js';
import type { Dep } from './manager.js';
import type { PythonFacts, PythonFramework } from './types.js';
import { PYTHON_SERVERS } from '../../src/versions.js';

/**
 * Which web framework serves a Python app, and for each one what the server loads and how it
 * starts: uvicorn for FastAPI and Starlette, gunicorn for Flask and Django, Streamlit's runner,
 * Gradio's own launch().
 */

const FRAMEWORKS: ReadonlyArray<readonly [PythonFramework, RegExp]> = [
  ['django', /^(?!)/], // decided by manage.py, not by a code pattern
  ['fastapi', /^[ \t]*(\w+)[ \t]*(?::[ \t]*[\w.]+[ \t]*)?=[ \t]*(?:fastapi\.)?FastAPI\(/m],
  ['starlette', /^[ \t]*(\w+)[ \t]*(?::[ \t]*[\w.]+[ \t]*)?=[ \t]*(?:starlette\.applications\.|applications\.)?Starlette\(/m],
  ['flask', /^[ \t]*(\w+)[ \t]*(?::[ \t]*[\w.]+[ \t]*)?=[ \t]*(?:flask\.)?Flask\(|^def (create_app|make_app)\(/m],
  ['gradio', /^[ \t]*(?:import gradio\b|from gradio\b)/m],
  ['streamlit', /^[ \t]*(?:import streamlit\b|from streamlit\b)/m],
];

export function chooseFramework(
  deps: Map<string, Dep>,
  files: PyFile[],
  paths: string[],
  warnings: string[],
  at: (f: string) => string,
): { fact: Fact<PythonFramework> } {
  // A manage.py is Django's only when it runs Django's management (a Litestar app ships its own CLI under that name).
  const manage = paths.filter(
    (p) => posix.basename(p) === 'manage.py' && (deps.has('django') || /\bDJANGO_SETTINGS_MODULE\b|\bdjango\b/.test(files.find((f) => f.path === p)?.text ?? '')),
  )[0];
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

/** The framework's constructor called anywhere on a line: `FastAPI(`, `Starlette(`, `Flask(`. */
const CONSTRUCTORS: Partial<Record<PythonFramework, RegExp>> = {
  fastapi: /\bFastAPI\(/,
  starlette: /\bStarlette\(/,
  flask: /\bFlask\(/,
};

/** Top-level functions whose body calls the constructor (`def create_application() -> FastAPI:` building the app): app factories. */
function factoryNames(files: PyFile[], ctor: RegExp): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    let current: string | undefined;
    for (const line of f.text.split('\n')) {
      const def = /^(?:async\s+)?def\s+(\w+)\s*\(/.exec(line);
      if (def) current = def[1];
      else if (/^[^\s#@)\]]/.test(line)) current = undefined;
      else if (current && /^\s/.test(line) && ctor.test(line)) names.add(current);
    }
  }
  return names;
}

/** Every module-level `var = Framework(` (or `def create_app(`) in the code, shallow files first. */
function appObjects(files: PyFile[], pattern: RegExp, ctor?: RegExp): AppObject[] {
  const out: AppObject[] = [];
  const global = new RegExp(pattern.source, 'gm');
  for (const f of files) {
    const lines = f.text.split('\n');
    for (const m of f.text.matchAll(global)) {
      const factory = m[2] !== undefined;
      const variable = m[1] ?? m[2];
      if (!variable) continue;
      // An indented `app = Flask(` is a local inside a function (an app factory): not what a server can load.
      if (!factory && /^[ \t]/.test(m[0])) continue;
      const line = f.text.slice(0, (m.index ?? 0) + m[0].indexOf(variable)).split('\n').length;
      out.push({ file: f.path, variable, factory, evidence: `${f.path}:${line} ${(lines[line - 1] ?? '').trim()}` });
    }
  }
  // `app = create_application()` at a module's top level: the instance a factory built is what the server loads.
  const factories = ctor ? factoryNames(files, ctor) : new Set<string>();
  for (const o of out) if (o.factory) factories.add(o.variable);
  if (factories.size === 0) return out;
  const call = new RegExp(`^(\\w+)[ \\t]*(?::[ \\t]*[\\w.]+[ \\t]*)?=[ \\t]*(?:\\w+\\.)*(${[...factories].join('|')})\\([^()]*\\)[ \\t]*(?:#.*)?$`);
  for (const f of files) {
    f.text.split('\n').forEach((text, i) => {
      const m = call.exec(text);
      if (m?.[1] && !out.some((o) => o.file === f.path && o.variable === m[1] && !o.factory))
        out.push({ file: f.path, variable: m[1], factory: false, evidence: `${f.path}:${i + 1} ${text.trim()}` });
    });
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
    warnings.push(
      `several ${label} apps: ${[top, ...rivals].map((o) => `${at(o.file)} ${o.variable}`).join(', ')}; using ${at(top.file)} ${top.variable}. Say ` +
        `which one if not`,
    );
  }
  return top;
}

/** A server the dependencies lack is installed by the image, pinned; the evidence and a warning say so. */
export function requireServer(facts: PythonFacts, deps: Map<string, Dep>, names: string[], server: 'gunicorn' | 'uvicorn', hint: string, warnings: string[]): void {
  const extrasOk = server === 'uvicorn' && ['standard', 'all'].some((e) => deps.get('fastapi')?.extras.includes(e));
  if (names.some((n) => deps.has(n)) || extrasOk) return;
  const pinned = `${server}==${PYTHON_SERVERS[server]}`;
  facts.serverMissing = { value: true, evidence: `${server} is not in the dependencies: the image installs ${pinned}` };
  // The server the repo runs itself (uWSGI from a Procfile, waitress): said, so the switch is not a surprise.
  const own = OTHER_SERVERS.find((n) => deps.has(n) && !names.includes(n));
  const theirs = own ? ` (the repo declares ${deps.get(own)?.evidence}, a server deploy-kit does not run)` : '';
  warnings.push(`${server} is not in the dependencies${theirs}: the image installs ${pinned}; add it (${hint}) to choose its version`);
}

/** Servers a repository may declare that deploy-kit does not start: it runs gunicorn or uvicorn instead. */
const OTHER_SERVERS = ['uwsgi', 'waitress', 'granian', 'daphne', 'hypercorn', 'bjoern', 'meinheld'];

export function asgi(
  facts: PythonFacts,
  fw: 'fastapi' | 'starlette',
  files: PyFile[],
  paths: string[],
  deps: Map<string, Dep>,
  warnings: string[],
  at: (f: string) => string,
): void {
  const pattern = FRAMEWORKS.find(([f]) => f === fw)?.[1] as RegExp;
  const label = fw === 'fastapi' ? 'FastAPI' : 'Starlette';
  facts.server = { value: 'uvicorn', evidence: `${label} is an ASGI app; uvicorn serves it` };
  requireServer(facts, deps, ['uvicorn', 'hypercorn'], 'uvicorn', fw === 'fastapi' ? 'uvicorn, or fastapi[standard]' : 'uvicorn', warnings);
  const port = codePort(files, undefined, warnings, at) ?? { value: 8000, evidence: "uvicorn's default port" };
  facts.port = port;
  const app = pickApp(appObjects(files, pattern, CONSTRUCTORS[fw]), label, warnings, at);
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

export function flask(facts: PythonFacts, files: PyFile[], paths: string[], deps: Map<string, Dep>, warnings: string[], at: (f: string) => string): void {
  facts.server = { value: 'gunicorn', evidence: 'Flask is a WSGI app; gunicorn serves it (the built-in server is for development)' };
  requireServer(facts, deps, ['gunicorn'], 'gunicorn', 'gunicorn', warnings);
  const port = codePort(files, undefined, warnings, at) ?? {
    value: 8000,
    evidence: "gunicorn's default port (Flask's development server's 5000 is not used in production)",
  };
  facts.port = port;
  const app = pickApp(appObjects(files, FRAMEWORKS.find(([f]) => f === 'flask')?.[1] as RegExp, CONSTRUCTORS.flask), 'Flask', warnings, at);
  if (!app) {
    warnings.push(`no \`app = Flask(\` or \`def create_app(\` found in ${at('.')}: pass the start command (gunicorn <module>:<app>)`);
    return;
  }
  const { module, srcDir } = moduleOf(app.file, paths);
  const target = `${module}:${app.variable}${app.factory ? '()' : ''}`;
  facts.entrypoint = { value: target, evidence: at(app.evidence) };
  facts.start = { value: `gunicorn --bind 0.0.0.0:${port.value}${srcDir ? ` --chdir ${srcDir}` : ''} ${target}`, evidence: at(app.evidence) };
}

/** README.md front matter `app_file:` (Hugging Face Spaces), the file the Space runs. */
async function spaceAppFile(dir: string, at: (f: string) => string): Promise<{ file: string; evidence: string } | undefined> {
  const readme = await readText(join(dir, 'README.md'), 64 * 1024);
  const front = readme && /^---\r?\n([\s\S]*?)\r?\n---/.exec(readme);
  if (!front) return undefined;
  const lines = (front[1] ?? '').split('\n');
  const i = lines.findIndex((l) => /^app_file:\s*\S+\.py\s*$/.test(l));
  if (i < 0) return undefined;
  const file = (lines[i] ?? '')
    .replace(/^app_file:\s*/, '')
    .trim()
    .replace(/^['"]|['"]$/g, '');
  return { file, evidence: `${at('README.md')}:${i + 2} ${(lines[i] ?? '').trim()}` };
}

/** The file a runner starts: README app_file, else the one top-level file importing the framework (conventional names first). */
async function entryScript(
  dir: string,
  files: PyFile[],
  pattern: RegExp,
  label: string,
  warnings: string[],
  at: (f: string) => string,
): Promise<{ file: PyFile | undefined; path: string; evidence: string } | undefined> {
  const space = await spaceAppFile(dir, at);
  if (space) return { file: files.find((f) => f.path === space.file), path: space.file, evidence: space.evidence };
  const candidates = files.filter((f) => !f.path.includes('/') && pattern.test(f.text));
  const conventional = CONVENTIONAL.map((name) => candidates.find((f) => f.path === name)).find((f) => f !== undefined);
  const chosen = conventional ?? candidates[0];
  if (!chosen) {
    warnings.push(`no top-level file imports ${label} in ${at('.')}: pass the start command`);
    return undefined;
  }
  if (!conventional && candidates.length > 1)
    warnings.push(`several files import ${label}: ${candidates.map((f) => at(f.path)).join(', ')}; using ${at(chosen.path)}`);
  const line = lineMatch(chosen, pattern);
  return { file: chosen, path: chosen.path, evidence: at(line?.evidence ?? chosen.path) };
}

export async function streamlit(facts: PythonFacts, dir: string, files: PyFile[], warnings: string[], at: (f: string) => string): Promise<void> {
  facts.server = { value: 'streamlit', evidence: 'Streamlit apps run under `streamlit run`' };
  const configText = await readText(join(dir, '.streamlit/config.toml'), 64 * 1024);
  const configPort = configText ? parseToml(configText).get('server')?.get('port') : undefined;
  const port: Fact<number> =
    configPort && /^\d{2,5}$/.test(configPort.raw)
      ? { value: Number(configPort.raw), evidence: `${at('.streamlit/config.toml')}:${configPort.line} port = ${configPort.raw}` }
      : { value: 8501, evidence: "Streamlit's default port" };
  facts.port = port;
  facts.healthPath ??= { value: '/_stcore/health', evidence: "Streamlit's built-in health endpoint" };
  const entry = await entryScript(dir, files, /^\s*(?:import streamlit\b|from streamlit\b)/m, 'streamlit', warnings, at);
  if (!entry) return;
  facts.entrypoint = { value: entry.path, evidence: entry.evidence };
  facts.start = { value: `streamlit run ${entry.path} --server.port ${port.value} --server.address 0.0.0.0`, evidence: entry.evidence };
}

export async function gradio(facts: PythonFacts, dir: string, files: PyFile[], warnings: string[], at: (f: string) => string): Promise<void> {
  facts.server = { value: 'python', evidence: 'a Gradio app serves itself from `.launch()`' };
  const entry = await entryScript(dir, files, /^\s*(?:import gradio\b|from gradio\b)/m, 'gradio', warnings, at);
  const file = entry?.file;
  const launchPort = file && lineMatch(file, /\bserver_port\s*=\s*(\d{2,5})\b/);
  const envPort = file && lineMatch(file, /['"]GRADIO_SERVER_PORT['"]\s*,\s*['"]?(\d{2,5})/);
  const portMatch = launchPort ?? envPort;
  facts.port = portMatch
    ? { value: Number(portMatch.value), evidence: at(portMatch.evidence) }
    : { value: 7860, evidence: "Gradio's default port (GRADIO_SERVER_PORT)" };
  const name = file && lineMatch(file, /\bserver_name\s*=\s*['"]([^'"]*)['"]/);
  if (name) {
    facts.bindHost = { value: name.value, evidence: at(name.evidence) };
    if (isLoopback(name.value))
      warnings.push(`${at(name.evidence)}: Gradio listens on ${name.value} only, unreachable from outside the container; use server_name="0.0.0.0"`);
  }
  if (!entry) return;
  facts.entrypoint = { value: entry.path, evidence: entry.evidence };
  facts.start = { value: `python ${entry.path}`, evidence: entry.evidence };
}
