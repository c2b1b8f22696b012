import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Fact } from './fact.js';
import { exists, isRecord, readText } from './shared.js';
import { GENERATED_DIRS, compare } from './walk.js';

/** Workspace globs as declared, with where they were declared. */
export interface WorkspacePatterns {
  patterns: string[];
  evidence: string;
}

/**
 * The workspace globs of a Node project: package.json `workspaces` (npm, yarn, bun; an array or
 * yarn's `{ packages: [...] }`), else pnpm-workspace.yaml `packages:`.
 */
export async function readWorkspacePatterns(dir: string, pkg: Record<string, unknown>, at: (f: string) => string): Promise<WorkspacePatterns | undefined> {
  const field = pkg.workspaces;
  const list = Array.isArray(field) ? field : isRecord(field) && Array.isArray(field.packages) ? field.packages : undefined;
  const patterns = list?.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  if (patterns && patterns.length > 0) return { patterns, evidence: `${at('package.json')} workspaces: ${JSON.stringify(patterns)}` };

  const yaml = await readText(join(dir, 'pnpm-workspace.yaml'));
  if (yaml === undefined) return undefined;
  const fromYaml = pnpmPackages(yaml);
  return fromYaml.length > 0 ? { patterns: fromYaml, evidence: `${at('pnpm-workspace.yaml')} packages: ${JSON.stringify(fromYaml)}` } : undefined;
}

/** The `packages:` list of pnpm-workspace.yaml; block or flow style, quotes and comments stripped. */
function pnpmPackages(yaml: string): string[] {
  const flow = /^packages:\s*\[([^\]]*)\]/m.exec(yaml);
  if (flow) return (flow[1] ?? '').split(',').map(unquote).filter(Boolean);
  const out: string[] = [];
  let inList = false;
  for (const line of yaml.split('\n')) {
    if (/^packages:\s*(?:#.*)?$/.test(line)) inList = true;
    else if (inList && /^\s+-\s*/.test(line)) out.push(unquote(line.replace(/^\s+-\s*/, '').replace(/\s+#.*$/, '')));
    else if (inList && line.trim() !== '' && !/^\s*#/.test(line)) inList = false;
  }
  return out.filter(Boolean);
}

function unquote(s: string): string {
  return s.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/** One path segment of a glob as a regex: `*` and `?` stay inside the segment. */
function segmentRegex(segment: string): RegExp {
  const body = segment
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Whether `rel` (relative to the workspace root) matches the workspace globs, negations (`!pattern`) last. */
export function matchesWorkspace(rel: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = clean(negated ? raw.slice(1) : raw);
    if (globMatch(rel.split('/'), pattern.split('/'))) matched = !negated;
  }
  return matched;
}

function clean(pattern: string): string {
  return posix.normalize(pattern.trim().replace(/^\.\//, '')).replace(/\/+$/, '');
}

function globMatch(parts: string[], segments: string[]): boolean {
  const [seg, ...rest] = segments;
  if (seg === undefined) return parts.length === 0;
  if (seg === '**') return globMatch(parts, rest) || (parts.length > 0 && globMatch(parts.slice(1), segments));
  const [part, ...others] = parts;
  return part !== undefined && segmentRegex(seg).test(part) && globMatch(others, rest);
}

/** `**` descends at most this deep; workspace packages sit one or two levels down. */
const MAX_DEPTH = 4;

/**
 * The directories under `root/base` that the workspace globs name and that hold a package.json,
 * repo-relative and sorted. Dependencies and hidden directories are never entered.
 *
 * @example
 *   await expandWorkspaces('/repo', '.', ['apps/*', '!apps/legacy']) // ['apps/api', 'apps/web']
 */
export async function expandWorkspaces(root: string, base: string, patterns: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const raw of patterns) {
    if (raw.startsWith('!')) continue;
    for (const dir of await expand(join(root, base), '', clean(raw).split('/'), 0)) found.add(dir);
  }
  const kept = [...found].filter((dir) => matchesWorkspace(dir, patterns));
  const withPackage = await Promise.all(kept.map((dir) => exists(join(root, base, dir, 'package.json'))));
  return kept
    .filter((_, i) => withPackage[i])
    .map((dir) => (base === '.' ? dir : `${base}/${dir}`))
    .sort(compare);
}

async function expand(abs: string, rel: string, segments: string[], depth: number): Promise<string[]> {
  const [seg, ...rest] = segments;
  if (seg === undefined) return rel === '' ? [] : [rel];
  if (seg === '.' || seg === '') return expand(abs, rel, rest, depth);
  const join2 = (name: string): string => (rel === '' ? name : `${rel}/${name}`);
  if (!/[*?]/.test(seg)) return expand(join(abs, seg), join2(seg), rest, depth + 1);
  if (depth >= MAX_DEPTH) return [];
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && !GENERATED_DIRS.includes(e.name)).map((e) => e.name);
  const out: string[] = [];
  if (seg === '**') {
    out.push(...(await expand(abs, rel, rest, depth)));
    for (const d of dirs) out.push(...(await expand(join(abs, d), join2(d), segments, depth + 1)));
    return out;
  }
  const re = segmentRegex(seg);
  for (const d of dirs) if (re.test(d)) out.push(...(await expand(join(abs, d), join2(d), rest, depth + 1)));
  return out;
}

/** The workspace a nested package belongs to: the nearest ancestor whose workspace globs match it. */
export interface WorkspaceRoot {
  /** Repo-relative path of the workspace root. */
  path: string;
  pkg: Record<string, unknown>;
  fact: Fact<string>;
}

export async function findWorkspaceRoot(root: string, rel: string): Promise<WorkspaceRoot | undefined> {
  if (rel === '.') return undefined;
  const parts = rel.split('/');
  for (let n = parts.length - 1; n >= 0; n--) {
    const base = n === 0 ? '.' : parts.slice(0, n).join('/');
    const inside = parts.slice(n).join('/');
    const at = (f: string): string => (base === '.' ? f : `${base}/${f}`);
    const text = await readText(join(root, base, 'package.json'));
    let pkg: Record<string, unknown> = {};
    if (text !== undefined) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (isRecord(parsed)) pkg = parsed;
      } catch {
        // the ancestor's own detection reports its broken package.json
      }
    }
    const declared = await readWorkspacePatterns(join(root, base), pkg, at);
    if (declared && matchesWorkspace(inside, declared.patterns)) {
      return { path: base, pkg, fact: { value: base, evidence: `${declared.evidence} includes ${rel}` } };
    }
  }
  return undefined;
}
