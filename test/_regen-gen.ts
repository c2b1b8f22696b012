// Random kits, user edits and new renders for the regeneration property tests (fast-check).
import fc from 'fast-check';

/** Paths a kit may hold: nested folders, dotfiles, a script. */
const PATHS = [
  'Dockerfile', '.dockerignore', 'compose.yaml', '.github/workflows/ci.yml', 'scripts/deploy.sh', 'deploy/nginx/site.conf', 'DEPLOY.md',
  'a/b/c/d.txt',
];

/**
 * Lines of generated files: a small alphabet, so files share lines (blank lines, braces) the way
 * real ones do and diff3 has ambiguous alignments to get right. No line starts with a marker.
 */
const LINE = fc.constantFrom('', '}', '{', 'a', 'b', 'c', 'd', 'x = 1', 'x = 2', '  - run: npm ci', 'FROM node:22', 'USER node', '# comment');

const content = fc
  .record({ lines: fc.array(LINE, { maxLength: 12 }), eol: fc.boolean() })
  .map(({ lines, eol }) => lines.join('\n') + (eol && lines.length ? '\n' : ''));

export interface LineEdit {
  op: 'insert' | 'delete' | 'change';
  at: number;
}
const edits = fc.array(fc.record({ op: fc.constantFrom<LineEdit['op']>('insert', 'delete', 'change'), at: fc.nat(40) }), { minLength: 1, maxLength: 4 });

/** What the user does to one generated file. */
export type UserAction = { kind: 'none' } | { kind: 'edit'; edits: LineEdit[] } | { kind: 'delete' } | { kind: 'drop-base'; edits: LineEdit[] };
const userAction: fc.Arbitrary<UserAction> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<UserAction>({ kind: 'none' }) },
  { weight: 6, arbitrary: edits.map((e): UserAction => ({ kind: 'edit', edits: e })) },
  { weight: 1, arbitrary: fc.constant<UserAction>({ kind: 'delete' }) },
  // The merge base lost (deleted from .deploy-kit/base/): nothing to merge against.
  { weight: 1, arbitrary: edits.map((e): UserAction => ({ kind: 'drop-base', edits: e })) },
);

/** What the new render (a config or template change) does to one file. */
export type RenderChange = { kind: 'same' } | { kind: 'edit'; edits: LineEdit[]; lines: string[] } | { kind: 'remove' };
const renderChange: fc.Arbitrary<RenderChange> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<RenderChange>({ kind: 'same' }) },
  {
    weight: 6,
    arbitrary: fc
      .record({ edits, lines: fc.array(LINE, { minLength: 4, maxLength: 4 }) })
      .map(({ edits: e, lines }): RenderChange => ({ kind: 'edit', edits: e, lines })),
  },
  { weight: 1, arbitrary: fc.constant<RenderChange>({ kind: 'remove' }) },
);

export interface Scenario {
  /** First render: path -> content. */
  first: Record<string, string>;
  user: Record<string, UserAction>;
  change: Record<string, RenderChange>;
  /** Files the second render adds. */
  added: Record<string, string>;
  /** A file the user created at a path the second render adds (not ours: blocked without --force). */
  foreign: string | null;
  force: boolean;
  restore: boolean;
}

export const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    paths: fc.subarray(PATHS, { minLength: 1, maxLength: 5 }),
    contents: fc.array(content, { minLength: 8, maxLength: 8 }),
    users: fc.array(userAction, { minLength: 8, maxLength: 8 }),
    changes: fc.array(renderChange, { minLength: 8, maxLength: 8 }),
    addCount: fc.nat(2),
    addContents: fc.array(content, { minLength: 2, maxLength: 2 }),
    foreign: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant('theirs\n') }),
    force: fc.boolean(),
    restore: fc.boolean(),
  })
  .map((r) => {
    const first: Record<string, string> = {};
    const user: Record<string, UserAction> = {};
    const change: Record<string, RenderChange> = {};
    r.paths.forEach((p, i) => {
      first[p] = r.contents[i]!;
      user[p] = r.users[i]!;
      change[p] = r.changes[i]!;
    });
    const free = PATHS.filter((p) => !(p in first)).slice(0, r.addCount);
    const added: Record<string, string> = {};
    free.forEach((p, i) => (added[p] = r.addContents[i]!));
    const foreign = r.foreign !== null && free.length > 0 ? free[0]! : null;
    return { first, user, change, added, foreign, force: r.force, restore: r.restore };
  });

/** Applies line edits; inserted and changed lines come from `fresh()` (the user's are unique). */
export function editLines(text: string, list: LineEdit[], fresh: () => string): string {
  const eol = text.endsWith('\n');
  const lines = text === '' ? [] : (eol ? text.slice(0, -1) : text).split('\n');
  for (const e of list) {
    if (e.op === 'insert') lines.splice(e.at % (lines.length + 1), 0, fresh());
    else if (lines.length === 0) continue;
    else if (e.op === 'delete') lines.splice(e.at % lines.length, 1);
    else lines[e.at % lines.length] = fresh();
  }
  return lines.join('\n') + (eol || text === '' ? (lines.length ? '\n' : '') : '');
}

/** True when a line opens, separates or closes a conflict block. */
export const MARKER = /^(<<<<<<< |\|\|\|\|\|\|\| |=======$|>>>>>>> )/;
