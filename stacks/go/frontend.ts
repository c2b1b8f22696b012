import { readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { codeEvidence, readText } from '../../src/detect/shared.js';
import { GENERATED_DIRS, TEST_DIRS, lineIndex, type SourceFile } from '../../src/detect/walk.js';
import { nodeLanguageVersion } from '../node/config.js';
import { detectNode } from '../node/detect.js';
import type { GoFrontendFacts } from './types.js';

/** `//go:embed dist/*`, `//go:embed all:build "site"`: the patterns after the directive. */
const EMBED = /^[ \t]*\/\/go:embed\s+(.+)$/gm;
/** A build script's output directory flag: vite's `--outDir=../server/dist`, `--out-dir build`. */
const OUT_DIR_FLAG = /--out-?[dD]ir(?:=|\s+)["']?([^\s"'&;|]+)/;
/** How deep under the module a web UI's package.json is looked for (web/, ui/, frontend/app/). */
const MAX_DEPTH = 2;

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** Each directory a `//go:embed` pattern reads from, module-relative, with its directive as evidence. */
async function embedDirs(moduleDir: string, sources: SourceFile[], at: (f: string) => string): Promise<Map<string, string>> {
  const dirs = new Map<string, string>();
  for (const file of sources) {
    const lineOf = lineIndex(file.text);
    for (const m of file.text.matchAll(EMBED)) {
      for (const raw of (m[1] ?? '').trim().split(/\s+/)) {
        const pattern = raw.replace(/^["`](.*)["`]$/, '$1').replace(/^all:/, '');
        const first = pattern.split('/')[0] ?? '';
        if (!first || /[*?[]/.test(first) || first === '.' || first === '..') continue;
        const dir = posix.join(posix.dirname(file.path), first);
        // `//go:embed openapi.yaml`: a file of the repo, no directory to build.
        if (!pattern.includes('/') && /\.\w+$/.test(first) && !(await isDir(join(moduleDir, dir)))) continue;
        if (!dirs.has(dir)) dirs.set(dir, codeEvidence(at(file.path), lineOf(m.index ?? 0), m[0]));
      }
    }
  }
  return dirs;
}

function packageScripts(text: string | undefined): Record<string, unknown> {
  try {
    const pkg: unknown = JSON.parse(text ?? '{}');
    const scripts = pkg && typeof pkg === 'object' && 'scripts' in pkg ? pkg.scripts : undefined;
    return scripts && typeof scripts === 'object' ? (scripts as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Directories of the module (itself included) holding a package.json, nearest first. */
async function packageDirs(moduleDir: string, rel = '.', depth = 0): Promise<string[]> {
  const entries = await readdir(join(moduleDir, rel), { withFileTypes: true }).catch(() => []);
  const here = entries.some((e) => e.isFile() && e.name === 'package.json') ? [rel] : [];
  if (depth >= MAX_DEPTH) return here;
  const skip = new Set([...GENERATED_DIRS, ...TEST_DIRS, 'node_modules', 'vendor']);
  const below = await Promise.all(
    entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !skip.has(e.name))
      .map((e) => packageDirs(moduleDir, posix.join(rel, e.name), depth + 1)),
  );
  return [...here, ...below.flat()];
}

/**
 * A web UI the Go binary embeds: a `//go:embed` directory that a package.json of the module builds
 * (its build's output directory, or a script's `--outDir` pointing there). The image builds it with
 * Node before `go build`; the package is then no service of its own. An embedded directory the
 * repository lacks that no script builds is a warning: `go build` fails without it.
 */
export async function embeddedFrontend(
  root: string,
  rel: string,
  sources: SourceFile[],
  at: (f: string) => string,
  warnings: string[],
): Promise<Fact<GoFrontendFacts> | undefined> {
  const moduleDir = join(root, rel);
  const embeds = await embedDirs(moduleDir, sources, at);
  if (embeds.size === 0) return undefined;
  for (const pkgDir of await packageDirs(moduleDir)) {
    const node = await detectNode(root, posix.join(rel, pkgDir)).catch(() => undefined);
    if (!node) continue;
    const scripts = packageScripts(await readText(join(moduleDir, pkgDir, 'package.json')));
    const pm = node.packageManager.value;
    const builds: Array<{ build: string; output: string; evidence: string }> = [];
    if (node.build && node.outputDir) builds.push({ build: node.build.value, output: posix.join(pkgDir, node.outputDir.value), evidence: node.outputDir.evidence });
    for (const [name, command] of Object.entries(scripts)) {
      const out = typeof command === 'string' ? OUT_DIR_FLAG.exec(command)?.[1] : undefined;
      if (!out) continue;
      const run = pm === 'npm' ? `npm run ${name}` : `${pm} run ${name}`;
      builds.push({ build: run, output: posix.join(pkgDir, out), evidence: `${at(posix.join(pkgDir, 'package.json'))} scripts.${name}: ${JSON.stringify(command)}` });
    }
    for (const { build, output, evidence } of builds) {
      const embed = embeds.get(output);
      if (!embed || pm === 'bun') continue;
      const version = nodeLanguageVersion(node).value;
      return {
        value: {
          path: pkgDir,
          build,
          output,
          packageManager: pm,
          ...(node.packageManagerVersion ? { packageManagerVersion: node.packageManagerVersion.value } : {}),
          languageVersion: version,
          lockfile: node.lockfile !== undefined,
        },
        evidence: `${embed} (${evidence})`,
      };
    }
  }
  for (const [dir, evidence] of embeds) {
    if (await isDir(join(moduleDir, dir))) continue;
    warnings.push(
      `${evidence}: embeds ${at(dir)}/, which the repository does not hold and no package.json script builds: \`go build\` fails without it. ` +
        'Build it in the Dockerfile before `go build` (or commit it)',
    );
  }
  return undefined;
}
