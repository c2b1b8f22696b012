import { join, posix } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { readText } from '../../src/detect/shared.js';
import { parseToml } from '../../src/detect/toml.js';
import { compare } from '../../src/detect/walk.js';
import { CONVENTIONAL, codePort, isLoopback, lineMatch, type PyFile } from './code.js';
import type { Dep } from './manager.js';
import type { DjangoFacts, PythonFacts, PythonFramework } from './types.js';
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

/** Every module-level `var = Framework(` (or `def create_app(`) in the code, shallow files first. */
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
function requireServer(facts: PythonFacts, deps: Map<string, Dep>, names: string[], server: 'gunicorn' | 'uvicorn', hint: string, warnings: string[]): void {
  const extrasOk = server === 'uvicorn' && ['standard', 'all'].some((e) => deps.get('fastapi')?.extras.includes(e));
  if (names.some((n) => deps.has(n)) || extrasOk) return;
  const pinned = `${server}==${PYTHON_SERVERS[server]}`;
  facts.serverMissing = { value: true, evidence: `${server} is not in the dependencies: the image installs ${pinned}` };
  warnings.push(`${server} is not in the dependencies: the image installs ${pinned}; add it (${hint}) to choose its version`);
}

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

/** ASGI servers a Django project may declare; the kit runs uvicorn, and says what it does about the others. */
const ASGI_SERVERS = ['uvicorn', 'granian', 'daphne', 'hypercorn'];

export function django(facts: PythonFacts, files: PyFile[], paths: string[], deps: Map<string, Dep>, warnings: string[], at: (f: string) => string): void {
  // manage.py sits where Django's imports start: the root, or src/ and the like.
  const manage = files.filter((f) => posix.basename(f.path) === 'manage.py')[0];
  const base = manage ? posix.dirname(manage.path) : '.';
  const under = (p: string): string => (base === '.' ? p : `${base}/${p}`);
  const info: DjangoFacts = { collectstatic: { value: false, evidence: '' }, migrations: { value: false, evidence: '' } };
  facts.django = info;

  const SETTING = /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/;
  const manageSetting = manage && lineMatch(manage, SETTING);

  // The WSGI and ASGI modules beside the settings (mysite/settings.py -> mysite/wsgi.py; config/settings/prod.py ->
  // config/wsgi.py); an asgi/ package's __init__.py is its module.
  const parts = manageSetting?.value.split('.') ?? [];
  const beside = (names: string[]): string | undefined => {
    for (let n = parts.length - 1; n >= 1; n--) {
      const found = names.map((name) => under(`${parts.slice(0, n).join('/')}/${name}`)).find((c) => paths.includes(c));
      if (found) return found;
    }
    return undefined;
  };
  const wsgiFile = beside(['wsgi.py']) ?? files.find((f) => posix.basename(f.path) === 'wsgi.py' && /get_wsgi_application\(/.test(f.text))?.path;
  const wsgi = wsgiFile ? files.find((f) => f.path === wsgiFile) : undefined;
  const asgiFile = beside(['asgi.py', 'asgi/__init__.py']);
  const asgiModule = asgiFile ? files.find((f) => f.path === asgiFile) : undefined;
  const asgiApp = asgiModule && lineMatch(asgiModule, /^(application)\s*=/);
  const asgiServer = ASGI_SERVERS.find((n) => deps.has(n));
  // A project that declares uvicorn, or has an ASGI application and no WSGI one, is served over ASGI by uvicorn.
  const overAsgi = asgiModule !== undefined && asgiApp !== undefined && (asgiServer === 'uvicorn' || !wsgi);
  if (overAsgi) {
    const why = asgiServer === 'uvicorn' ? `${deps.get('uvicorn')?.evidence} and ${at(asgiApp.evidence)}` : `${at(asgiApp.evidence)} and no wsgi.py`;
    facts.server = { value: 'uvicorn', evidence: `Django served over ASGI (${why})` };
    requireServer(facts, deps, ['uvicorn'], 'uvicorn', 'uvicorn', warnings);
  } else {
    facts.server = { value: 'gunicorn', evidence: 'Django is a WSGI app; gunicorn serves it (runserver is for development)' };
    requireServer(facts, deps, ['gunicorn'], 'gunicorn', 'gunicorn', warnings);
    if (asgiServer && asgiApp && wsgi)
      warnings.push(
        `${deps.get(asgiServer)?.evidence}: the project serves ${at(asgiApp.evidence.split(' ')[0] ?? '')} with ${asgiServer}, ` +
          `which deploy-kit does not run: the kit serves its WSGI app with gunicorn (no websockets); to stay on ASGI, add uvicorn to the dependencies`,
      );
  }
  const server = facts.server.value;
  const port = codePort(files, undefined, warnings, at) ?? { value: 8000, evidence: `${server}'s and runserver's default port` };
  facts.port = port;

  // The server loads wsgi.py, so its default is the production one; manage.py's often names development settings.
  const wsgiSetting = wsgi && lineMatch(wsgi, SETTING);
  const differs = wsgiSetting !== undefined && manageSetting !== undefined && wsgiSetting.value !== manageSetting.value;
  let setting = differs ? wsgiSetting : (manageSetting ?? wsgiSetting);
  // Both defaults name development settings (settings/dev.py) beside production ones (settings/prod.py): the image runs production.
  const prod = setting && productionSibling(setting.value, paths, under);
  if (setting && prod) setting = { value: prod, evidence: `${setting.evidence} names development settings; ${prod.replace(/\./g, '/')}.py is production's` };
  if (setting) {
    info.settingsModule = {
      value: setting.value,
      evidence: `${at(setting.evidence)}${differs && !prod ? ` (what the server loads; ${at(manageSetting.evidence)} names ${manageSetting.value})` : ''}`,
    };
  } else warnings.push(`no DJANGO_SETTINGS_MODULE default in ${at(manage?.path ?? 'manage.py')}: set it in the image's environment`);

  if (overAsgi) {
    const module = (base === '.' ? asgiModule.path : asgiModule.path.slice(base.length + 1)).replace(/(?:\/__init__)?\.py$/, '').replace(/\//g, '.');
    const target = `${module}:application`;
    facts.entrypoint = { value: target, evidence: at(asgiApp.evidence) };
    facts.start = {
      value: `uvicorn ${target} --host 0.0.0.0 --port ${port.value}${base === '.' ? '' : ` --app-dir ${base}`}`,
      evidence: at(asgiApp.evidence),
    };
  } else if (wsgi) {
    const variable = lineMatch(wsgi, /^(\w+)\s*=\s*get_wsgi_application\(/);
    const module = (base === '.' ? wsgi.path : wsgi.path.slice(base.length + 1)).replace(/\.py$/, '').replace(/\//g, '.');
    const target = `${module}:${variable?.value ?? 'application'}`;
    info.wsgiApplication = { value: target, evidence: at(variable?.evidence ?? wsgi.path) };
    facts.entrypoint = info.wsgiApplication;
    facts.start = {
      value: `gunicorn --bind 0.0.0.0:${port.value}${base === '.' ? '' : ` --chdir ${base}`} ${target}`,
      evidence: at(variable?.evidence ?? wsgi.path),
    };
  } else {
    warnings.push(
      `no wsgi.py with get_wsgi_application() (nor an asgi module with \`application =\`) found in ${at('.')}: ` +
        `pass the start command (gunicorn <project>.wsgi:application)`,
    );
  }

  const settings = settingsFiles(setting?.value, files, under);
  const staticRoot = settings.map((f) => lineMatch(f, /^(STATIC_ROOT)\s*=/)).find((m) => m !== undefined);
  const staticfiles = settings.map((f) => lineMatch(f, /['"](django\.contrib\.staticfiles)['"]/)).find((m) => m !== undefined);
  if (staticRoot) {
    info.collectstatic = { value: true, evidence: at(staticRoot.evidence) };
    const whitenoise = deps.has('whitenoise') || settings.some((f) => /whitenoise/.test(f.text));
    if (!whitenoise)
      warnings.push(
        `${at(staticRoot.evidence.split(' ')[0] ?? '')}: ${server} does not serve static files; add whitenoise or serve STATIC_ROOT from the web server`,
      );
  } else if (staticfiles) {
    info.collectstatic = { value: false, evidence: `${at(staticfiles.evidence)} but no STATIC_ROOT` };
    warnings.push(
      `${at(staticfiles.evidence.split(' ')[0] ?? '')} uses django.contrib.staticfiles without STATIC_ROOT: collectstatic has nowhere to write; ` +
        `set STATIC_ROOT`,
    );
  } else {
    info.collectstatic = {
      value: false,
      evidence: settings.length > 0 ? `no django.contrib.staticfiles in ${settings.map((f) => at(f.path)).join(', ')}` : 'settings module not found',
    };
  }

  const migrations = paths.filter((p) => /(?:^|\/)migrations\/0001_[^/]*\.py$/.test(p));
  info.migrations =
    migrations.length > 0
      ? { value: true, evidence: `${migrations.slice(0, 3).map(at).join(', ')}${migrations.length > 3 ? `, +${migrations.length - 3} more` : ''}` }
      : { value: false, evidence: `no */migrations/0001_*.py in ${at('.')}` };
}

/** `x.settings.dev` (or local, development) when `x/settings/prod.py` (or production.py) exists: that module. */
function productionSibling(module: string, paths: string[], under: (p: string) => string): string | undefined {
  const m = /^(.+)\.(?:dev|develop|development|local)$/.exec(module);
  if (!m?.[1]) return undefined;
  const name = ['prod', 'production'].find((n) => paths.includes(under(`${m[1]!.replace(/\./g, '/')}/${n}.py`)));
  return name && `${m[1]}.${name}`;
}

/**
 * The files a settings module reads: the module (or every file of a settings package), and the
 * modules it star-imports (`from .base import *`, `from config.settings.base import *`), followed.
 */
function settingsFiles(module: string | undefined, files: PyFile[], under: (p: string) => string): PyFile[] {
  if (module === undefined) return [];
  const out: PyFile[] = [];
  const queue = [module];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const mod = queue.shift() ?? '';
    if (seen.has(mod)) continue;
    seen.add(mod);
    const path = under(mod.split('.').join('/'));
    const found = files.filter((f) => f.path === `${path}.py` || f.path === `${path}/__init__.py` || (mod === module && f.path.startsWith(`${path}/`)));
    for (const file of found) {
      if (out.includes(file)) continue;
      out.push(file);
      for (const m of file.text.matchAll(/^from\s+(\.*)([\w.]*)\s+import\s+\*/gm)) {
        const [, dots = '', name = ''] = m;
        if (dots === '') queue.push(name);
        else {
          // Relative to the file's package: one dot is its own package, each more goes up one.
          const pkg = (file.path.endsWith('/__init__.py') ? mod : mod.split('.').slice(0, -1).join('.')).split('.');
          const parent = pkg.slice(0, pkg.length - (dots.length - 1));
          queue.push([...parent, ...(name ? [name] : [])].join('.'));
        }
      }
    }
  }
  return out;
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
