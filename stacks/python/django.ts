import { posix } from 'node:path';
import { codePort, lineMatch, type PyFile } from './code.js';
import { requireServer } from './frameworks.js';
import type { Dep } from './manager.js';
import type { DjangoFacts, PythonFacts } from './types.js';

/**
 * Django: what the server loads (the WSGI application, or the ASGI one when the project runs
 * uvicorn), the settings module the image runs, collectstatic and migrations.
 */

/** ASGI servers a Django project may declare; the kit runs uvicorn, and says what it does about the others. */
const ASGI_SERVERS = ['uvicorn', 'granian', 'daphne', 'hypercorn'];

/** A module-level assignment of `name`, annotated or not (`STATIC_ROOT: str = ...`), never a comparison. */
const ANNOTATED = (name: string) => new RegExp(`^(${name})\\s*(?::[^=\\n]*)?=(?!=)`);

export function django(
  facts: PythonFacts,
  files: PyFile[],
  paths: string[],
  deps: Map<string, Dep>,
  warnings: string[],
  at: (f: string) => string,
  extras: Map<string, Dep> = new Map(),
): void {
  // manage.py sits where Django's imports start: the root, or src/ and the like.
  const manage = files.filter((f) => posix.basename(f.path) === 'manage.py')[0];
  const base = manage ? posix.dirname(manage.path) : '.';
  const under = (p: string): string => (base === '.' ? p : `${base}/${p}`);
  const info: DjangoFacts = { collectstatic: { value: false, evidence: '' }, migrations: { value: false, evidence: '' } };
  facts.django = info;
  if (manage && base !== '.') info.manageDir = { value: base, evidence: `${at(manage.path)} (collectstatic and migrate run it from the image's root)` };

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
  const asgiApp = asgiModule && lineMatch(asgiModule, ANNOTATED('application'));
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
    // A server in an extra (`pip install .[webserver]`) is the project's choice too, though the image does not install it.
    const declared = asgiServer ?? ASGI_SERVERS.find((n) => extras.has(n));
    const evidence = declared && (deps.get(declared) ?? extras.get(declared))?.evidence;
    if (declared && asgiApp && wsgi)
      warnings.push(
        `${evidence}: the project serves ${at(asgiApp.evidence.split(' ')[0] ?? '')} with ${declared}, ` +
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
    const variable = lineMatch(wsgi, /^(\w+)\s*(?::[^=\n]*)?=\s*get_wsgi_application\(/);
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
  const staticRoot = settings.map((f) => lineMatch(f, ANNOTATED('STATIC_ROOT'))).find((m) => m !== undefined);
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

  // settings.py reading a local module that only exists as an example (configuration_example.py, local_settings_sample.py):
  // the file is made at install time and kept out of git, so the image has none and the app cannot start.
  for (const f of settings) {
    const dir = posix.dirname(f.path);
    for (const p of paths) {
      const example = /^(\w+?)_(?:example|sample|template|dist)\.py$/.exec(posix.basename(p))?.[1];
      if (!example || posix.dirname(p) !== dir || paths.includes(posix.join(dir, `${example}.py`))) continue;
      if (!new RegExp(`\\b${example}\\b`).test(f.text)) continue;
      warnings.push(
        `${at(f.path)} reads ${example}, which is not in the repository (only ${at(p)} is): the image has none and the app cannot start; ` +
          `commit a ${at(posix.join(dir, `${example}.py`))} that reads its values (secrets included) from the environment`,
      );
    }
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
