import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { readText } from '../../src/detect/shared.js';
import { tomlString, type TomlTables } from '../../src/detect/toml.js';
import { PYTHON_DEFAULT } from '../../src/versions.js';
import type { PythonPackageManager } from './types.js';

/** Which package manager installs a Python service, its Python version, and what it depends on. */

export interface Dep {
  extras: string[];
  /** The version constraint as written ("==3.2.19", "^3.2"), when there is one. */
  spec?: string;
  /** "requirements.txt:3 fastapi[standard]==0.111.0". */
  evidence: string;
}

// ------------------------------------------------------------------ package manager and version

export interface ManagerInput {
  pyproject: TomlTables | undefined;
  pipfile: TomlTables | undefined;
  requirements: boolean;
  hasSetupPy: boolean;
  hasUvLock: boolean;
  hasPoetryLock: boolean;
  hasPipfileLock: boolean;
  /** A uv workspace member: the workspace root's uv.lock ("uv.lock", "services/uv.lock"), which stands for its own. */
  workspaceLock?: string;
}

export function packageManager(input: ManagerInput, warnings: string[], at: (f: string) => string): Fact<PythonPackageManager> {
  const tables = [...(input.pyproject?.keys() ?? [])];
  const poetryTable = tables.some((t) => t === 'tool.poetry' || t.startsWith('tool.poetry.'));
  const uvTable = tables.some((t) => t === 'tool.uv' || t.startsWith('tool.uv.'));
  // Each manager with the file that says so; a lockfile is a stronger statement than a config table.
  const signals: Array<[PythonPackageManager, string, boolean]> = [];
  if (input.hasUvLock) signals.push(['uv', at('uv.lock'), true]);
  else if (input.workspaceLock) signals.push(['uv', input.workspaceLock, true]);
  if (input.hasPoetryLock) signals.push(['poetry', at('poetry.lock'), true]);
  if (input.hasPipfileLock) signals.push(['pipenv', at('Pipfile.lock'), true]);
  if (poetryTable && !input.hasPoetryLock) signals.push(['poetry', `${at('pyproject.toml')} [tool.poetry]`, false]);
  if (input.pipfile && !input.hasPipfileLock) signals.push(['pipenv', at('Pipfile'), false]);
  if (uvTable && !input.hasUvLock && !input.workspaceLock) signals.push(['uv', `${at('pyproject.toml')} [tool.uv]`, false]);
  if (input.requirements) signals.push(['pip', at('requirements.txt'), true]);

  const [first] = signals;
  if (!first) {
    const what = input.pyproject
      ? `${at('pyproject.toml')} without a lockfile`
      : input.hasSetupPy
        ? `${at('setup.py')} without a lockfile`
        : 'no requirements.txt or pyproject.toml';
    if (input.pyproject || input.hasSetupPy)
      warnings.push(`${what}: pip installs whatever versions are current at build time; pin them (uv lock, poetry lock or a requirements.txt)`);
    return { value: 'pip', evidence: `${what}; pip assumed` };
  }
  const [pm, file, isLock] = first;
  const managers = [...new Set(signals.map(([m]) => m))];
  if (managers.length > 1) {
    warnings.push(
      `several Python package managers: ${signals.map(([, f]) => f).join(', ')}; using ${pm} (${file}). Delete the stale files or say which one builds the app`,
    );
  }
  if (!isLock) {
    const lockName = pm === 'poetry' ? 'poetry.lock' : pm === 'pipenv' ? 'Pipfile.lock' : 'uv.lock';
    warnings.push(`${file} but no ${lockName}: builds are not reproducible; run \`${pm === 'pipenv' ? 'pipenv lock' : `${pm} lock`}\` and commit ${lockName}`);
  }
  return { value: pm, evidence: `${file}${file.endsWith(']') ? '' : ' present'}${managers.length > 1 ? ' (one of several)' : ''}` };
}

/**
 * Reduces a Python version spec to "3.X" and says whether it is a minimum: ">=3.11" is 3.11 at least,
 * "==3.11.*" or "~3.11" is exactly 3.11. `newest` is the newest 3.X an upper bound still allows
 * ("<3.13" -> 3.12, "<=3.12" -> 3.12); Poetry's "^3.10" and "~=3.10" only stop at Python 4, so they
 * have none. Undefined when no lower bound is given ("<3.13").
 *
 * @example
 *   pythonMinor('>=3.11,<3.14') // { version: '3.11', minimum: true, newest: '3.13' }
 */
export function pythonMinor(spec: string): { version: string; minimum: boolean; newest?: string } | undefined {
  let lower: { version: string; minimum: boolean } | undefined;
  let newest: number | undefined;
  for (const clause of spec.split(/,|\|\|/)) {
    const m = /^\s*(===|==|~=|>=|>|\^|~|<=|<|!=)?\s*v?(?:python-?|cpython-)?(\d+)\.(\d+)(?:\.(\d+|\*))?/.exec(clause);
    if (!m) continue;
    const [, op = '', major, minor, patch] = m;
    if (op === '!=' || major !== '3') continue;
    if (op === '<' || op === '<=') {
      // "<3.13" and "<3.13.0" exclude all of 3.13; "<3.13.2" and "<=3.13" still allow 3.13.
      const allowed = op === '<' && (patch === undefined || patch === '0') ? Number(minor) - 1 : Number(minor);
      newest = newest === undefined ? allowed : Math.min(newest, allowed);
      continue;
    }
    if (lower) continue;
    // ~= with a patch (~=3.11.2) and poetry's ~3.11 stay within the minor; so does ==.
    const exact = op === '' || op === '==' || op === '===' || op === '~' || (op === '~=' && patch !== undefined);
    lower = { version: `${major}.${minor}`, minimum: !exact };
  }
  if (!lower) return undefined;
  return lower.minimum && newest !== undefined ? { ...lower, newest: `3.${newest}` } : lower;
}

/**
 * Framework releases that cap the Python they run on, from each release's own notes: Django 3.2.9
 * "adds compatibility with Python 3.10" and no 3.2 release adds a newer one; Django 4.2.8 "adds
 * compatibility with Python 3.12" (docs.djangoproject.com/en/stable/releases/3.2.9/, .../4.2.8/).
 * Kept to the releases those notes confirm; any other release line is not checked, and says so.
 */
export const FRAMEWORK_PYTHON_CAPS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  django: { '3.2': '3.10', '4.2': '3.12' },
};

/**
 * The release line ("3.2") a requirement spec keeps a package on, when its upper bound says so:
 * "==3.2.19", "~=3.2.0", "==3.2.*", ">=3.2,<3.3", "<=3.2.25". Django ends each major at X.2 (its
 * long-term release), so "<4.0", "^3.2" and "~=3.2" also mean 3.2 for Django. Undefined when the
 * spec lets any newer release in (">=3.2", no spec at all).
 */
export function releaseLine(spec: string, lastMinorOfMajor?: number): string | undefined {
  let line: [number, number] | undefined;
  const tighter = (l: [number, number]): void => {
    if (!line || l[0] < line[0] || (l[0] === line[0] && l[1] < line[1])) line = l;
  };
  for (const clause of spec.split(',')) {
    const m = /^\s*(===|==|~=|<=|<|\^|~)\s*v?(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?/.exec(clause);
    if (!m) continue;
    const [, op, maj, min, patch] = m;
    const major = Number(maj);
    const minor = min === undefined || min === '*' ? undefined : Number(min);
    if ((op === '==' || op === '===' || op === '~') && minor !== undefined) tighter([major, minor]);
    else if (op === '<=' && minor !== undefined) tighter([major, minor]);
    else if (op === '~=' && minor !== undefined && patch !== undefined) tighter([major, minor]);
    else if (op === '<') {
      if (minor !== undefined && minor > 0) tighter([major, minor - 1]);
      else if (lastMinorOfMajor !== undefined) tighter([major - 1, lastMinorOfMajor]);
    } else if ((op === '~=' || op === '^') && lastMinorOfMajor !== undefined) tighter([major, lastMinorOfMajor]);
  }
  return line && `${line[0]}.${line[1]}`;
}

const minorOf = (v: string): number => Number(v.split('.')[1]);

/**
 * The Python the image runs: the repo's version spec resolved to the newest supported release it
 * allows (like Node's engines), then held to what the framework release supports.
 */
export async function pythonVersion(
  dir: string,
  pyproject: TomlTables | undefined,
  pipfile: TomlTables | undefined,
  cap: { version: string; evidence: string } | undefined,
  warnings: string[],
  at: (f: string) => string,
  workspace?: { dir: string; at: (f: string) => string },
): Promise<Fact<string> | undefined> {
  const pin = async (d: string) =>
    (await readText(join(d, '.python-version')))
      ?.split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .find(Boolean);
  // uv reads .python-version from the project's directory up to its workspace root.
  const own = await pin(dir);
  const rootPin = own === undefined && workspace ? await pin(workspace.dir) : undefined;
  const pinned = own ?? rootPin;
  const pinnedAt = rootPin !== undefined && workspace ? workspace.at('.python-version') : at('.python-version');
  const runtime = (await readText(join(dir, 'runtime.txt')))?.trim();
  const poetryPython = pyproject?.get('tool.poetry.dependencies')?.get('python');
  const sources: Array<[where: string, spec: string | undefined]> = [
    [pinnedAt, pinned],
    [
      `${at('pyproject.toml')}:${pyproject?.get('project')?.get('requires-python')?.line ?? 0} requires-python`,
      tomlString(pyproject?.get('project')?.get('requires-python')),
    ],
    [`${at('pyproject.toml')}:${poetryPython?.line ?? 0} [tool.poetry.dependencies] python`, tomlString(poetryPython)],
    [
      `${at('Pipfile')} [requires] python_version`,
      tomlString(pipfile?.get('requires')?.get('python_version')) ?? tomlString(pipfile?.get('requires')?.get('python_full_version')),
    ],
    [at('runtime.txt'), runtime],
    // The repo's own image names the Python it runs on (FROM python:3.12.1-slim): its pinned dependencies are known to install there.
    ...(await dockerfilePython(dir, at)),
  ];
  for (const [where, spec] of sources) {
    if (spec === undefined || spec === '') continue;
    const parsed = pythonMinor(spec);
    if (!parsed) {
      warnings.push(`${where} ${JSON.stringify(spec)} names no Python 3.X version; pin one (e.g. "3.12") so the image does not change under you`);
      continue;
    }
    const said = `${where}: ${JSON.stringify(spec)}`;
    if (!parsed.minimum) {
      if (cap && minorOf(parsed.version) > minorOf(cap.version))
        warnings.push(`${said} is newer than ${cap.evidence} supports (Python ${cap.version} at most); the pin is kept`);
      return { value: parsed.version, evidence: said };
    }
    // A range: the newest supported release it allows, no newer than the framework supports.
    const rangeTop = parsed.newest !== undefined && minorOf(parsed.newest) < minorOf(PYTHON_DEFAULT) ? parsed.newest : undefined;
    let why = rangeTop ? `a range: ${rangeTop}, the newest release it allows` : `a minimum: ${PYTHON_DEFAULT}, the newest supported Python, satisfies it`;
    let value = rangeTop ?? PYTHON_DEFAULT;
    if (cap && minorOf(cap.version) < minorOf(value)) {
      value = cap.version;
      why += `; held to ${cap.version}: ${cap.evidence} supports Python ${cap.version} at most`;
    }
    if (minorOf(value) < minorOf(parsed.version)) {
      warnings.push(`${said} asks for ${parsed.version} or newer, but ${why.replace(/^[^;]*; held to [\d.]+: /, '')}; using ${parsed.version}`);
      return { value: parsed.version, evidence: `${said} (a minimum; nothing newer fits)` };
    }
    return { value, evidence: `${said} (${why})` };
  }
  if (cap && minorOf(cap.version) < minorOf(PYTHON_DEFAULT))
    return { value: cap.version, evidence: `no Python version in the repo; ${cap.evidence} supports Python ${cap.version} at most` };
  return undefined;
}

/** `FROM python:3.12-slim` in the repo's own Dockerfile, Dockerfile.prod, api.Dockerfile (not one deploy-kit wrote). */
async function dockerfilePython(dir: string, at: (f: string) => string): Promise<Array<[where: string, spec: string | undefined]>> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^Dockerfile(?:\.[\w.-]+)?$|\.Dockerfile$/.test(n)).sort();
  names.sort((a, b) => Number(b === 'Dockerfile') - Number(a === 'Dockerfile'));
  for (const name of names) {
    const text = await readText(join(dir, name));
    if (text === undefined || /^# Generated by deploy-kit\b/m.test(text)) continue;
    const lines = text.split('\n');
    const i = lines.findIndex((l) => /^\s*FROM\s+(?:--platform=\S+\s+)?(?:docker\.io\/)?(?:library\/)?python:3\.\d+/i.test(l));
    const tag = i < 0 ? undefined : /python:(3\.\d+(?:\.\d+)?)/i.exec(lines[i] ?? '')?.[1];
    if (tag) return [[`${at(name)}:${i + 1} ${(lines[i] ?? '').trim()}`, tag]];
  }
  return [];
}

// ------------------------------------------------------------------ dependencies

/** PEP 503 normalised name: "Flask_SQLAlchemy" and "flask-sqlalchemy" are the same package. */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export function addRequirement(deps: Map<string, Dep>, requirement: string, evidence: string, poetrySpec?: string): void {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*([^;]*)/.exec(requirement);
  if (!m?.[1]) return;
  const name = normalise(m[1]);
  if (deps.has(name)) return;
  const spec = (poetrySpec ?? m[3] ?? '').replace(/\s+/g, '');
  deps.set(name, {
    extras: (m[2] ?? '')
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
    ...(spec ? { spec } : {}),
    evidence,
  });
}

/**
 * requirements.txt lines, following `-r other.txt` one level down (within the service); the files
 * it includes (`-r`, `-c`) that exist go to `includes`, since the install reads them too.
 */
export async function requirementDeps(
  dir: string,
  file: string,
  text: string,
  deps: Map<string, Dep>,
  at: (f: string) => string,
  level: number,
  includes: Set<string> = new Set(),
): Promise<void> {
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const constraint = /^(?:-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (constraint?.[1]) {
      const target = posix.normalize(posix.join(posix.dirname(file), constraint[1]));
      if (!target.startsWith('..') && (await readText(join(dir, target))) !== undefined) includes.add(target);
      continue;
    }
    const include = /^(?:-r|--requirement)\s*=?\s*(\S+)/.exec(line);
    if (include?.[1] && level < 2) {
      const target = posix.normalize(posix.join(posix.dirname(file), include[1]));
      if (target.startsWith('..')) continue;
      const nested = await readText(join(dir, target));
      if (nested !== undefined) {
        includes.add(target);
        await requirementDeps(dir, target, nested, deps, at, level + 1, includes);
      }
      continue;
    }
    if (line.startsWith('-')) continue; // -e ., --index-url, -c constraints
    addRequirement(deps, line, `${at(file)}:${i + 1} ${line}`);
  }
}
