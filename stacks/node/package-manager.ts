import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { exists, isRecord, readText } from '../../src/detect/shared.js';
import type { NodeFacts, PackageManager } from './types.js';
import { NODE_LTS_MAJOR } from '../../src/versions.js';

/** Which package manager installs a Node service, and which Node major it asks for. */
export interface PackageJson {
  name?: unknown;
  main?: unknown;
  packageManager?: unknown;
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  peerDependencies?: Record<string, unknown>;
  engines?: { node?: unknown; vscode?: unknown };
  volta?: { node?: unknown };
  workspaces?: unknown;
  /** pnpm's settings (`pnpm.patchedDependencies`). */
  pnpm?: unknown;
  /** Prisma's settings (`prisma.schema`: where the schema is). */
  prisma?: unknown;
}

/** Where a nested package's workspace root is, for the lockfile and Node version it shares. */
export interface WorkspaceContext {
  dir: string;
  pkg: PackageJson;
  at: (file: string) => string;
}

/** Lockfiles by package manager; within one manager the first present wins (npm itself prefers the shrinkwrap). */
const LOCKFILES: ReadonlyArray<readonly [PackageManager, string]> = [
  ['pnpm', 'pnpm-lock.yaml'],
  ['yarn', 'yarn.lock'],
  ['bun', 'bun.lock'],
  ['bun', 'bun.lockb'],
  ['npm', 'npm-shrinkwrap.json'],
  ['npm', 'package-lock.json'],
];
// With several lockfiles and no packageManager field, npm's loses: a stray package-lock.json from
// someone running `npm install` in a pnpm/yarn repo is the common accident, not the reverse.

/** `lts/<codename>` in .nvmrc names a major; `lts/*` and `node` move with time, so they decide nothing. */
const LTS_CODENAMES: Record<string, string> = {
  argon: '4',
  boron: '6',
  carbon: '8',
  dubnium: '10',
  erbium: '12',
  fermium: '14',
  gallium: '16',
  hydrogen: '18',
  iron: '20',
  jod: '22',
  krypton: '24',
};

export async function detectPackageManager(
  dir: string,
  pkg: PackageJson,
  facts: NodeFacts,
  warnings: string[],
  at: (f: string) => string,
  workspace?: WorkspaceContext,
): Promise<void> {
  const present: Array<readonly [PackageManager, string]> = [];
  for (const lock of LOCKFILES) if (await exists(join(dir, lock[1]))) present.push(lock);
  // A workspace package has no lockfile of its own: the workspace root's decides, as it does for `npm ci`.
  if (
    workspace &&
    present.length === 0 &&
    (typeof pkg.packageManager !== 'string' || typeof workspace.pkg.packageManager !== 'string' || pkg.packageManager === workspace.pkg.packageManager)
  ) {
    const shared: NodeFacts = { path: facts.path, packageManager: facts.packageManager };
    const rootWarnings: string[] = [];
    await detectPackageManager(workspace.dir, workspace.pkg, shared, rootWarnings, workspace.at);
    if (shared.lockfile) {
      const suffix = ' (workspace root)';
      facts.packageManager = { ...shared.packageManager, evidence: shared.packageManager.evidence + suffix };
      facts.lockfile = { value: shared.lockfile.value, evidence: shared.lockfile.evidence + suffix };
      if (shared.packageManagerVersion) facts.packageManagerVersion = shared.packageManagerVersion;
      if (shared.yarnFlavor) facts.yarnFlavor = shared.yarnFlavor;
      return; // the root's own warnings are reported with the root
    }
  }

  // "pnpm@9.1.0", "yarn@4.1.0+sha512.abc": corepack's field, the project's own statement.
  const field =
    typeof pkg.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@v?((\d+)(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)/.exec(pkg.packageManager.trim()) : null;
  if (typeof pkg.packageManager === 'string' && !field) {
    warnings.push(`${at('package.json')} packageManager ${JSON.stringify(pkg.packageManager)} is not npm, pnpm, yarn or bun with a version; ignored`);
  }

  if (field) {
    const pm = field[1] as PackageManager;
    facts.packageManager = { value: pm, evidence: `${at('package.json')} packageManager: ${JSON.stringify(pkg.packageManager)}` };
    // The version without corepack's "+sha512..." integrity suffix.
    if (field[2]) facts.packageManagerVersion = { value: field[2], evidence: facts.packageManager.evidence };
    const lock = present.find(([m]) => m === pm);
    if (lock) facts.lockfile = { value: lock[1], evidence: `${at(lock[1])} present` };
    else
      warnings.push(
        `${at('package.json')} says packageManager ${pm} but there is no ${pm} lockfile: builds are not reproducible; run \`${pm} install\` and ` +
          `commit the lockfile`,
      );
    const stale = present.filter(([m]) => m !== pm).map(([, f]) => f);
    if (stale.length > 0)
      warnings.push(
        `${stale.map(at).join(', ')} present but packageManager is ${pm}: ${stale.length > 1 ? 'these lockfiles are' : 'this lockfile is'} ` +
          `ignored; delete if stale`,
      );
    if (pm === 'yarn') {
      const major = Number(field[3]);
      facts.yarnFlavor = { value: major >= 2 ? 'berry' : 'classic', evidence: `${at('package.json')} packageManager: ${JSON.stringify(pkg.packageManager)}` };
    }
  } else {
    const chosen = present[0];
    if (!chosen) {
      facts.packageManager = { value: 'npm', evidence: 'no lockfile; npm assumed' };
      warnings.push(
        `no lockfile in ${facts.path === '.' ? 'the repository root' : facts.path}: npm assumed and builds are not reproducible; ` +
          `run \`npm install\` and commit package-lock.json (or the lockfile of your package manager)`,
      );
    } else {
      const [pm, file] = chosen;
      facts.packageManager = { value: pm, evidence: `${at(file)} present` };
      facts.lockfile = { value: file, evidence: `${at(file)} present` };
      const managers = new Set(present.map(([m]) => m));
      if (managers.size > 1) {
        warnings.push(
          `several lockfiles: ${present.map(([, f]) => at(f)).join(', ')}; using ${pm} (${file}). Set "packageManager" in ${at('package.json')} or ` +
            `delete the stale ones`,
        );
        facts.packageManager.evidence += ` (one of several lockfiles; ${pm} preferred)`;
      }
    }
    if (facts.packageManager.value === 'yarn') facts.yarnFlavor = await detectYarnFlavor(dir, at);
    if (facts.lockfile?.value === 'pnpm-lock.yaml') {
      const version = await pnpmOfLockfile(dir, at);
      if (version) facts.packageManagerVersion = version;
    }
  }
}

/**
 * The directory of dependency patches the install applies, relative to the install root: pnpm's
 * `patchedDependencies` (package.json `pnpm`, or pnpm-workspace.yaml), or patch-package run by a
 * postinstall/prepare script (`patches/`, or its `--patch-dir`). The image must copy it before the
 * install: without it pnpm stops (ENOENT) and patch-package finds nothing and patches nothing.
 */
export async function detectPatches(dir: string, pkg: PackageJson, at: (f: string) => string): Promise<Fact<string> | undefined> {
  const pnpmField = isRecord(pkg.pnpm) && isRecord(pkg.pnpm.patchedDependencies) ? Object.values(pkg.pnpm.patchedDependencies) : [];
  const workspaceYaml = (await readText(join(dir, 'pnpm-workspace.yaml'))) ?? '';
  const yamlBlock = /^patchedDependencies:\s*\n((?:[ \t]+.*\n?)+)/m.exec(workspaceYaml)?.[1] ?? '';
  const yamlPaths = [...yamlBlock.matchAll(/:\s*['"]?([^'"\s]+)['"]?\s*$/gm)].map((m) => m[1]);
  const pnpmPatch = [...pnpmField, ...yamlPaths].find((p): p is string => typeof p === 'string');
  if (pnpmPatch) {
    const folder = pnpmPatch.replace(/^\.\//, '').split('/')[0] ?? '';
    const where = pnpmField.length > 0 ? `${at('package.json')} pnpm.patchedDependencies` : `${at('pnpm-workspace.yaml')} patchedDependencies`;
    if (folder && pnpmPatch.includes('/') && (await exists(join(dir, folder)))) return { value: folder, evidence: `${where}: ${pnpmPatch}` };
  }
  const scripts = isRecord(pkg.scripts) ? pkg.scripts : {};
  for (const hook of ['postinstall', 'prepare']) {
    const script = scripts[hook];
    if (typeof script !== 'string' || !/\bpatch-package\b/.test(script)) continue;
    const folder = /\bpatch-package\b[^&;|]*--patch-dir[=\s]+(\S+)/.exec(script)?.[1]?.replace(/^\.\//, '').replace(/\/$/, '') ?? 'patches';
    if (await exists(join(dir, folder))) return { value: folder, evidence: `${at('package.json')} scripts.${hook}: ${JSON.stringify(script)}` };
  }
  return undefined;
}

/** The first `bytes` of a file (a lockfile's version line), '' when it cannot be read. */
async function readHead(path: string, bytes: number): Promise<string> {
  const file = await open(path).catch(() => undefined);
  if (!file) return '';
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(bytes), 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}

/** The pnpm major that writes each older lockfile format; 9.0 (pnpm 9 and 10) is the default's own. */
const PNPM_OF_LOCKFILE: ReadonlyArray<readonly [RegExp, string]> = [
  [/^5\./, '7'],
  [/^6\./, '8'],
];

/**
 * An older pnpm-lock.yaml's pnpm, when package.json pins none: the pnpm the project installs with
 * (a newer one rewrites the lockfile, so a frozen install fails) and one that runs on its Node (pnpm 9+ needs 18).
 */
async function pnpmOfLockfile(dir: string, at: (f: string) => string): Promise<Fact<string> | undefined> {
  const head = await readHead(join(dir, 'pnpm-lock.yaml'), 200);
  const version = /^lockfileVersion:\s*['"]?([\d.]+)/m.exec(head)?.[1];
  const major = version === undefined ? undefined : PNPM_OF_LOCKFILE.find(([pattern]) => pattern.test(version))?.[1];
  return major === undefined ? undefined : { value: major, evidence: `${at('pnpm-lock.yaml')} lockfileVersion: '${version}' (written by pnpm ${major})` };
}

async function detectYarnFlavor(dir: string, at: (f: string) => string): Promise<Fact<'classic' | 'berry'>> {
  if (await exists(join(dir, '.yarnrc.yml'))) return { value: 'berry', evidence: `${at('.yarnrc.yml')} present` };
  const lock = await readFile(join(dir, 'yarn.lock'), 'utf8').catch(() => '');
  if (/^__metadata:/m.test(lock)) return { value: 'berry', evidence: `${at('yarn.lock')} has __metadata (yarn 2+ format)` };
  if (/yarn lockfile v1/.test(lock)) return { value: 'classic', evidence: `${at('yarn.lock')} is "yarn lockfile v1"` };
  return { value: 'classic', evidence: `no .yarnrc.yml and no __metadata in ${at('yarn.lock')}` };
}

export async function detectNodeVersion(dir: string, pkg: PackageJson, warnings: string[], at: (f: string) => string): Promise<Fact<string> | undefined> {
  const sources: Array<[where: string, spec: string | undefined]> = [
    [at('.nvmrc'), firstLine(await readFile(join(dir, '.nvmrc'), 'utf8').catch(() => undefined))],
    [at('.node-version'), firstLine(await readFile(join(dir, '.node-version'), 'utf8').catch(() => undefined))],
    [`${at('package.json')} engines.node`, isRecord(pkg.engines) && typeof pkg.engines.node === 'string' ? pkg.engines.node : undefined],
    [`${at('package.json')} volta.node`, isRecord(pkg.volta) && typeof pkg.volta.node === 'string' ? pkg.volta.node : undefined],
  ];
  // A source that names no fixed major (lts/*, node, *) is reported and the next one gets its say.
  for (const [where, spec] of sources) {
    if (spec === undefined || spec === '') continue;
    const major = nodeMajor(spec);
    // Above every number the spec names: a minimum, resolved to the current LTS.
    const minimum = major !== undefined && [...spec.matchAll(/\d+/g)].every((m) => Number(m[0]) < Number(major));
    if (major) return { value: major, evidence: `${where}: ${JSON.stringify(spec)}${minimum ? ' (a minimum: the current LTS satisfies it)' : ''}` };
    warnings.push(`${where} ${JSON.stringify(spec)} names no fixed Node major; pin one (e.g. "22") so the image does not change under you`);
  }
  return undefined;
}

/**
 * Reduces a Node version spec to one major: "v22.3.0" → "22", ">=20.9" → "20",
 * "^18 || ^20" → "20", ">=18 <21" → "20", "lts/iron" → "20", "lts/*" → undefined. A minimum with no
 * upper bound (">=18", ">20.9") is not a pin: it resolves to the current LTS when that satisfies it.
 */
export function nodeMajor(spec: string): string | undefined {
  const s = spec.trim().toLowerCase();
  const lts = /^lts\/([a-z]+)$/.exec(s);
  if (lts) return LTS_CODENAMES[lts[1] ?? ''];
  let best: number | undefined;
  for (const alternative of s.split('||')) {
    const uppers: number[] = [];
    const lowers: number[] = [];
    let openEnded = false;
    const hyphen = /^\s*v?(\d+)[^\s]*\s+-\s+v?(\d+)/.exec(alternative);
    if (hyphen) uppers.push(Number(hyphen[2]));
    for (const m of alternative.matchAll(/(<=|>=|<|>|=|\^|~)?\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/g)) {
      const [, op, maj, min, patch] = m;
      if (hyphen) break; // "A - B": B already taken as the upper bound
      const major = Number(maj);
      if (op === '<') {
        // "<21" and "<21.0.0" exclude all of 21; "<21.4" still allows 21.x.
        const onBoundary = (min === undefined || min === '0') && (patch === undefined || patch === '0');
        uppers.push(onBoundary ? major - 1 : major);
      } else if (op === '<=') uppers.push(major);
      else {
        lowers.push(major);
        if (op === '>=' || op === '>') openEnded = true;
      }
    }
    const lowest = lowers.length > 0 ? Math.max(...lowers) : undefined;
    const candidate =
      uppers.length > 0 ? Math.min(...uppers) : lowest !== undefined && openEnded ? Math.max(lowest, Number(NODE_LTS_MAJOR)) : lowest;
    if (candidate !== undefined && candidate > 0 && (best === undefined || candidate > best)) best = candidate;
  }
  return best === undefined ? undefined : String(best);
}

function firstLine(text: string | undefined): string | undefined {
  return text
    ?.split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .find(Boolean);
}
