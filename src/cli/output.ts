import type { Decision } from '../apply/index.js';

/** Where the CLI prints; tests pass buffers. */
export interface Out {
  print(text: string): void;
  error(text: string): void;
}

export function processOut(): Out {
  return {
    print: (t) => process.stdout.write(`${t}\n`),
    error: (t) => process.stderr.write(`deploy-kit: ${t.replace(/\n/g, '\n  ')}\n`),
  };
}

const VERB: Record<Decision['kind'], string> = {
  create: 'created',
  update: 'updated',
  merge: 'merged with your edits',
  conflict: 'CONFLICT (markers written)',
  overwrite: 'overwritten (--force)',
  delete: 'deleted',
  unchanged: 'unchanged',
  'keep-edited': 'kept your edits',
  'keep-deleted': 'kept deleted (you removed it; --restore brings it back)',
  'keep-orphan': 'kept (no longer generated, but you edited it)',
  blocked: 'BLOCKED: exists and was not written by deploy-kit',
};

const PLAN_VERB: Partial<Record<Decision['kind'], string>> = {
  create: 'would create',
  update: 'would update',
  merge: 'would merge with your edits',
  conflict: 'would CONFLICT',
  overwrite: 'would overwrite (--force)',
  delete: 'would delete',
};

/** What check says about an edit generate has not kept yet. */
const CHECK_VERB: Partial<Record<Decision['kind'], string>> = {
  ...PLAN_VERB,
  'keep-edited': 'differs from its render: edited (generate keeps it; --allow-edits passes it)',
  'keep-deleted': 'missing: you deleted it (generate keeps it deleted; --allow-edits passes it)',
};

/**
 * One line per file: what happened to it (or would, in a dry run; or, for check, why it fails).
 * `first` are lines for files outside the plan (deploy-kit.yaml), as [path, what happened].
 */
export function summarize(decisions: Decision[], mode: boolean | 'check' = false, first: Array<[string, string]> = []): string {
  const verbs = mode === 'check' ? CHECK_VERB : mode ? PLAN_VERB : {};
  const rows: Array<[string, string]> = [...first, ...decisions.map((d): [string, string] => [d.path, verbs[d.kind] ?? VERB[d.kind]])];
  const width = Math.max(0, ...rows.map(([path]) => path.length));
  return rows.map(([path, what]) => `  ${path.padEnd(width)}  ${what}`).join('\n');
}
