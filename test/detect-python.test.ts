import { cpSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixture, scratch } from './_scratch.js';
import { detectPython, pythonMinor } from '../stacks/python/detect.js';
import { PYTHON_DEFAULT, PYTHON_SERVERS } from '../src/versions.js';

const dirs = scratch('py');
const { copy, write, replace: replaceIn } = dirs;
test.after(dirs.cleanup);

// ---------------------------------------------------------------- per framework

test('uv + FastAPI in a src layout: uvicorn pkg.api:app --app-dir src, version a minimum, tests ignored', async () => {
  const py = await detectPython(fixture('py-uv-fastapi'));
  assert.ok(py);
  assert.is(py.path, '.');
  assert.equal(py.packageManager, { value: 'uv', evidence: 'uv.lock present' });
  assert.equal(py.lockfile, { value: 'uv.lock', evidence: 'uv.lock present' });
  assert.equal(py.name, { value: 'acme-api', evidence: 'pyproject.toml name = "acme-api"' });
  assert.equal(py.pythonVersion, {
    value: PYTHON_DEFAULT,
    evidence: `pyproject.toml:5 requires-python: ">=3.12" (a minimum: ${PYTHON_DEFAULT}, the newest supported Python, satisfies it)`,
  });
  assert.equal(py.framework, { value: 'fastapi', evidence: 'pyproject.toml:7 "fastapi[standard]>=0.111.0"' });
  assert.equal(py.server?.value, 'uvicorn');
  // tests/test_api.py has its own `app = FastAPI()`; tests are never the app.
  assert.equal(py.entrypoint, { value: 'acme_api.api:app', evidence: 'src/acme_api/api.py:5 app = FastAPI(title="Orders")' });
  assert.equal(py.start, {
    value: 'uvicorn acme_api.api:app --host 0.0.0.0 --port 8000 --app-dir src',
    evidence: 'src/acme_api/api.py:5 app = FastAPI(title="Orders") (src layout: --app-dir src)',
  });
  assert.equal(py.port, { value: 8000, evidence: "uvicorn's default port" });
  assert.equal(py.healthPath, { value: '/healthz', evidence: 'src/acme_api/api.py:9 @app.get("/healthz")' });
  assert.equal(py.warnings, [], 'fastapi[standard] brings uvicorn');
});

test('FastAPI: main.py gives main:app; uvicorn missing is warned about; uvicorn.run(port=) sets the port', async () => {
  const dir = copy();
  write(dir, 'requirements.txt', 'fastapi==0.111.0\n');
  write(
    dir,
    'main.py',
    'import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\nif __name__ == "__main__":\n    uvicorn.run(app, host="0.0.0.0", port=8080)\n',
  );
  const py = await detectPython(dir);
  assert.equal(py?.entrypoint, { value: 'main:app', evidence: 'main.py:4 app = FastAPI()' });
  assert.equal(py?.port, { value: 8080, evidence: 'main.py:7 uvicorn.run(app, host="0.0.0.0", port=8080)' });
  assert.is(py?.start?.value, 'uvicorn main:app --host 0.0.0.0 --port 8080');
  const installs = `the image installs uvicorn==${PYTHON_SERVERS.uvicorn}`;
  assert.equal(py?.warnings, [`uvicorn is not in the dependencies: ${installs}; add it (uvicorn, or fastapi[standard]) to choose its version`]);
  assert.equal(py?.serverMissing?.value, true);
});

test('FastAPI: several apps named app in conventional files are warned about; `api = FastAPI()` loses to `app`', async () => {
  const dir = copy();
  write(dir, 'requirements.txt', 'fastapi\nuvicorn\n');
  write(dir, 'main.py', 'from fastapi import FastAPI\napi = FastAPI()\n');
  write(dir, 'app/main.py', 'from fastapi import FastAPI\napp = FastAPI()\n');
  const one = await detectPython(dir);
  assert.is(one?.entrypoint?.value, 'app.main:app');
  assert.equal(one?.warnings, []);
  write(dir, 'server.py', 'from fastapi import FastAPI\n\napp = FastAPI()\n');
  const two = await detectPython(dir);
  assert.is(two?.entrypoint?.value, 'server:app', 'a top-level conventional file beats a nested one');
  write(dir, 'app.py', 'from fastapi import FastAPI\napp = FastAPI()\n');
  const three = await detectPython(dir);
  assert.is(three?.entrypoint?.value, 'app:app');
  assert.ok(three?.warnings.some((w) => w.startsWith('several FastAPI apps: app.py app, server.py app; using app.py app')), String(three?.warnings));
});

test('Poetry + Django: settings from manage.py, WSGI app, gunicorn, collectstatic and migrations facts', async () => {
  const py = await detectPython(fixture('py-poetry-django'));
  assert.ok(py);
  assert.equal(py.packageManager, { value: 'poetry', evidence: 'poetry.lock present' });
  assert.equal(py.name, { value: 'mysite', evidence: 'pyproject.toml name = "mysite"' });
  // .python-version wins over [tool.poetry.dependencies] python = "^3.11", and is exact.
  assert.equal(py.pythonVersion, { value: '3.11', evidence: '.python-version: "3.11.9"' });
  assert.equal(py.framework, { value: 'django', evidence: 'pyproject.toml:10 Django = "^5.0"' });
  assert.equal(py.django?.settingsModule, {
    value: 'mysite.settings',
    evidence: 'manage.py:8 os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")',
  });
  assert.equal(py.django?.wsgiApplication, { value: 'mysite.wsgi:application', evidence: 'mysite/wsgi.py:7 application = get_wsgi_application()' });
  assert.equal(py.start, { value: 'gunicorn --bind 0.0.0.0:8000 mysite.wsgi:application', evidence: 'mysite/wsgi.py:7 application = get_wsgi_application()' });
  assert.equal(py.django?.collectstatic, { value: true, evidence: 'mysite/settings.py:20 STATIC_ROOT = BASE_DIR / "staticfiles"' });
  assert.equal(py.django?.migrations, { value: true, evidence: 'polls/migrations/0001_initial.py' });
  // DATABASES "PORT": "5432" is the database's.
  assert.equal(py.port, { value: 8000, evidence: "gunicorn's and runserver's default port" });
  assert.equal(py.healthPath, { value: '/healthz/', evidence: 'mysite/urls.py:6 path("healthz/", lambda request: HttpResponse("ok")),' });
  assert.equal(py.warnings, []);
});

test('Django: no STATIC_ROOT, no whitenoise, no migrations, project under src/', async () => {
  const dir = copy('py-poetry-django');
  replaceIn(dir, 'mysite/settings.py', /^STATIC_ROOT.*\n/m, '');
  rmSync(join(dir, 'polls/migrations'), { recursive: true });
  const py = await detectPython(dir);
  assert.equal(py?.django?.collectstatic, { value: false, evidence: 'mysite/settings.py:11 "django.contrib.staticfiles", but no STATIC_ROOT' });
  assert.ok(py?.warnings.some((w) => w.startsWith('mysite/settings.py:11 uses django.contrib.staticfiles without STATIC_ROOT')), String(py?.warnings));
  assert.equal(py?.django?.migrations, { value: false, evidence: 'no */migrations/0001_*.py in .' });

  const bare = copy('py-poetry-django');
  replaceIn(bare, 'pyproject.toml', /^whitenoise.*\n/m, '');
  replaceIn(bare, 'mysite/settings.py', /^MIDDLEWARE.*\n/m, '');
  const noWhitenoise = await detectPython(bare);
  assert.ok(noWhitenoise?.warnings.some((w) => w.startsWith('mysite/settings.py:19: gunicorn does not serve static files')), String(noWhitenoise?.warnings));

  // manage.py one level down: gunicorn changes into that directory first.
  const nested = copy();
  cpSync(fixture('py-poetry-django'), join(nested, 'src'), { recursive: true });
  for (const f of ['pyproject.toml', 'poetry.lock', '.python-version']) {
    cpSync(join(nested, 'src', f), join(nested, f));
    unlinkSync(join(nested, 'src', f));
  }
  const src = await detectPython(nested);
  assert.equal(src?.start?.value, 'gunicorn --bind 0.0.0.0:8000 --chdir src mysite.wsgi:application');
  assert.equal(src?.django?.migrations.evidence, 'src/polls/migrations/0001_initial.py');
});

test('Pipenv + Flask: gunicorn app:app on the port the code reads from $PORT', async () => {
  const py = await detectPython(fixture('py-pipenv-flask'));
  assert.ok(py);
  assert.equal(py.packageManager, { value: 'pipenv', evidence: 'Pipfile.lock present' });
  assert.is(py.lockfile?.value, 'Pipfile.lock');
  assert.equal(py.pythonVersion, { value: '3.12', evidence: 'Pipfile [requires] python_version: "3.12"' });
  assert.equal(py.framework, { value: 'flask', evidence: 'Pipfile:7 flask = "==3.0.3"' });
  assert.equal(py.entrypoint, { value: 'app:app', evidence: 'app.py:5 app = Flask(__name__)' });
  assert.equal(py.port, { value: 8080, evidence: 'app.py:19 app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8080")))' });
  assert.equal(py.start, { value: 'gunicorn --bind 0.0.0.0:8080 app:app', evidence: 'app.py:5 app = Flask(__name__)' });
  assert.equal(py.healthPath, { value: '/health', evidence: 'app.py:8 @app.route("/health")' });
  assert.equal(py.warnings, []);
});

test('Flask app factory: module:create_app()', async () => {
  const dir = copy();
  write(dir, 'requirements.txt', 'Flask==3.0.3\ngunicorn\n');
  write(dir, 'shop/__init__.py', 'from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n');
  const py = await detectPython(dir);
  assert.equal(py?.entrypoint, { value: 'shop:create_app()', evidence: 'shop/__init__.py:4 def create_app():' });
  assert.is(py?.start?.value, 'gunicorn --bind 0.0.0.0:8000 shop:create_app()');
  assert.equal(py?.framework.evidence, 'requirements.txt:1 Flask==3.0.3', 'names normalised: Flask is flask');
});

test('Flask without gunicorn (the older no-package fixture): warned', async () => {
  const py = await detectPython(fixture('no-package'));
  assert.equal(py?.framework, { value: 'flask', evidence: 'requirements.txt:1 flask==3.0.3' });
  assert.equal(py?.port, { value: 8000, evidence: "gunicorn's default port (Flask's development server's 5000 is not used in production)" });
  const installs = `the image installs gunicorn==${PYTHON_SERVERS.gunicorn}`;
  assert.equal(py?.warnings, [`gunicorn is not in the dependencies: ${installs}; add it (gunicorn) to choose its version`]);
  assert.equal(py?.serverMissing, { value: true, evidence: `gunicorn is not in the dependencies: the image installs gunicorn==${PYTHON_SERVERS.gunicorn}` });
});

test('Streamlit: streamlit run on 8501 with its built-in health endpoint; .streamlit/config.toml port', async () => {
  const py = await detectPython(fixture('py-streamlit'));
  assert.ok(py);
  assert.equal(py.framework, { value: 'streamlit', evidence: 'requirements.txt:1 streamlit==1.37.1' });
  assert.equal(py.packageManager, { value: 'pip', evidence: 'requirements.txt present' });
  // pages/1_Details.py imports streamlit too, but a page is not the entry point.
  assert.equal(py.entrypoint, { value: 'streamlit_app.py', evidence: 'streamlit_app.py:2 import streamlit as st' });
  assert.equal(py.start, {
    value: 'streamlit run streamlit_app.py --server.port 8501 --server.address 0.0.0.0',
    evidence: 'streamlit_app.py:2 import streamlit as st',
  });
  assert.equal(py.port, { value: 8501, evidence: "Streamlit's default port" });
  assert.equal(py.healthPath, { value: '/_stcore/health', evidence: "Streamlit's built-in health endpoint" });
  assert.equal(py.warnings, []);

  const dir = copy('py-streamlit');
  write(dir, '.streamlit/config.toml', '[theme]\nbase = "dark"\n\n[server]\nport = 8502\n');
  const configured = await detectPython(dir);
  assert.equal(configured?.port, { value: 8502, evidence: '.streamlit/config.toml:5 port = 8502' });
  assert.is(configured?.start?.value, 'streamlit run streamlit_app.py --server.port 8502 --server.address 0.0.0.0');
});

test('Gradio (a Hugging Face Space): python app.py from README app_file, 7860, launch(server_name=...)', async () => {
  const py = await detectPython(fixture('py-gradio'));
  assert.ok(py);
  assert.equal(py.framework, { value: 'gradio', evidence: 'requirements.txt:1 gradio==4.40.0' });
  assert.equal(py.entrypoint, { value: 'app.py', evidence: 'README.md:6 app_file: app.py' });
  assert.equal(py.start, { value: 'python app.py', evidence: 'README.md:6 app_file: app.py' });
  assert.equal(py.port, { value: 7860, evidence: "Gradio's default port (GRADIO_SERVER_PORT)" });
  assert.equal(py.bindHost, { value: '0.0.0.0', evidence: 'app.py:11 demo.launch(server_name="0.0.0.0")' });
  assert.equal(py.warnings, []);

  const dir = copy('py-gradio');
  replaceIn(dir, 'app.py', 'demo.launch(server_name="0.0.0.0")', 'demo.launch(server_name="127.0.0.1", server_port=7861)');
  const local = await detectPython(dir);
  assert.equal(local?.port, { value: 7861, evidence: 'app.py:11 demo.launch(server_name="127.0.0.1", server_port=7861)' });
  assert.ok(
    local?.warnings.some((w) => w.startsWith('app.py:11 demo.launch(') && w.includes('unreachable from outside the container')),
    String(local?.warnings),
  );
  unlinkSync(join(dir, 'README.md'));
  assert.equal((await detectPython(dir))?.entrypoint, { value: 'app.py', evidence: 'app.py:1 import gradio as gr' });
});

test('a dependency-free http.server app: framework none, python app.py, port and bind address from the code', async () => {
  const py = await detectPython(fixture('py-plain'));
  assert.ok(py);
  assert.equal(py.framework, {
    value: 'none',
    evidence: 'no web framework in the dependencies; app.py:2 from http.server import BaseHTTPRequestHandler, HTTPServer',
  });
  assert.equal(py.packageManager, { value: 'pip', evidence: 'requirements.txt present' });
  // tools/seed.py has a main block too, but it is not top level and does not serve.
  assert.equal(py.start, { value: 'python app.py', evidence: 'app.py:2 from http.server import BaseHTTPRequestHandler, HTTPServer' });
  assert.equal(py.port, { value: 8000, evidence: 'app.py:13 port = int(os.environ.get("PORT", 8000))' });
  assert.equal(py.bindHost, { value: '0.0.0.0', evidence: 'app.py:14 HTTPServer(("", port), Handler).serve_forever()' });
  assert.equal(py.warnings, []);
});

test('no manifest: a serving script counts, a stray main block or no Python does not', async () => {
  const dir = copy();
  write(
    dir,
    'server.py',
    'import http.server\nimport socketserver\n\n' +
      'with socketserver.TCPServer(("localhost", 9000), http.server.SimpleHTTPRequestHandler) as s:\n    s.serve_forever()\n',
  );
  const py = await detectPython(dir);
  assert.equal(py?.packageManager, { value: 'pip', evidence: 'no requirements.txt or pyproject.toml; pip assumed' });
  assert.is(py?.start?.value, 'python server.py');
  assert.equal(py?.port, { value: 9000, evidence: 'server.py:4 with socketserver.TCPServer(("localhost", 9000), http.server.SimpleHTTPRequestHandler) as s:' });
  assert.ok(py?.warnings.some((w) => w.includes('listens on localhost only')), String(py?.warnings));

  const stray = copy();
  write(stray, 'setup_dev.py', 'if __name__ == "__main__":\n    print("set up")\n');
  assert.is(await detectPython(stray), undefined, 'a helper script in a repo of another stack is not a Python app');
  assert.is(await detectPython(fixture('vite-spa')), undefined);
});

// ---------------------------------------------------------------- package managers and versions

test('several package managers: the lockfile wins, all are named in a warning', async () => {
  const dir = copy('py-uv-fastapi');
  write(dir, 'requirements.txt', 'fastapi[standard]==0.111.0\n');
  const py = await detectPython(dir);
  assert.equal(py?.packageManager, { value: 'uv', evidence: 'uv.lock present (one of several)' });
  assert.ok(
    py?.warnings.some(
      (w) => w === 'several Python package managers: uv.lock, requirements.txt; using uv (uv.lock). Delete the stale files or say which one builds the app',
    ),
    String(py?.warnings),
  );
});

test('a manager configured without its lockfile is warned about', async () => {
  const dir = copy('py-poetry-django');
  unlinkSync(join(dir, 'poetry.lock'));
  const poetry = await detectPython(dir);
  assert.equal(poetry?.packageManager, { value: 'poetry', evidence: 'pyproject.toml [tool.poetry]' });
  assert.is(poetry?.lockfile, undefined);
  assert.ok(poetry?.warnings.some((w) => w.startsWith('pyproject.toml [tool.poetry] but no poetry.lock')), String(poetry?.warnings));

  const pipenv = copy('py-pipenv-flask');
  unlinkSync(join(pipenv, 'Pipfile.lock'));
  assert.ok((await detectPython(pipenv))?.warnings.some((w) => w.startsWith('Pipfile but no Pipfile.lock: builds are not reproducible; run `pipenv lock`')));

  const bare = copy();
  write(bare, 'pyproject.toml', '[project]\nname = "x"\ndependencies = ["flask"]\n');
  write(bare, 'app.py', 'from flask import Flask\napp = Flask(__name__)\n');
  const pip = await detectPython(bare);
  assert.equal(pip?.packageManager, { value: 'pip', evidence: 'pyproject.toml without a lockfile; pip assumed' });
  assert.ok(pip?.warnings.some((w) => w.startsWith('pyproject.toml without a lockfile: pip installs whatever versions are current')), String(pip?.warnings));
});

test('requirements: -r includes followed, names normalised, comments and options skipped', async () => {
  const dir = copy();
  write(dir, 'requirements.txt', '# prod\n--index-url https://pypi.org/simple\n-r requirements/base.txt\nuvicorn[standard]==0.30.1  # server\n');
  write(dir, 'requirements/base.txt', 'FastAPI==0.111.0\n');
  write(dir, 'main.py', 'from fastapi import FastAPI\napp = FastAPI()\n');
  const py = await detectPython(dir);
  assert.equal(py?.framework, { value: 'fastapi', evidence: 'requirements/base.txt:1 FastAPI==0.111.0' });
  assert.equal(py?.warnings, [], 'uvicorn found in the including file');
});

test('Python version: requires-python, Poetry, Pipfile, runtime.txt; unusable specs warned', async () => {
  const dir = copy();
  write(dir, 'pyproject.toml', '[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\npython = "^3.10"\n');
  const poetry = await detectPython(dir);
  // Poetry's ^3.10 is >=3.10,<4.0: a range resolved like engines, not its minimum.
  assert.equal(poetry?.pythonVersion, {
    value: PYTHON_DEFAULT,
    evidence: `pyproject.toml:5 [tool.poetry.dependencies] python: "^3.10" (a minimum: ${PYTHON_DEFAULT}, the newest supported Python, satisfies it)`,
  });

  write(dir, '.python-version', 'pypy3.10\n');
  const pypy = await detectPython(dir);
  assert.is(pypy?.pythonVersion?.value, PYTHON_DEFAULT, 'the next source (Poetry ^3.10, a range) decides');
  assert.ok(pypy?.warnings.some((w) => w.startsWith('.python-version "pypy3.10" names no Python 3.X version')), String(pypy?.warnings));

  const heroku = copy();
  write(heroku, 'requirements.txt', 'flask\n');
  write(heroku, 'runtime.txt', 'python-3.11.4\n');
  assert.equal((await detectPython(heroku))?.pythonVersion, { value: '3.11', evidence: 'runtime.txt: "python-3.11.4"' });
});

test('pythonMinor: lower bounds are minimums, pins and ~ are exact, upper bounds give the newest allowed, alone say nothing', () => {
  const cases: Array<[string, { version: string; minimum: boolean; newest?: string } | undefined]> = [
    ['>=3.11', { version: '3.11', minimum: true }],
    ['>=3.9,<3.13', { version: '3.9', minimum: true, newest: '3.12' }],
    ['<3.13,>=3.10', { version: '3.10', minimum: true, newest: '3.12' }],
    ['>=3.10,<=3.12', { version: '3.10', minimum: true, newest: '3.12' }],
    ['>=3.10,<3.13.2', { version: '3.10', minimum: true, newest: '3.13' }],
    ['^3.11', { version: '3.11', minimum: true }],
    ['~=3.11', { version: '3.11', minimum: true }],
    ['~=3.11.2', { version: '3.11', minimum: false }],
    ['~3.11', { version: '3.11', minimum: false }],
    ['==3.12.*', { version: '3.12', minimum: false }],
    ['3.12.1', { version: '3.12', minimum: false }],
    ['python-3.11.4', { version: '3.11', minimum: false }],
    ['<3.13', undefined],
    ['pypy3.10', undefined],
  ];
  for (const [spec, expected] of cases) assert.equal(pythonMinor(spec), expected, spec);
});

test('a nested project with its own manifest is not scanned as part of the outer one', async () => {
  const dir = copy();
  write(dir, 'pyproject.toml', '[project]\nname = "tools"\ndependencies = ["fastapi", "uvicorn"]\n');
  write(dir, 'services/billing/requirements.txt', 'fastapi\nuvicorn\n');
  write(dir, 'services/billing/main.py', 'from fastapi import FastAPI\napp = FastAPI()\n');
  const outer = await detectPython(dir);
  assert.is(outer?.entrypoint, undefined);
  assert.ok(outer?.warnings.some((w) => w.startsWith('no `app = FastAPI(` found in .')), String(outer?.warnings));
  const inner = await detectPython(dir, 'services/billing');
  assert.equal(inner?.entrypoint, { value: 'main:app', evidence: 'services/billing/main.py:2 app = FastAPI()' });
  assert.equal(inner?.framework.evidence, 'services/billing/requirements.txt:1 fastapi');
});

test.run();

test('a requires-python range resolves to the newest supported release in it, not its minimum', async () => {
  const py = await detectPython(fixture('py-version-range'));
  assert.equal(py?.pythonVersion, {
    value: '3.12',
    evidence: 'pyproject.toml:4 requires-python: ">=3.10,<3.13" (a range: 3.12, the newest release it allows)',
  });
});

test('Django 3.2 caps the Python it runs on at 3.10 (its own release notes), with the requirement as evidence', async () => {
  const dir = fixture('django-settings-package');
  const py = await detectPython(dir);
  assert.equal(py?.pythonVersion, {
    value: '3.10',
    evidence: 'no Python version in the repo; requirements.txt:1 Django==3.2.25 (django 3.2) supports Python 3.10 at most',
  });

  // A range is held to the cap too; a pin newer than the cap is kept and warned about.
  const ranged = copy('django-settings-package');
  write(ranged, 'pyproject.toml', '[project]\nname = "shop"\nrequires-python = ">=3.8"\n');
  assert.equal((await detectPython(ranged))?.pythonVersion, {
    value: '3.10',
    evidence:
      `pyproject.toml:3 requires-python: ">=3.8" (a minimum: ${PYTHON_DEFAULT}, the newest supported Python, satisfies it; ` +
      'held to 3.10: requirements.txt:1 Django==3.2.25 (django 3.2) supports Python 3.10 at most)',
  });
  write(ranged, '.python-version', '3.12\n');
  const pinned = await detectPython(ranged);
  assert.is(pinned?.pythonVersion?.value, '3.12');
  assert.ok(pinned?.warnings.some((w) => w.startsWith('.python-version: "3.12" is newer than requirements.txt:1 Django==3.2.25')), String(pinned?.warnings));

  // Django 4.2 (Poetry's ~=4.2 stops before 5.0, and 4.2 is the last 4.x): 3.12 at most.
  const lts = copy('django-settings-package');
  write(lts, 'requirements.txt', 'Django>=4.2,<5.0\ngunicorn==22.0.0\n');
  assert.is((await detectPython(lts))?.pythonVersion?.value, '3.12');
  // No upper bound: the newest Django installs, and no cap is invented.
  write(lts, 'requirements.txt', 'Django>=3.2\ngunicorn==22.0.0\n');
  assert.is((await detectPython(lts))?.pythonVersion, undefined);
});
