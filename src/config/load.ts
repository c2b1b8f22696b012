import { CLI } from '../version.js';
import type { ErrorObject } from 'ajv';
import { Document, isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { UserError } from '../errors.js';
import { schemaText, schemaValidator } from './schema-source.js';
import { closest } from '../util/closest.js';
import { portOfStart } from './start-command.js';
import { CONFIG_FILE, type DeployKitConfig } from './types.js';

/** One problem in deploy-kit.yaml: where it is and what is allowed instead. */
export interface ConfigIssue {
  /** e.g. "services[0].port"; "" for the whole file. */
  path: string;
  line: number;
  column: number;
  message: string;
}

/** Thrown for a config that cannot be used; carries every problem found, not just the first. Exit 1. */
export class ConfigError extends UserError {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(issues.map((i) => formatIssue(file, i)).join('\n'));
  }
}

function formatIssue(file: string, issue: ConfigIssue): string {
  const where = issue.path ? ` ${issue.path}:` : '';
  return `${file}:${issue.line}:${issue.column}${where} ${issue.message}`;
}

let schemaCache: Record<string, unknown> | undefined;

export function configSchema(): Record<string, unknown> {
  schemaCache ??= JSON.parse(schemaText()) as Record<string, unknown>;
  return schemaCache;
}

export interface ParsedConfig {
  config: DeployKitConfig;
  /** The YAML document, kept so a rewrite preserves the user's comments and layout. */
  document: Document;
}

/**
 * Parses and validates deploy-kit.yaml text.
 *
 * @example
 *   const { config } = parseConfig(readFileSync('deploy-kit.yaml', 'utf8'));
 * @throws ConfigError listing every problem with its YAML path and line:column.
 */
export function parseConfig(text: string, file = CONFIG_FILE): ParsedConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number | undefined) => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((e) => ({ path: '', ...pos(e.pos[0]), message: `YAML syntax: ${firstLine(e.message)}` })),
    );
  }
  // Keys must be plain scalars: yaml would stringify a collection key (with a process warning).
  // An anchor the parser takes but yaml cannot write back (a Unicode line separator in its name)
  // would crash every command that rewrites the file (init, add, remove, the version stamp).
  let complexKey: Node | undefined;
  let badAnchor: Node | undefined;
  visit(document, {
    Pair(_, pair) {
      if (pair.key && !isScalar(pair.key)) {
        complexKey = pair.key as Node;
        return visit.BREAK;
      }
      return undefined;
    },
    Node(_, node) {
      if (node.anchor && UNWRITABLE_ANCHOR.test(node.anchor)) badAnchor ??= node;
    },
  });
  if (complexKey) {
    throw new ConfigError(file, [{ path: '', ...pos(complexKey.range?.[0]), message: 'YAML keys must be plain names, not lists or mappings' }]);
  }
  if (badAnchor) {
    const name = badAnchor.anchor!.replace(/[\p{Cc}\s]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const message = `YAML: the anchor &${name} holds whitespace, a control character or a bracket; rename it (letters, digits, - and _)`;
    throw new ConfigError(file, [{ path: '', ...pos(badAnchor.range?.[0]), message }]);
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias to a missing anchor, or an alias bomb: a YAML problem, reported like one.
    const message = `YAML: ${firstLine((e as Error).message)}; remove the alias (*name) or define its anchor (&name)`;
    throw new ConfigError(file, [{ path: '', line: 1, column: 1, message }]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(file, [
      { path: '', line: 1, column: 1, message: `expected a mapping of settings (see \`${CLI} init --help\`)` },
    ]);
  }
  const validate = schemaValidator();
  const issues: ConfigIssue[] = [];
  if (!validate(data)) {
    for (const e of collapse(validate.errors ?? [])) issues.push(toIssue(e, document, pos));
  } else {
    issues.push(...semanticIssues(data as DeployKitConfig, document, pos));
  }
  if (issues.length > 0) {
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(file, issues);
  }
  return { config: data as DeployKitConfig, document };
}

/**
 * Whether a config built in memory (init's) passes the checks parseConfig applies to the file:
 * the schema and the rules across fields. No YAML is parsed (the text is what the yaml library
 * printed from this very object), so a caller pays the parse only when this says no and it
 * needs the problems with their lines: `isValidConfig(config) || parseConfig(text)`.
 */
export function isValidConfig(config: DeployKitConfig): boolean {
  const data = structuredClone(config); // the validator fills in defaults: not into the caller's object
  if (!schemaValidator()(data)) return false;
  return semanticIssues(data, new Document(), () => ({ line: 1, column: 1 })).length === 0;
}

/** What yaml refuses in an anchor's name when it writes a document (its own check, doc/anchors.js). */
const UNWRITABLE_ANCHOR = /[\p{Cc}\s,[\]{}]/u;

function firstLine(s: string): string {
  return (s.split(/\r\n|\r|\n/)[0] ?? s).trim();
}

type Pos = (offset: number | undefined) => { line: number; column: number };
type Segment = string | number;

function segments(instancePath: string): Segment[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Renders a path the way users read it: services[0].port. */
function displayPath(segs: Segment[]): string {
  let out = '';
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    // A key that is not a plain name is shown quoted, so a blank or multi-line key stays visible.
    else if (!/^[A-Za-z_][\w-]*$/.test(s)) out += `[${JSON.stringify(s)}]`;
    else out += out ? `.${s}` : s;
  }
  return out;
}

function nodeAt(document: Document, segs: Segment[]): Node | undefined {
  const n = document.getIn(segs, true) as unknown;
  return n && typeof n === 'object' && 'range' in (n as object) ? (n as Node) : undefined;
}

/** The key node of `segs` inside its parent map, so "unknown key" points at the key itself. */
function keyAt(document: Document, parent: Segment[], key: string): Node | undefined {
  const map = parent.length ? document.getIn(parent, true) : document.contents;
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && item.key.value === key) return item.key;
  }
  return undefined;
}

/**
 * Union failures produce one error per branch. For anyOf, report the property once. For oneOf
 * (targets), keep only the errors of the branch whose `type` the data names, so a vps target
 * missing `domain` is not also told that "vps" is not "compose"; an unknown type becomes one
 * "not allowed" error on its `type` key.
 */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  let out = errors.filter((e) => e.keyword === 'anyOf' || !anyOfPaths.has(e.instancePath));
  for (const o of errors.filter((e) => e.keyword === 'oneOf')) {
    const branches = ((o.parentSchema as { oneOf?: Array<{ properties?: { type?: { const?: unknown } } }> } | undefined)?.oneOf ?? []);
    const type = (o.data as { type?: unknown } | null)?.type;
    const index = branches.findIndex((b) => b.properties?.type?.const === type);
    const prefix = `${o.schemaPath}/`;
    // Schema paths are relative to the referenced definition, so scope by instance too.
    const within = (e: ErrorObject) =>
      e.schemaPath.startsWith(prefix) && (e.instancePath === o.instancePath || e.instancePath.startsWith(`${o.instancePath}/`));
    out = out.filter((e) => e !== o && (!within(e) || (index >= 0 && e.schemaPath.startsWith(`${prefix}${index}/`))));
    if (index < 0 && type !== undefined) {
      out.push({
        ...o,
        keyword: 'enum',
        instancePath: `${o.instancePath}/type`,
        schemaPath: `${o.schemaPath}/type`,
        params: { allowedValues: branches.map((b) => b.properties?.type?.const) },
        data: type,
        parentSchema: {},
      });
    }
  }
  // if/then (per-stack rules on a service) reports "must match then" besides the real error.
  out = out.filter((e) => e.keyword !== 'if');
  // A value outside both the union enum and its stack's enum: keep the stack's, the shorter list.
  const enums = new Map<string, ErrorObject>();
  for (const e of out) {
    if (e.keyword !== 'enum') continue;
    const prev = enums.get(e.instancePath);
    if (!prev || (e.params.allowedValues as unknown[]).length < (prev.params.allowedValues as unknown[]).length) enums.set(e.instancePath, e);
  }
  // Two patterns on one value (the general one and the stack's): the stack's says more.
  const patterns = new Map<string, ErrorObject>();
  for (const e of out) if (e.keyword === 'pattern') patterns.set(e.instancePath, e);
  out = out.filter((e) => (e.keyword !== 'enum' || enums.get(e.instancePath) === e) && (e.keyword !== 'pattern' || patterns.get(e.instancePath) === e));
  // Branches that fail the same way (e.g. `type` missing everywhere) would repeat one message.
  const seen = new Set<string>();
  return out.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The `stack` of the service a path points into (services[i].x), for messages. */
function stackAt(document: Document, segs: Segment[]): string | undefined {
  if (segs[0] !== 'services' || typeof segs[1] !== 'number') return undefined;
  const v = document.getIn(['services', segs[1], 'stack']);
  return typeof v === 'string' ? v : undefined;
}

/** A value as it appears in a message: JSON quoting keeps a newline from splitting the line. */
function quote(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

function toIssue(e: ErrorObject, document: Document, pos: Pos): ConfigIssue {
  const segs = segments(e.instancePath);
  const schema = (e.parentSchema ?? {}) as Record<string, unknown>;
  const value = e.data;
  const described = typeof schema.description === 'string' ? ` (${schema.description})` : '';
  let node = nodeAt(document, segs);
  let path = displayPath(segs);
  let message: string;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys((schema.properties ?? {}) as object);
      node = keyAt(document, segs, key) ?? node;
      path = displayPath([...segs, key]);
      const near = closest(key, allowed);
      message = `unknown key${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${allowed.join(', ')}`;
      break;
    }
    case 'required':
      message = `missing required key "${String(e.params.missingProperty)}"`;
      break;
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const near = typeof value === 'string' ? closest(value, allowed) : undefined;
      message = `${quote(value)} is not allowed${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${allowed.join(', ')}`;
      break;
    }
    case 'const':
      message = `${quote(value)} is not allowed; allowed: ${String(e.params.allowedValue)}${described}`;
      break;
    case 'type':
      message = `expected ${String(e.params.type).replace(/,/g, ' or ')}, got ${typeName(value)}`;
      break;
    case 'minimum':
    case 'maximum': {
      // The schema's bounds are numbers (the schema is ours).
      const min = schema.minimum as number | undefined;
      const max = schema.maximum as number | undefined;
      const range = min !== undefined && max !== undefined ? `${String(min)}-${String(max)}` : `${e.keyword} ${String(e.params.limit)}`;
      message = path.endsWith('port') ? `${String(value)} is not a port (${range})` : `${String(value)} is out of range (${range})`;
      break;
    }
    case 'minItems':
      message = `needs at least ${String(e.params.limit)} item(s)`;
      break;
    case 'not': {
      // notFor: a key that belongs to other stacks.
      const key = String(segs[segs.length - 1] ?? '');
      node = keyAt(document, segs.slice(0, -1), key) ?? node;
      const stack = stackAt(document, segs);
      const which = stack ? `stack "${stack}"` : 'this stack';
      message = `does not apply to ${which}; remove it (see the schema's description of "${key}" for the stacks that use it)`;
      break;
    }
    case 'pattern':
    case 'minLength':
    case 'maxLength':
    case 'anyOf':
      message = `${quote(value)} is not valid${described || explainRef(schema)}`;
      break;
    default:
      message = `${e.message ?? 'is not valid'}`;
  }
  return { path, ...pos(node?.range?.[0]), message };
}

function explainRef(schema: Record<string, unknown>): string {
  const any = schema.anyOf as Array<Record<string, unknown>> | undefined;
  const ref = any?.[0]?.$ref ?? schema.$ref;
  if (typeof ref === 'string') {
    const def = (configSchema().definitions as Record<string, Record<string, unknown>>)[ref.split('/').pop() ?? ''];
    if (def && typeof def.description === 'string') return ` (${def.description})`;
  }
  return '';
}

/** Problems the schema cannot express: duplicates and contradictions. */
function semanticIssues(config: DeployKitConfig, document: Document, pos: Pos): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (segs: Segment[], message: string) =>
    issues.push({ path: displayPath(segs), ...pos(nodeAt(document, segs)?.range?.[0]), message });
  const dupes = <T>(items: T[], key: (t: T) => string, segs: (i: number) => Segment[], what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first !== undefined) at(segs(i), `duplicate ${what} "${k}" (already at index ${first}); each must be unique`);
      else seen.set(k, i);
    });
  };
  dupes(config.services, (s) => s.name, (i) => ['services', i, 'name'], 'service name');
  dupes(config.services, (s) => s.path, (i) => ['services', i, 'path'], 'service path');
  dupes(config.targets, (t) => t.type, (i) => ['targets', i, 'type'], 'target');
  dupes(config.env ?? [], (e) => e.name, (i) => ['env', i, 'name'], 'env var');
  // A start command that names its port must name the service's: a port edited in one place only
  // leaves the app listening where the probes, compose and .env.example do not look.
  config.services.forEach((s, i) => {
    const inStart = s.start ? portOfStart(s.start) : null;
    if (inStart !== null && inStart !== s.port) {
      at(['services', i, 'start'], `listens on port ${inStart}, but port is ${s.port}; change the port in start (or port) so the two agree`);
    }
  });
  // One variable set to the bare port and to `0.0.0.0:<port>` would hold whichever the kit wrote last.
  config.services.forEach((s, i) => {
    const named = (['portEnv', 'listenAddrEnv', 'databaseUrlEnv'] as const).filter((k) => typeof s[k] === 'string');
    const twice = named.find((k, j) => named.findIndex((o) => s[o] === s[k]) !== j);
    if (twice) at(['services', i, twice], `${s[twice]} is named twice among portEnv, listenAddrEnv and databaseUrlEnv; each must be its own variable`);
  });
  if (config.branches.staging && config.branches.staging === config.branches.production) {
    at(['branches', 'staging'], 'must differ from branches.production, or be null for no staging');
  }
  return issues;
}
