/** A Python service's template data: its package manager's commands, its image, its probe. */
import type { PythonPackageManagerName, ServiceConfig } from '../../src/config/types.js';
import { PYTHON_DEFAULT, PYTHON_SERVERS, PYTHON_TOOLS, pythonImage } from '../../src/versions.js';
import { inDir, probeForms } from '../shared.js';
import type { Probe, ServiceDirs, StackView } from '../types.js';
import type { PythonStackView } from './types.js';

/**
 * How each Python package manager installs into the image's virtualenv (/opt/venv) and in CI.
 * `image` installs production dependencies only, from the lockfile, refusing a stale one.
 */
const PY_PM: Record<
  PythonPackageManagerName,
  { lockfile: string; manifests: string; cacheDir: string; ciCache: string | null; ciInstall: string; runPrefix: string }
> = {
  uv: {
    lockfile: 'uv.lock',
    manifests: 'pyproject.toml uv.lock',
    cacheDir: '/root/.cache/uv',
    ciCache: null,
    // --locked: CI has the whole repository, so it also refuses a uv.lock out of date with pyproject.toml.
    ciInstall: 'uv sync --locked',
    runPrefix: 'uv run ',
  },
  poetry: {
    lockfile: 'poetry.lock',
    manifests: 'pyproject.toml poetry.lock',
    cacheDir: '/root/.cache/pypoetry',
    ciCache: 'poetry',
    ciInstall: 'poetry install --no-interaction --no-root',
    runPrefix: 'poetry run ',
  },
  pipenv: {
    lockfile: 'Pipfile.lock',
    manifests: 'Pipfile Pipfile.lock',
    cacheDir: '/root/.cache/pip',
    ciCache: 'pipenv',
    ciInstall: 'pipenv install --deploy --dev',
    runPrefix: 'pipenv run ',
  },
  pip: {
    lockfile: 'requirements.txt',
    manifests: 'requirements*.txt',
    cacheDir: '/root/.cache/pip',
    ciCache: 'pip',
    ciInstall: 'python -m pip install -r requirements.txt',
    runPrefix: '',
  },
};

/** python's urllib (curl and wget are often missing); PORT is read at run time so the check follows an override. */
export function pythonProbe(s: Pick<ServiceConfig, 'port' | 'healthPath'>): Probe {
  if (s.healthPath === undefined) {
    const tcp = `import os,socket;socket.create_connection(('127.0.0.1',int(os.environ.get('PORT','${s.port}'))),timeout=4).close()`;
    return probeForms(['python', '-c', tcp], `python -c "${tcp}"`);
  }
  // urlopen raises on a refused connection, a timeout and any 4xx/5xx: a non-zero exit.
  const py = `import os,urllib.request as u;u.urlopen('http://127.0.0.1:'+os.environ.get('PORT','${s.port}')+'${s.healthPath}',timeout=4)`;
  return probeForms(['python', '-c', py], `python -c "${py}"`);
}

export function pythonView(s: ServiceConfig, { dir, workspaceDir }: ServiceDirs): StackView {
  const pmName = (s.packageManager ?? 'pip') as PythonPackageManagerName;
  const pm = PY_PM[pmName];
  const languageVersion = s.languageVersion ?? PYTHON_DEFAULT;
  const tool = pmName === 'pip' ? null : (s.packageManagerVersion ?? PYTHON_TOOLS[pmName]);
  const server = s.server ?? 'python';
  const framework = s.framework ?? 'none';
  const installProject = pmName === 'pip' && s.lockfile === false;
  const python: PythonStackView = {
    packageManager: pmName,
    lockfile: installProject ? 'pyproject.toml' : pm.lockfile,
    manifests: installProject ? 'pyproject.toml' : pm.manifests,
    installProject,
    cacheDir: pm.cacheDir,
    uv: pmName === 'uv',
    poetry: pmName === 'poetry',
    pipenv: pmName === 'pipenv',
    pip: pmName === 'pip',
    toolVersion: tool,
    ciInstall: installProject ? 'python -m pip install .' : pm.ciInstall,
    ciCache: pm.ciCache,
    // A uv workspace member's path inside its workspace: the context is the workspace root.
    member: pmName === 'uv' && workspaceDir !== null ? (workspaceDir === '' ? dir : dir.slice(workspaceDir.length + 1)) : null,
    requirementIncludes: pmName === 'pip' ? (s.requirementIncludes ?? []) : [],
    server,
    serverInstall: s.installServer && (server === 'gunicorn' || server === 'uvicorn') ? `${server}==${PYTHON_SERVERS[server]}` : null,
    django: framework === 'django',
    streamlit: framework === 'streamlit',
    gradio: framework === 'gradio',
    collectstatic: s.collectstatic ?? false,
    settingsModule: framework === 'django' ? (s.settingsModule ?? null) : null,
    manageScript: s.manageDir ? `${s.manageDir.replace(/\/+$/, '')}/manage.py` : 'manage.py',
    entrypoint: s.entrypoint ?? null,
  };
  const image = pythonImage(languageVersion);
  // A plain `python app.py` (and Gradio, which is one) ignores SIGTERM as PID 1; the servers handle it.
  const tiniNeeded = server === 'python';
  const lockfilePath = inDir(python.member === null ? dir : (workspaceDir ?? dir), python.lockfile);
  return {
    testJob: true,
    languageVersion,
    baseImage: image,
    runtimeImage: image,
    lockfilePath,
    ciCacheFiles: [lockfilePath],
    imageSummary: `${framework === 'none' ? 'Python' : framework} on Python ${languageVersion}, served by ${server}`,
    runsAs: `the unprivileged \`app\` user (uid 1000)${tiniNeeded ? ' under tini' : ''}`,
    user: '1000:1000',
    tiniNeeded,
    python,
  };
}
