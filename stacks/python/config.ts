/** What `init` takes from a Python service's facts. */
import type { Framework, ServiceConfig } from '../../src/config/types.js';
import { PYTHON_DEFAULT } from '../../src/versions.js';
import { TCP_HEALTH, detected } from '../shared.js';
import type { ConfigExtras, Detected, ServiceAnswers, ServiceQuestions } from '../types.js';
import type { PythonFacts } from './types.js';

/** uvicorn's and gunicorn's default port, when the code names none. */
const DEFAULT_PORT = 8000;

/** A Python project is a service when it starts something, or at least uses a web framework. */
export function pythonDeployable(f: PythonFacts): string | undefined {
  if (f.start) return `${f.framework.value} app: ${f.start.evidence}`;
  if (f.otherFramework) return `${f.otherFramework.value} app: ${f.otherFramework.evidence}`;
  return f.framework.value !== 'none' ? `${f.framework.value} app: ${f.framework.evidence}` : undefined;
}

export function pythonQuestions(f: PythonFacts): ServiceQuestions {
  // Gradio has no health route of its own; its page answers 200 once it is up.
  const health =
    detected(f.healthPath) ?? (f.framework.value === 'gradio' ? { value: '/', evidence: "Gradio's page (it has no health route of its own)" } : undefined);
  return {
    port: detected(f.port),
    healthPath: health,
    start: detected(f.start),
    needsStart: true,
    fallback: { port: String(DEFAULT_PORT), healthPath: TCP_HEALTH },
  };
}

/** The Python version of the image: detection already resolved ranges and framework caps. */
function pythonVersionFor(f: PythonFacts['pythonVersion']): string {
  return f?.value ?? PYTHON_DEFAULT;
}

export function pythonLanguageVersion(f: PythonFacts): Detected {
  return {
    value: pythonVersionFor(f.pythonVersion),
    evidence: f.pythonVersion?.evidence ?? 'no version in the repo: the newest supported Python',
  };
}

function testCommand(f: PythonFacts, hasPytest: boolean): string | null {
  if (!hasPytest) return null;
  const prefix = { uv: 'uv run ', poetry: 'poetry run ', pipenv: 'pipenv run ', pip: 'python -m ' }[f.packageManager.value];
  return `${prefix}pytest`;
}

export function pythonConfig(f: PythonFacts, base: { name: string; path: string }, a: ServiceAnswers, extras: ConfigExtras): ServiceConfig {
  const svc: Partial<ServiceConfig> = { ...base, stack: 'python', framework: f.framework.value as Framework };
  svc.server = f.server?.value ?? 'python';
  if (f.serverMissing?.value && (svc.server === 'gunicorn' || svc.server === 'uvicorn')) svc.installServer = true;
  if (f.entrypoint && /^[A-Za-z0-9_.:/()-]+$/.test(f.entrypoint.value)) svc.entrypoint = f.entrypoint.value;
  if (f.django) {
    svc.collectstatic = f.django.collectstatic.value;
    if (f.django.settingsModule && /^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*$/.test(f.django.settingsModule.value))
      svc.settingsModule = f.django.settingsModule.value;
    if (f.django.manageDir) svc.manageDir = f.django.manageDir.value;
    if (f.django.migrations.value) svc.migrate = `python ${f.django.manageDir ? `${f.django.manageDir.value}/` : ''}manage.py migrate --noinput`;
  }
  if (f.migrate) svc.migrate = f.migrate.value;
  svc.packageManager = f.packageManager.value;
  if (f.workspaceRoot && f.packageManager.value === 'uv') svc.workspaceRoot = f.workspaceRoot.value;
  if (f.packageManager.value === 'pip' && f.requirementIncludes) svc.requirementIncludes = f.requirementIncludes.value;
  if (f.installProject?.value) svc.lockfile = false;
  svc.packageManagerVersion = null;
  svc.languageVersion = a.languageVersion ?? pythonVersionFor(f.pythonVersion);
  svc.test = a.test !== undefined && a.test !== null ? a.test : testCommand(f, extras.hasPytest ?? false);
  if (a.start) svc.start = a.start;
  svc.port = a.port;
  if (f.portEnv) svc.portEnv = f.portEnv.value;
  if (a.healthPath !== undefined) svc.healthPath = a.healthPath;
  return svc as ServiceConfig;
}
