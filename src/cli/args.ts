import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from '../util/closest.js';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec {
  summary: string;
  usage: string;
  options: Options;
  /** One line per option for --help, keyed by option name. */
  help: Record<string, string>;
  maxPositionals: number;
}

const COMMON: Options = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
};

/**
 * Parses argv strictly (an unknown flag is a usage error naming the closest known flag).
 * Returns the values and positionals. `invocation` is how the user ran the command
 * (`deploy-kit plan`), so the hint points at that command's own --help.
 */
export function parse(spec: CommandSpec, argv: string[], invocation: string) {
  const options = { ...COMMON, ...spec.options };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    if (positionals.length > spec.maxPositionals) {
      throw new UsageError(`unexpected argument "${positionals[spec.maxPositionals]}"`, `usage: ${spec.usage}`);
    }
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const msg = (e as Error).message;
    const flag = /option '([^']+)'/.exec(msg)?.[1] ?? /'(--?[\w-]+)'/.exec(msg)?.[1];
    if (flag && /Unknown option/i.test(msg)) {
      const near = closest(flag.replace(/^-+/, ''), Object.keys(options));
      throw new UsageError(`unknown flag ${flag}${near ? ` (did you mean --${near}?)` : ''}`, `see \`${invocation} --help\``);
    }
    throw new UsageError(msg.replace(/\. To specify.*$/s, ''), `see \`${invocation} --help\``);
  }
}

export function helpText(spec: CommandSpec): string {
  const lines = [`${spec.summary}`, '', `Usage: ${spec.usage}`, '', 'Options:'];
  const all = { ...spec.help, verbose: 'Show stack traces on errors', help: 'Show this help' };
  const width = Math.max(...Object.keys(all).map((k) => flagLabel(k, { ...COMMON, ...spec.options }).length));
  for (const [k, text] of Object.entries(all)) lines.push(`  ${flagLabel(k, { ...COMMON, ...spec.options }).padEnd(width)}  ${text}`);
  return lines.join('\n');
}

function flagLabel(name: string, options: Options): string {
  const o = options[name];
  const short = o?.short ? `-${o.short}, ` : '    ';
  return `${short}--${name}${o?.type === 'string' ? ' <value>' : ''}`;
}
