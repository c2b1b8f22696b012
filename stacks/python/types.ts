/** A Python service: what detection learns about it, and what its templates read. */
import type { PythonPackageManagerName } from '../../src/config/types.js';
import type { Fact } from '../../src/detect/fact.js';

export type PythonPackageManager = 'uv' | 'poetry' | 'pipenv' | 'pip';
export type PythonFramework = 'fastapi' | 'starlette' | 'django' | 'flask' | 'streamlit' | 'gradio' | 'none';
/** The process that serves the app: an ASGI or WSGI server, Streamlit's runner, or the app's own `python file.py`. */
export type PythonServer = 'uvicorn' | 'gunicorn' | 'streamlit' | 'python';

export interface DjangoFacts {
  /** e.g. "config.settings.production": wsgi.py's DJANGO_SETTINGS_MODULE default (what the server loads), else manage.py's. */
  settingsModule?: Fact<string>;
  /** Where manage.py is, when not at the service's root (`src`, `netbox`): collectstatic and migrate run that one. */
  manageDir?: Fact<string>;
  /** e.g. "mysite.wsgi:application". */
  wsgiApplication?: Fact<string>;
  /** Whether the image should run `manage.py collectstatic` (STATIC_ROOT is set). */
  collectstatic: Fact<boolean>;
  /** Whether the project has migrations to run (`<app>/migrations/0001_*.py`). */
  migrations: Fact<boolean>;
}

export interface PythonFacts {
  /** Relative path of the service inside the repo ("." for the root). */
  path: string;
  /** `[project].name` or `[tool.poetry].name`. */
  name?: Fact<string>;
  packageManager: Fact<PythonPackageManager>;
  /** A uv workspace member: the workspace root (repo-relative) whose uv.lock it installs from; the image builds from there. */
  workspaceRoot?: Fact<string>;
  /** uv.lock, poetry.lock, Pipfile.lock or requirements.txt, when present (uv.lock: the workspace root's, for a member). */
  lockfile?: Fact<string>;
  /** "3.X". From `requires-python` and the like it is a minimum, and the evidence says so. */
  pythonVersion?: Fact<string>;
  framework: Fact<PythonFramework>;
  /** pip and no requirements.txt, but a pyproject.toml or setup.py: the image installs the project itself. */
  installProject?: Fact<boolean>;
  /** Files requirements.txt includes (-r, -c) that `requirements*.txt` does not match: the install reads them. */
  requirementIncludes?: Fact<string[]>;
  server?: Fact<PythonServer>;
  /** The server is not among the dependencies: the image installs it (pinned). */
  serverMissing?: Fact<boolean>;
  /** What the server loads: "main:app", "pkg.api:app", "mysite.wsgi:application", "app:create_app()", or a script "app.py". */
  entrypoint?: Fact<string>;
  /** Exec-form friendly, e.g. "uvicorn main:app --host 0.0.0.0 --port 8000". */
  start?: Fact<string>;
  port?: Fact<number>;
  healthPath?: Fact<string>;
  /** The variable a `python file.py` app reads its port from when not PORT (`int(os.environ.get("NOTES_PORT", 8080))`): the kit sets it. */
  portEnv?: Fact<string>;
  /** Where an app started as `python file.py` binds (`launch(server_name=...)`, `app.run(host=...)`), when the code says. */
  bindHost?: Fact<string>;
  django?: DjangoFacts;
  /** A web framework deploy-kit has no start for (Litestar, Quart, Sanic...): the service is listed, and its start asked for. */
  otherFramework?: Fact<string>;
  /** Alembic's release step: `alembic upgrade head`, or Flask-Migrate's `flask --app <app> db upgrade`. */
  migrate?: Fact<string>;
  warnings: string[];
}

/** The service view's `python` field: what its templates read. */
export interface PythonStackView {
  packageManager: PythonPackageManagerName;
  lockfile: string;
  manifests: string;
  cacheDir: string;
  uv: boolean;
  poetry: boolean;
  pipenv: boolean;
  pip: boolean;
  /** Exact tool version installed in the build stage and CI (uv, poetry, pipenv); null for pip. */
  toolVersion: string | null;
  ciInstall: string;
  /** setup-python's `cache:` (setup-uv caches uv's own). */
  ciCache: string | null;
  /** pip with no requirements.txt: the image installs the project itself (pyproject.toml, its build backend). */
  installProject: boolean;
  /** A uv workspace member: its directory inside the workspace (the build context), e.g. "backend"; null otherwise. */
  member: string | null;
  /** Files the pip install reads beyond requirements*.txt, each copied to the same path before it. */
  requirementIncludes: string[];
  server: string;
  /** `gunicorn==X` when the repo does not declare the server its start command runs, else null. */
  serverInstall: string | null;
  django: boolean;
  streamlit: boolean;
  gradio: boolean;
  collectstatic: boolean;
  /** DJANGO_SETTINGS_MODULE set in the image, or null. */
  settingsModule: string | null;
  /** `manage.py`, or `src/manage.py` when it sits below the service's directory. */
  manageScript: string;
  /** Describes the entrypoint for comments: "main:app", or the script. */
  entrypoint: string | null;
}
