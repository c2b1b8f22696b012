/**
 * Lockfile findings of the stacks beyond Node (whose lockfile doctor checks against package.json
 * in index.ts): a manifest with dependencies and no lockfile builds whatever resolves that day.
 */
import type { RepoFacts } from '../detect/types.js';
import type { Finding } from '../validate/types.js';

/** mix.exs declares dependencies but mix.lock is not there. */
export function auditStackLockfiles(facts: Pick<RepoFacts, 'services'>): Finding[] {
  const out: Finding[] = [];
  for (const s of facts.services ?? []) {
    if (s.stack !== 'elixir' || s.facts.lockfile || s.facts.deps.length === 0) continue;
    const dir = s.path === '.' ? '' : `${s.path}/`;
    const names = s.facts.deps.slice(0, 5).join(', ') + (s.facts.deps.length > 5 ? ', ...' : '');
    out.push({
      rule: 'elixir/no-lockfile',
      severity: 'error',
      file: `${dir}mix.exs`,
      message:
        `mix.exs declares dependencies (${names}) but there is no ${dir}mix.lock: ` +
        'every image build resolves them anew, so production can run versions nobody tested',
      fix: `run \`mix deps.get\`${dir ? ` in ${s.path}` : ''} and commit mix.lock (then remove \`lockfile: false\` from deploy-kit.yaml)`,
    });
  }
  return out;
}
