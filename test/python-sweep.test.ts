/**
 * Patterns met running deploy-kit on real Python web apps that gave a wrong kit: each is a small
 * fixture written here (never a copy of the app) and what detection must read from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scratch } from './_scratch.js';
import { detectEnvVars, detectRepo } from '../src/detect/index.js';
import { libraryVars } from '../src/detect/python-env.js';
import { detectPython } from '../stacks/python/detect.js';
import { validateDockerfile } from '../src/validate/dockerfile.js';
import { PYTHON_SERVERS } from '../src/versions.js';
import { cli, git } from './_repo.js';

const dirs = scratch('pysweep');
test.after(dirs.cleanup);

const DJANGO = {
  'requirements.txt': 'Django==5.2.1\ngunicorn==23.0.0\n',
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
  'shop/__init__.py': '',
  'shop/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
};

test("port: a settings dict's .get('PORT', 6379) is Redis's port, and 25 the mail server's: the server keeps 8000", async () => {
  const dir = dirs.files({
    ...DJANGO,
    'shop/settings.py': [
      'QUEUE = REDIS["tasks"]',
      'QUEUE_PORT = QUEUE.get("PORT", 6379)',
      "EMAIL_PORT = EMAIL.get('PORT', 25)",
      '',
    ].join('\n'),
  });
  const py = await detectPython(dir);
  assert.equal(py?.port, { value: 8000, evidence: "gunicorn's and runserver's default port" });
  assert.is(py?.start?.value, 'gunicorn --bind 0.0.0.0:8000 shop.wsgi:application');
  assert.equal(py?.warnings, []);
});

test('port: "port=9090" in a docstring or a string is prose, not the port', async () => {
  const dir = dirs.files({
    ...DJANGO,
    'shop/settings.py': 'DEBUG = False\n',
    'shop/parse.py': [
      'def options(text):',
      '    """Options from a string such as',
      '    port=9090,debug=true',
      '    """',
      '    return text',
      '',
      'HELP = "give it as port=9091"',
      'def more(env_str):',
      '    """env_str: the value (e.g., "port=9092").""" ',
      '    return env_str',
      '',
    ].join('\n'),
  });
  const py = await detectPython(dir);
  assert.equal(py?.port, { value: 8000, evidence: "gunicorn's and runserver's default port" });
  assert.equal(py?.warnings, []);
});

test('port: an environment read still names the port (os.environ.get, env.int with default=)', async () => {
  for (const line of ['PORT_NUMBER = int(os.environ.get("PORT", 8080))', 'SERVE_ON = env.int("PORT", default=8080)']) {
    const dir = dirs.files({ 'requirements.txt': 'flask\ngunicorn\n', 'app.py': `import os\nfrom flask import Flask\napp = Flask(__name__)\n${line}\n` });
    const py = await detectPython(dir);
    assert.is(py?.port?.value, 8080, line);
  }
});

test("a root package.json holding a Django app's front-end tooling is not asked for a start command", async () => {
  const dir = dirs.files({
    ...DJANGO,
    'shop/settings.py': 'DEBUG = False\n',
    'package.json': JSON.stringify({ name: 'shop-assets', private: true, devDependencies: { sass: '1.77.0' }, scripts: { 'build:css': 'sass x' } }),
    'package-lock.json': JSON.stringify({ name: 'shop-assets', lockfileVersion: 3, requires: true, packages: {} }),
  });
  const facts = await detectRepo(dir);
  assert.equal(
    (facts.services ?? []).map((s) => `${s.stack} ${s.path}`),
    ['python .'],
  );
  assert.not.ok(facts.warnings.some((w) => w.includes('start command')), facts.warnings.join('\n'));
});

const ASGI_APP =
  'import os\nfrom django.core.asgi import get_asgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n' +
  'application = get_asgi_application()\napplication = wrap(application)\n';
const DJANGO_BARE = { 'manage.py': DJANGO['manage.py'], 'shop/__init__.py': '', 'shop/settings.py': 'DEBUG = False\n' };

test('Django declaring uvicorn with an asgi/ package and no wsgi.py: uvicorn serves shop.asgi:application (was: no start, init failed)', async () => {
  const dir = dirs.files({
    ...DJANGO_BARE,
    'pyproject.toml': '[project]\nname = "shop"\nversion = "1"\nrequires-python = ">=3.12"\ndependencies = ["django~=5.2.1", "uvicorn[standard]>=0.32"]\n',
    'uv.lock': 'version = 1\n',
    'shop/asgi/__init__.py': ASGI_APP,
  });
  const py = await detectPython(dir);
  assert.is(py?.server?.value, 'uvicorn');
  const why = /^Django served over ASGI \(pyproject\.toml:5 "uvicorn\[standard\]>=0\.32" and shop\/asgi\/__init__\.py:4 application = /;
  assert.match(py?.server?.evidence ?? '', why);
  assert.equal(py?.entrypoint, { value: 'shop.asgi:application', evidence: 'shop/asgi/__init__.py:4 application = get_asgi_application()' });
  assert.is(py?.start?.value, 'uvicorn shop.asgi:application --host 0.0.0.0 --port 8000');
  assert.equal(py?.port, { value: 8000, evidence: "uvicorn's and runserver's default port" });
  assert.equal(py?.warnings, []);
  assert.is(py?.serverMissing, undefined);
});

test('Django with wsgi.py and asgi.py declaring uvicorn runs uvicorn; with only an asgi.py and no server, uvicorn is installed', async () => {
  const both = await detectPython(dirs.files({ ...DJANGO, ...DJANGO_BARE, 'requirements.txt': 'Django==5.2.1\nuvicorn==0.34.0\n', 'shop/asgi.py': ASGI_APP }));
  assert.is(both?.start?.value, 'uvicorn shop.asgi:application --host 0.0.0.0 --port 8000');
  const only = await detectPython(dirs.files({ ...DJANGO_BARE, 'requirements.txt': 'Django==5.2.1\n', 'shop/asgi.py': ASGI_APP }));
  assert.is(only?.start?.value, 'uvicorn shop.asgi:application --host 0.0.0.0 --port 8000');
  assert.is(only?.serverMissing?.value, true);
});

test('Django with granian in an extra ([project.optional-dependencies]): the same warning, naming the extra', async () => {
  const pyproject =
    '[project]\nname = "shop"\nversion = "1"\ndependencies = ["django~=5.2.1", "gunicorn>=23"]\n\n' +
    '[project.optional-dependencies]\nwebserver = [\n  "granian[uvloop]~=2.7.0",\n]\n';
  const requirements = 'Django==5.2.1\ngunicorn==23.0.0\n';
  const files = { ...DJANGO, ...DJANGO_BARE, 'requirements.txt': requirements, 'pyproject.toml': pyproject, 'shop/asgi.py': ASGI_APP };
  const py = await detectPython(dirs.files(files));
  assert.ok(py?.warnings.includes(
    'pyproject.toml:8 "granian[uvloop]~=2.7.0" (extra webserver): the project serves shop/asgi.py:4 with granian, which deploy-kit does not run: ' +
      'the kit serves its WSGI app with gunicorn (no websockets); to stay on ASGI, add uvicorn to the dependencies',
  ), String(py?.warnings));
  assert.is(py?.start?.value, 'gunicorn --bind 0.0.0.0:8000 shop.wsgi:application');
});

test('Django declaring granian beside a WSGI app: gunicorn serves the WSGI app, and the warning says so and how to stay on ASGI', async () => {
  const requirements = 'Django==5.2.1\ngunicorn==23.0.0\ngranian==2.7.0\n';
  const py = await detectPython(dirs.files({ ...DJANGO, ...DJANGO_BARE, 'requirements.txt': requirements, 'shop/asgi.py': ASGI_APP }));
  assert.is(py?.start?.value, 'gunicorn --bind 0.0.0.0:8000 shop.wsgi:application');
  assert.equal(py?.warnings, [
    'requirements.txt:3 granian==2.7.0: the project serves shop/asgi.py:4 with granian, which deploy-kit does not run: the kit serves its WSGI app ' +
      'with gunicorn (no websockets); to stay on ASGI, add uvicorn to the dependencies',
  ]);
});

test('FastAPI built by a factory: `app = create_application()` at the top of app/main.py is what uvicorn loads (was: no app found)', async () => {
  const dir = dirs.files({
    'requirements.txt': 'fastapi==0.115.0\nuvicorn==0.34.0\n',
    'app/__init__.py': '',
    'app/main.py': [
      'from fastapi import FastAPI',
      'from app.routes import status',
      '',
      'def create_application() -> FastAPI:',
      '    application = FastAPI(title="notes")',
      '    application.include_router(status.router)',
      '    return application',
      '',
      'app = create_application()',
      '',
    ].join('\n'),
    'app/routes/__init__.py': '',
    'app/routes/status.py': 'from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get("/ping")\ndef ping():\n    return {"ok": True}\n',
  });
  const py = await detectPython(dir);
  assert.equal(py?.entrypoint, { value: 'app.main:app', evidence: 'app/main.py:9 app = create_application()' });
  assert.is(py?.start?.value, 'uvicorn app.main:app --host 0.0.0.0 --port 8000');
  assert.equal(py?.healthPath?.value, '/ping');
  assert.equal(py?.warnings, []);
});

test("Flask: a top-level `app = create_app()` (the repo's own entry script) wins over calling the factory", async () => {
  const dir = dirs.files({
    'requirements.txt': 'Flask==3.0.0\ngunicorn==23.0.0\n',
    'blog/__init__.py': 'from flask import Flask\n\ndef create_app(config=None):\n    app = Flask(__name__)\n    return app\n',
    'blogsite.py': 'from blog import create_app\n\napp = create_app()\n',
  });
  const py = await detectPython(dir);
  assert.equal(py?.entrypoint, { value: 'blogsite:app', evidence: 'blogsite.py:3 app = create_app()' });
  assert.is(py?.start?.value, 'gunicorn --bind 0.0.0.0:8000 blogsite:app');
});

test('env: django-environ, decouple and dj-database-url reads are variables; without a default they are required', () => {
  const environ = [
    'import environ',
    'env = environ.Env()',
    'SECRET_KEY = env("DJANGO_SECRET_KEY")',
    'DEBUG = env.bool("DJANGO_DEBUG", False)',
    "ALLOWED = env.list('ALLOWED_HOSTS', default=[])",
    'DATABASES = {"default": env.db()}',
    '# MAIL = env("COMMENTED_OUT")',
    '',
  ].join('\n');
  assert.equal(libraryVars(environ), [
    { name: 'DJANGO_SECRET_KEY', line: 3, required: true },
    { name: 'DJANGO_DEBUG', line: 4, required: false },
    { name: 'ALLOWED_HOSTS', line: 5, required: false },
    { name: 'DATABASE_URL', line: 6, required: true },
  ]);
  const decouple = 'from decouple import config, Csv\nSECRET_KEY = config("SECRET_KEY")\nDEBUG = config("DEBUG", default=False, cast=bool)\n';
  assert.equal(libraryVars(decouple), [
    { name: 'SECRET_KEY', line: 2, required: true },
    { name: 'DEBUG', line: 3, required: false },
  ]);
  // Under an `if` (or in a function) a read without a default is needed only there: not required.
  const branch =
    'import environ\nenv = environ.Env()\nif env.bool("USE_S3", False):\n    BUCKET = env.str("S3_BUCKET")\n' +
    'else:\n    DB = {\n        "NAME": env("DB_NAME"),\n    }\n';
  assert.equal(
    libraryVars(branch).map((v) => `${v.name} ${v.required}`),
    ['USE_S3 false', 'S3_BUCKET false', 'DB_NAME false'],
  );
  const declared = 'import environ\nenv = environ.Env(\n    DJANGO_DEBUG=(bool, False),\n)\nDEBUG = env("DJANGO_DEBUG")\n';
  assert.equal(libraryVars(declared), [{ name: 'DJANGO_DEBUG', line: 5, required: false }], "the Env() constructor's default");
  const nested = 'import environ\nenv = environ.Env()\nDATABASES = {\n    "default": {\n        "NAME": env("DB_NAME"),\n    }\n}\n';
  assert.equal(libraryVars(nested), [{ name: 'DB_NAME', line: 5, required: true }]);
  // config() elsewhere (no decouple import) is not an environment read.
  assert.equal(libraryVars('SECRET_KEY = config("SECRET_KEY")\n'), []);
  const dburl = [
    'import dj_database_url',
    'DATABASES = {"default": dj_database_url.config(conn_max_age=500)}',
    'if "DATABASE_URL_REPLICA" in os.environ:',
    '    REPLICA = dj_database_url.config(env="DATABASE_URL_REPLICA")',
    'DEFAULT = dj_database_url.config(',
    '    env=dj_database_url.DEFAULT_ENV, conn_max_age=60',
    ')',
    '',
  ].join('\n');
  assert.equal(libraryVars(dburl), [
    { name: 'DATABASE_URL', line: 2, required: false },
    { name: 'DATABASE_URL_REPLICA', line: 4, required: false },
    { name: 'DATABASE_URL', line: 5, required: false },
    { name: 'DATABASE_URL_REPLICA', line: 3, required: false },
  ]);
});

test('a Django app reading its database through dj_database_url.config() reads DATABASE_URL (the Postgres add-on keys on it)', async () => {
  const dir = dirs.files({
    ...DJANGO,
    'requirements.txt': 'Django==5.2.1\ngunicorn==23.0.0\ndj-database-url==2.3.0\npsycopg[binary]==3.2.0\n',
    'shop/settings.py': 'import dj_database_url\nDATABASES = {"default": dj_database_url.config(conn_max_age=600)}\n',
  });
  const env = await detectEnvVars(dir);
  assert.equal(env.find((e) => e.name === 'DATABASE_URL')?.locations, ['shop/settings.py:2']);
});

test('Django with manage.py in a subdirectory: collectstatic and migrate run that manage.py (was: python manage.py, a build that fails)', () => {
  const dir = dirs.files({
    'requirements.txt': 'Django==5.2.1\ngunicorn==23.0.0\nwhitenoise==6.8.0\n',
    'site/manage.py': DJANGO['manage.py'],
    'site/shop/__init__.py': '',
    'site/shop/wsgi.py': DJANGO['shop/wsgi.py'],
    'site/shop/settings.py': 'INSTALLED_APPS = ["django.contrib.staticfiles"]\nSTATIC_ROOT = "/app/static"\n',
    'site/orders/__init__.py': '',
    'site/orders/migrations/__init__.py': '',
    'site/orders/migrations/0001_initial.py': 'from django.db import migrations\n',
  });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const r = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  assert.match(r.stdout, /start {11}gunicorn --bind 0\.0\.0\.0:8000 --chdir site shop\.wsgi:application/);
  assert.match(read('deploy-kit.yaml'), /^ {4}manageDir: site\n {4}migrate: python site\/manage\.py migrate --noinput$/m);
  const dockerfile = read('Dockerfile');
  assert.match(dockerfile, /^RUN .*\/opt\/venv\/bin\/python site\/manage\.py collectstatic --noinput$/m);
  assert.not.match(dockerfile, /python manage\.py/);
  assert.equal(validateDockerfile('Dockerfile', dockerfile).filter((f) => f.severity === 'error'), []);
  assert.match(read('DEPLOY.md'), /python site\/manage\.py migrate --noinput/);
});

test("a Django app's asset package (main: dist/bundle.js, browser code only) is not a Node service; a main that listens still is", async () => {
  const dir = dirs.files({
    ...DJANGO,
    'shop/settings.py': 'DEBUG = False\n',
    'assets/package.json': JSON.stringify({ name: 'shop-assets', private: true, main: 'dist/bundle.js', dependencies: { bootstrap: '5.3.8' } }),
    'assets/package-lock.json': JSON.stringify({ name: 'shop-assets', lockfileVersion: 3, requires: true, packages: {} }),
    'assets/src/index.ts': 'document.addEventListener("DOMContentLoaded", () => console.log("ready"));\n',
  });
  const facts = await detectRepo(dir);
  assert.equal(
    (facts.services ?? []).map((s) => `${s.stack} ${s.path}`),
    ['python .'],
  );
  dirs.write(dir, 'assets/src/index.ts', 'import { createServer } from "node:http";\ncreateServer((q, r) => r.end("ok")).listen(3000);\n');
  const again = await detectRepo(dir);
  assert.equal(
    (again.services ?? []).map((s) => `${s.stack} ${s.path}`),
    ['python .', 'node assets'],
  );
});

test('Django settings reading a local module kept out of git (only configuration_example.py is committed) are warned about', async () => {
  const files = {
    ...DJANGO,
    'shop/settings.py': 'from shop import configuration\nALLOWED_HOSTS = configuration.ALLOWED_HOSTS\n',
    'shop/configuration_example.py': 'ALLOWED_HOSTS = []\n',
  };
  const py = await detectPython(dirs.files(files));
  assert.equal(py?.warnings, [
    'shop/settings.py reads configuration, which is not in the repository (only shop/configuration_example.py is): the image has none and the app ' +
      'cannot start; commit a shop/configuration.py that reads its values (secrets included) from the environment',
  ]);
  const committed = await detectPython(dirs.files({ ...files, 'shop/configuration.py': 'import os\nALLOWED_HOSTS = os.environ["HOSTS"].split(",")\n' }));
  assert.equal(committed?.warnings, []);
});

test("no version file: the repo's own Dockerfile's FROM python:3.11 is the Python (its pins install there); deploy-kit's own is not read", async () => {
  const files = { 'requirements.txt': 'fastapi==0.109.0\nuvicorn==0.26.0\n', 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' };
  const prod = 'FROM python:3.11.4-slim-bookworm AS builder\nRUN pip wheel -r requirements.txt\n';
  const own = await detectPython(dirs.files({ ...files, 'Dockerfile.prod': prod }));
  const evidence = 'Dockerfile.prod:1 FROM python:3.11.4-slim-bookworm AS builder: "3.11.4"';
  assert.equal(own?.pythonVersion, { value: '3.11', evidence });
  const generated = '# Generated by deploy-kit from deploy-kit.yaml.\nFROM python:3.13-slim-trixie AS base\n';
  const kit = await detectPython(dirs.files({ ...files, Dockerfile: generated }));
  assert.not.equal(kit?.pythonVersion?.value, '3.13');
  const pinned = await detectPython(dirs.files({ ...files, '.python-version': '3.12\n', Dockerfile: 'FROM python:3.10\n' }));
  assert.is(pinned?.pythonVersion?.value, '3.12', '.python-version comes first');
});

test("Alembic migrations are the release step: Flask-Migrate's flask db upgrade against the app, or alembic upgrade head (was: none)", async () => {
  const flask = await detectPython(
    dirs.files({
      'requirements.txt': 'Flask==3.0.0\nFlask-Migrate==4.0.5\ngunicorn==23.0.0\n',
      'blog/__init__.py': 'from flask import Flask\nfrom flask_migrate import Migrate\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n',
      'blogsite.py': 'from blog import create_app\napp = create_app()\n',
      'migrations/env.py': 'from alembic import context\n',
      'migrations/alembic.ini': '[alembic]\n',
    }),
  );
  assert.equal(flask?.migrate, {
    value: 'flask --app blogsite:app db upgrade',
    evidence: "requirements.txt:2 Flask-Migrate==4.0.5 and migrations/env.py (Flask-Migrate's Alembic environment)",
  });
  const files = {
    'requirements.txt': 'fastapi==0.115.0\nuvicorn==0.34.0\nalembic==1.14.0\n',
    'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    'alembic/env.py': 'from alembic import context\n',
  };
  assert.is((await detectPython(dirs.files(files)))?.migrate, undefined, 'no alembic.ini: nothing to run');
  const api = await detectPython(dirs.files({ ...files, 'alembic.ini': '[alembic]\nscript_location = alembic\n' }));
  assert.equal(api?.migrate, { value: 'alembic upgrade head', evidence: 'requirements.txt:3 alembic==1.14.0 and alembic.ini' });
});

test("a script's own port variable is portEnv, with its default as the port; PORT itself and a server's CLI-bound app are not", async () => {
  const serve = 'HTTPServer(("", port), None).serve_forever()';
  const script = (line: string) => dirs.files({ 'requirements.txt': '\n', 'app.py': `import os\nfrom http.server import HTTPServer\n${line}\n${serve}\n` });
  const own = await detectPython(script('port = int(os.getenv("HTTP_PORT", "5000"))'));
  assert.equal(own?.portEnv, { value: 'HTTP_PORT', evidence: 'app.py:3 port = int(os.getenv("HTTP_PORT", "5000"))' });
  assert.equal(own?.port, { value: 5000, evidence: 'app.py:3 port = int(os.getenv("HTTP_PORT", "5000"))' });
  const bare = await detectPython(script('port = int(os.environ["HTTP_PORT"])'));
  assert.is(bare?.portEnv?.value, 'HTTP_PORT');
  assert.is(bare?.port, undefined, 'no default: the port is the kit default, and the kit sets HTTP_PORT to it');
  assert.is((await detectPython(script('port = int(os.environ.get("PORT", 8000))')))?.portEnv, undefined);
  const main = 'import os\nfrom fastapi import FastAPI\napp = FastAPI()\nP = os.getenv("API_PORT", "9000")\n';
  const api = await detectPython(dirs.files({ 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': main }));
  assert.is(api?.portEnv, undefined, 'uvicorn binds the port on its command line');
});

test('a health middleware wrapping the ASGI application, `application = health_check(application, "/health/")`, is the health route', async () => {
  const asgi = ASGI_APP.replace('application = wrap(application)', 'application = health_check(application, "/health/")');
  const requirements = 'Django==5.2.1\nuvicorn==0.34.0\n';
  const py = await detectPython(dirs.files({ ...DJANGO_BARE, 'requirements.txt': requirements, 'shop/asgi.py': asgi }));
  assert.equal(py?.healthPath, { value: '/health/', evidence: 'shop/asgi.py:5 application = health_check(application, "/health/")' });
  // Another call with a health-looking path is not a route the app serves.
  const other = ASGI_APP.replace('application = wrap(application)', 'log = health_log(handler, "/health")');
  assert.is((await detectPython(dirs.files({ ...DJANGO_BARE, 'requirements.txt': requirements, 'shop/asgi.py': other })))?.healthPath, undefined);
});

test('a Litestar app with its own manage.py CLI is not Django: init lists it and asks for the start, saying why (was: Django, no wsgi)', () => {
  const dir = dirs.files({
    'pyproject.toml': '[project]\nname = "board"\nversion = "1"\nrequires-python = ">=3.12"\ndependencies = ["litestar[standard]>=2.12"]\n',
    'uv.lock': 'version = 1\n',
    'manage.py': 'def main():\n    from board.cli import run\n    run()\n\nif __name__ == "__main__":\n    main()\n',
    'board/__init__.py': '',
    'board/asgi.py': 'from litestar import Litestar\n\ndef create_app() -> Litestar:\n    return Litestar(route_handlers=[])\n',
  });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const r = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /framework {7}none {2}\(pyproject\.toml:5 "litestar\[standard\]>=2\.12" \(litestar: no framework deploy-kit knows the start of\)\)/);
  assert.not.match(r.stdout, /django|gunicorn|python manage\.py/);
  const why = /warning: pyproject\.toml:5 "litestar\[standard\]>=2\.12": deploy-kit does not detect litestar apps; pass the production start command/;
  assert.match(r.stdout, why);
  assert.match(r.stderr, /no terminal to ask: --start\n/);
  const started = cli('deploy-kit', ['init', '--yes', '--start', 'uvicorn board.asgi:create_app --factory --host 0.0.0.0 --port 8000'], dir);
  assert.is(started.code, 0, started.stderr);
  const cmd = /^CMD \["uvicorn","board\.asgi:create_app","--factory","--host","0\.0\.0\.0","--port","8000"\]$/m;
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), cmd);
});

test('a repo serving with uWSGI: the image installs gunicorn, and the warning names the uwsgi it declares', async () => {
  const py = await detectPython(dirs.files({ ...DJANGO, 'requirements.txt': 'Django==5.2.1\nuwsgi>=2.0.17,<2.1\n', 'shop/settings.py': '' }));
  assert.equal(py?.warnings, [
    'gunicorn is not in the dependencies (the repo declares requirements.txt:2 uwsgi>=2.0.17,<2.1, a server deploy-kit does not run): ' +
      `the image installs gunicorn==${PYTHON_SERVERS.gunicorn}; add it (gunicorn) to choose its version`,
  ]);
});

test('settings with type annotations (`STATIC_ROOT: str = ...`, an annotated wsgi application) are read: collectstatic runs, no false warning', () => {
  const dir = dirs.files({
    ...DJANGO,
    'requirements.txt': 'Django==5.2.1\ngunicorn==23.0.0\nwhitenoise==6.8.0\n',
    'shop/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication: object = get_wsgi_application()\n',
    'shop/settings.py':
      'import os\nINSTALLED_APPS = [\n    "django.contrib.staticfiles",\n]\nSTATIC_ROOT: str = os.path.join(os.path.dirname(__file__), "static")\n',
  });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const r = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stdout + r.stderr, /without STATIC_ROOT/);
  assert.match(r.stdout, /shop\.wsgi:application/);
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /^RUN .*python manage\.py collectstatic --noinput$/m);
});

test.run();
