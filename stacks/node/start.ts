/** A Node package's start command: its start script (or start:prod), the scripts run before the server, or its main. */
import type { Fact } from '../../src/detect/fact.js';
import type { PackageJson } from './package-manager.js';
import type { NodeFramework } from './types.js';

const FLAGS_WITH_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--conditions', '-C', '--title']);

/**
 * `dotenv -e ../../.env -e .env.local --` (dotenv-cli) or `dotenvx run -f .env --` before the command: it loads
 * files the image does not have (the container's env comes from compose or the host), so it is dropped.
 */
function dropDotenv(tokens: string[]): boolean {
  const tool = tokens[0] === 'dotenv' ? 1 : tokens[0] === 'dotenvx' && tokens[1] === 'run' ? 2 : 0;
  if (tool === 0) return false;
  const end = tokens.indexOf('--');
  if (end >= 0) tokens.splice(0, end + 1);
  else {
    // `dotenv -e .env node server.js`: its options (those that take a value: -e, -v, -c, -f) come first.
    let i = tool;
    while (tokens[i]?.startsWith('-')) i += /^-[evcf]$/.test(tokens[i]!) ? 2 : 1;
    tokens.splice(0, i);
  }
  return true;
}

/**
 * `node [flags] <file> [args]` with env assignments (cross-env, and dotenv-cli's env files) stripped, or undefined
 * when the script needs a shell or another tool (`&&`, `$VAR`, `nest start`, `ts-node`).
 */
export function plainNodeCommand(script: string): string | undefined {
  if (/[;&|<>`$()'"\\]/.test(script)) return undefined;
  const tokens = script.trim().split(/\s+/);
  const envPrefix = (t: string | undefined) => t !== undefined && (/^[A-Za-z_]\w*=/.test(t) || t === 'cross-env' || t === 'env');
  for (;;) {
    if (envPrefix(tokens[0])) tokens.shift();
    else if (!dropDotenv(tokens)) break;
  }
  if (tokens[0] !== 'node') return undefined;
  let i = 1;
  for (let flag = tokens[i]; flag !== undefined && flag.startsWith('-'); flag = tokens[i]) {
    if (['-e', '--eval', '-p', '--print', '-i', '--interactive', '--test', '--run', '-c', '--check'].includes(flag)) return undefined;
    i += !flag.includes('=') && FLAGS_WITH_VALUE.has(flag) ? 2 : 1;
  }
  return tokens[i] === undefined ? undefined : tokens.join(' ');
}

/** A start command and what it came from: a script says "this runs", `main` only that it is the entry. */
export interface StartFact {
  fact: Fact<string>;
  source: 'script' | 'main' | 'framework';
  /** The scripts start runs before the server (`npm run build && node dist/server.js`): the image's build runs them. */
  prelude?: string[];
}

/** `npm run scss && node app.js`: the scripts run first (each one package.json has) and the plain node command. */
function withPrelude(script: string, scripts: Record<string, string>): { prelude: string[]; command: string } | undefined {
  const parts = script.split('&&').map((p) => p.trim());
  const command = plainNodeCommand(parts.pop() ?? '');
  const prelude = parts.map((p) => /^(?:npm run|pnpm(?: run)?|yarn(?: run)?)\s+([\w:.-]+)$/.exec(p)?.[1]);
  if (!command || prelude.length === 0 || prelude.some((name) => name === undefined || scripts[name] === undefined)) return undefined;
  return { prelude: prelude as string[], command };
}

export function detectStart(
  pkg: PackageJson,
  scripts: Record<string, string>,
  framework: NodeFramework | undefined,
  warnings: string[],
  at: (f: string) => string,
): StartFact | undefined {
  // Nest's scaffold keeps `nest start` in start and the production command in start:prod.
  for (const key of ['start', 'start:prod']) {
    const script = scripts[key];
    if (script === undefined) continue;
    const command = plainNodeCommand(script);
    if (command) return { source: 'script', fact: { value: command, evidence: `${at('package.json')} scripts.${key}: ${JSON.stringify(script)}` } };
    const chain = withPrelude(script, scripts);
    if (chain) {
      const fact = { value: chain.command, evidence: `${at('package.json')} scripts.${key}: ${JSON.stringify(script)}` };
      return { source: 'script', fact, prelude: chain.prelude };
    }
    // `npm run start-server` (or pnpm/yarn): the script it names, one level down, with the arguments passed to it
    // (`npm run with:env -- node build/server/main.js`, with:env being `dotenv -e ../../.env --`).
    const run = /^(?:npm run|pnpm(?: run)?|yarn(?: run)?)\s+([\w:.-]+)(?:\s+--)?(\s+.+)?$/.exec(script.trim());
    const [, named = key, args = ''] = run ?? [];
    const namedScript = named === key ? undefined : scripts[named];
    const viaRun = namedScript === undefined ? undefined : plainNodeCommand(`${namedScript}${args}`);
    if (viaRun) {
      const evidence = `${at('package.json')} scripts.${key}: ${JSON.stringify(script)}, scripts.${named}: ${JSON.stringify(namedScript)}`;
      return { source: 'script', fact: { value: viaRun, evidence } };
    }
  }
  const notPlain = scripts.start === undefined ? '' : ` (scripts.start ${JSON.stringify(scripts.start)} is not a plain node command)`;
  if (typeof pkg.main === 'string' && /\.[cm]?js$/.test(pkg.main)) {
    const main = pkg.main.replace(/^\.\//, '');
    return { source: 'main', fact: { value: `node ${main}`, evidence: `${at('package.json')} main: ${JSON.stringify(pkg.main)}${notPlain}` } };
  }
  if (framework === 'nestjs') {
    return { source: 'framework', fact: { value: 'node dist/main.js', evidence: `@nestjs/core builds to dist/main.js by default${notPlain}` } };
  }
  warnings.push(`no start command found in ${at('package.json')}${notPlain}: set scripts.start to "node <entry file>"`);
  return undefined;
}
