/**
 * Renders every snapshot scenario in a process of its own and prints {scenario: {path: sha256}}
 * as JSON, for snapshot.test.ts to compare with its own renders. Whatever could leak into a
 * render differs here on purpose: the clock is frozen in 2031 before any project module loads,
 * the scenarios render in reverse order (a module-level cache warmed by an earlier scenario
 * would show), and the parent sets another time zone, locale and working directory.
 */
const FROZEN = Date.UTC(2031, 6, 15, 23, 59, 30);
const RealDate = Date;
class FrozenDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(FROZEN);
    else super(...(args as [string]));
  }
  static override now(): number {
    return FROZEN;
  }
}
globalThis.Date = FrozenDate as DateConstructor;

const { renderScenario, treeHashes } = await import('./_render.js');
const { scenarios } = await import('./_scenarios.js');
const out: Record<string, Record<string, string>> = {};
for (const [name, config] of Object.entries(scenarios).reverse()) out[name] = treeHashes(await renderScenario(config));
process.stdout.write(JSON.stringify(out));
