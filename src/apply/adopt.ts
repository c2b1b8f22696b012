/**
 * Adopting files a repository already has when `init` writes a kit into it: never overwritten,
 * never refused wholesale. Line-oriented files (.dockerignore, .env.example, .gitignore) keep
 * every line of the user's and get the kit's missing lines appended; .github/dependabot.yml
 * keeps the user's updates and gets the ecosystems it lacks; `keep` names what the repository's
 * own Dockerfile copies, which a merged .dockerignore never excludes. Any other existing file is kept as
 * it is (the caller lists it, with how to take the generated version). Pure.
 */
import { isMap, isSeq, parseDocument } from 'yaml';
import { ignoredBy } from '../doctor/buildable.js';

const LINE_FILES = /(^|\/)(\.dockerignore|Dockerfile\.dockerignore|\.env\.example|\.gitignore)$/;
const DEPENDABOT = '.github/dependabot.yml';

/** Lines that carry meaning: not blank, not a comment. For .env.example the key decides (`NAME=`). */
function keyOf(path: string, line: string): string | null {
  const t = line.trim();
  if (!t || t.startsWith('#')) return null;
  if (path.endsWith('.env.example')) return /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(t)?.[1] ?? t;
  return t.replace(/^\//, '').replace(/\/$/, '');
}

/**
 * The user's file with the render's missing lines appended (each with the comment block right
 * above it). A .dockerignore line that would exclude a file the repository's own Dockerfile copies
 * (`keep`) is left out, and a comment says so: init must not break the image it keeps.
 */
function mergeLines(path: string, current: string, render: string, keep: readonly string[] = []): string {
  const have = new Set(current.split('\n').map((l) => keyOf(path, l)).filter((k): k is string => k !== null));
  const added: string[] = [];
  let comments: string[] = [];
  for (const line of render.split('\n')) {
    const key = keyOf(path, line);
    if (key === null) {
      comments = line.trim().startsWith('#') ? [...comments, line] : [];
      continue;
    }
    const breaks = path.endsWith('dockerignore') ? keep.find((src) => ignoredBy(line, src)) : undefined;
    if (breaks !== undefined) {
      added.push(`# Not added: ${line.trim()} (your Dockerfile copies ${breaks}).`);
      have.add(key);
    } else if (!have.has(key)) {
      added.push(...comments, line);
      have.add(key);
    }
    comments = [];
  }
  if (added.length === 0) return current;
  const body = current.endsWith('\n') || current === '' ? current : `${current}\n`;
  return `${body}\n# Added by deploy-kit (your lines above are kept as they were).\n${added.join('\n')}\n`;
}

/** dependabot.yml with the render's `updates` whose ecosystem and directory the user's file lacks. */
function mergeDependabot(current: string, render: string): string | undefined {
  const mine = parseDocument(current);
  const theirs = parseDocument(render);
  if (mine.errors.length > 0 || theirs.errors.length > 0) return undefined;
  const updates = mine.get('updates');
  const wanted = theirs.get('updates');
  if (!isSeq(updates) || !isSeq(wanted)) return undefined;
  const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  const key = (item: unknown) => (isMap(item) ? `${text(item.get('package-ecosystem'), '')} ${text(item.get('directory'), '/')}` : '');
  const have = new Set(updates.items.map(key));
  const missing = wanted.items.filter((item) => !have.has(key(item)));
  if (missing.length === 0) return current;
  for (const item of missing) updates.items.push(item);
  return mine.toString();
}

/**
 * What `init` writes over a file it did not write: the merged content, or undefined when the file
 * is not one it can merge (then the user's file is kept and reported).
 */
export function adoptedContent(path: string, current: string, render: string, keep: readonly string[] = []): string | undefined {
  if (LINE_FILES.test(path)) return mergeLines(path, current, render, keep);
  if (path === DEPENDABOT) return mergeDependabot(current, render);
  return undefined;
}

/** .gitignore with `.env` in it (secrets never committed), or null when it already ignores it. */
export function gitignoreWithEnv(current: string | null): string | null {
  const lines = (current ?? '').split('\n').map((l) => l.trim());
  if (lines.some((l) => l === '.env' || l === '/.env' || l === '.env*' || l === '*.env')) return null;
  const body = current === null || current === '' ? '' : current.endsWith('\n') ? `${current}\n` : `${current}\n\n`;
  return `${body}# Local environment: secrets, never committed (deploy-kit init).\n.env\n`;
}
