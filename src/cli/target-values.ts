/**
 * A target option's value as the user gives it (a flag, or an answer at the prompt): checked and
 * normalised by one function, so the flag and the prompt accept exactly the same values. The
 * rules come from the option's schema (pattern, range, enum); a hostname also takes a URL and
 * keeps its host, and refuses a path or a port with the reason.
 */
import { configSchema } from '../config/load.js';

export type OptionSchema = {
  type?: string | string[];
  enum?: unknown[];
  $ref?: string;
  anyOf?: OptionSchema[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  description?: string;
};

export type Checked = { value: unknown } | { problem: string };

const HOSTNAME_REF = '#/definitions/hostname';

function definition(ref: string): OptionSchema {
  return (configSchema().definitions as Record<string, OptionSchema>)[ref.replace('#/definitions/', '')]!;
}

/** The schema node that says what a string must look like: its own, or the $ref it points at (also inside anyOf). */
function stringRule(s: OptionSchema): OptionSchema | undefined {
  if (s.$ref) return definition(s.$ref);
  if (s.pattern || s.enum) return s;
  return s.anyOf?.map(stringRule).find((r) => r !== undefined);
}

const isHostname = (s: OptionSchema): boolean => s.$ref === HOSTNAME_REF || (s.anyOf ?? []).some(isHostname);

/**
 * A hostname from what people paste: `https://API.example.com/` becomes `api.example.com`; a path
 * or a port is refused, since the kit serves the host itself on 80 and 443.
 *
 * @example
 *   hostFrom('https://api.example.com') // { value: 'api.example.com' }
 *   hostFrom('api.example.com/v1')      // { problem: '"api.example.com/v1" has a path (/v1): ...' }
 */
export function hostFrom(raw: string): Checked {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { problem: `"${raw}" is not a hostname: ${definition(HOSTNAME_REF).description}` };
  }
  const host = url.hostname;
  if (url.port) return { problem: `"${raw}" has a port (${url.port}): give only the host, ${host}; the kit serves it on ports 80 and 443` };
  const path = url.pathname + url.search + url.hash;
  if (path !== '/' && path !== '') return { problem: `"${raw}" has a path (${path}): give only the host, ${host}` };
  if (url.username || url.password) return { problem: `"${raw}" holds credentials: give only the host, ${host}` };
  const rule = definition(HOSTNAME_REF);
  if (!new RegExp(rule.pattern!, 'u').test(host)) return { problem: `"${raw}" is not a hostname: ${rule.description}` };
  return { value: host };
}

/** One option's value, checked against its schema and normalised (a number for an integer option). */
export function checkOption(schema: OptionSchema, kind: 'string' | 'integer' | 'boolean', raw: string): Checked {
  if (kind === 'integer') {
    if (!/^-?\d+$/.test(raw.trim())) return { problem: `"${raw}" is not a whole number` };
    const n = Number(raw);
    if ((schema.minimum !== undefined && n < schema.minimum) || (schema.maximum !== undefined && n > schema.maximum)) {
      return { problem: `${n} is out of range (${schema.minimum ?? '-'} to ${schema.maximum ?? '-'})` };
    }
    return { value: n };
  }
  if (isHostname(schema)) return hostFrom(raw);
  const rule = stringRule(schema);
  if (rule?.enum && !rule.enum.includes(raw)) return { problem: `"${raw}" is not one of: ${rule.enum.join(', ')}` };
  if (rule?.pattern && !new RegExp(rule.pattern, 'u').test(raw)) {
    return { problem: `"${raw}" is not valid${rule.description ? `: ${rule.description}` : ''}` };
  }
  return { value: raw };
}

/** Values a target's options must not share, with how to name them: [key, flag]. */
const DISTINCT: Record<string, Array<[string, string]>> = {
  vps: [
    ['bluePort', '--blue-port'],
    ['greenPort', '--green-port'],
  ],
};

/**
 * What is wrong with a target's options together (the flags given and the answers), or
 * undefined. `defaults` are the schema's defaults for the options not given.
 */
export function combinationProblem(type: string, values: Record<string, unknown>, defaults: Record<string, unknown>): string | undefined {
  const keys = DISTINCT[type];
  if (!keys) return undefined;
  const seen = new Map<unknown, string>();
  for (const [key, flag] of keys) {
    const v = values[key] ?? defaults[key];
    if (v === undefined) continue;
    const other = seen.get(v);
    if (other) {
      const named = (f: string) => (values[keys.find(([, fl]) => fl === f)![0]] === undefined ? `${f} (default)` : f);
      return `${named(other)} and ${named(flag)} are both ${JSON.stringify(v)}: each needs a port of its own (e.g. --blue-port 8001 --green-port 8002)`;
    }
    seen.set(v, flag);
  }
  return undefined;
}
