import { helpText, parse, type CommandSpec } from '../args.js';
import type { CommandContext } from '../context.js';

const spec: CommandSpec = {
  summary: 'Pre-flight audit of the repository: env vars, branches, secrets, lockfile, health route, Dockerfile and workflow rules.',
  usage: 'deploy-kit doctor [dir] [--json]',
  maxPositionals: 1,
  options: { json: { type: 'boolean' } },
  help: { json: 'Print the findings as JSON (for machines); the exit code is the same' },
};

export async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(spec, argv, ctx.invocation);
  if (values.help) {
    ctx.out.print(helpText(spec));
    return 0;
  }
  const [{ repoRoot }, { doctor }] = await Promise.all([import('../repo.js'), import('../../doctor/index.js')]);
  const root = repoRoot(ctx.cwd, positionals[0], false);
  const { findings, skipped } = await doctor(root);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (values.json) {
    ctx.out.print(JSON.stringify({ root, errors, warnings, skipped, findings }, null, 2));
    return errors ? 1 : 0;
  }
  for (const f of findings) {
    const where = `${f.file}${f.line ? `:${f.line}` : ''}`;
    ctx.out.print(`${f.severity.padEnd(7)} ${where}  [${f.rule}]\n        ${f.message}${f.fix ? `\n        fix: ${f.fix}` : ''}`);
  }
  for (const s of skipped) ctx.out.print(`skipped ${s}`);
  ctx.out.print(`\ndoctor: ${errors} error(s), ${warnings} warning(s) in ${root}`);
  return errors ? 1 : 0;
}
