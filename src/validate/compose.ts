import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Finding } from './types.js';
import { entries, get, items, findingCollector, lineOf, nodeAtPath, pairOf, parseYaml, str, type ParsedYaml } from './yaml-util.js';

const COMPOSE_RULES = {
  schema: 'compose/schema',
  noVersion: 'compose/no-version',
  statefulHealthcheck: 'compose/stateful-healthcheck',
  dependsOnHealthy: 'compose/depends-on-healthy',
  namedVolumes: 'compose/named-volumes',
} as const;
const R = COMPOSE_RULES;

/** Images whose containers hold data: they need a healthcheck (for depends_on) and a named volume. */
const STATEFUL_IMAGE = /^(?:postgres|mysql|mariadb|redis|valkey|mongo)/;

let validator: Promise<ValidateFunction> | undefined;

/** The Compose Specification schema, compiled once per process. */
function getValidator(): Promise<ValidateFunction> {
  validator ??= import('./data/compose-spec.json', { with: { type: 'json' } }).then((module) => {
    // The schema's $schema URL is not one ajv registers its draft-07 meta-schema under (see data/README.md).
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    return ajv.compile(module.default);
  });
  return validator;
}

export interface ComposeOptions {
  /**
   * An override file (compose.prod.yaml, docker-compose.override.yml) only adds to a base file, so
   * volumes and services it mentions may be declared elsewhere. Default: decided from the file name.
   */
  override?: boolean;
}

/**
 * Validates a compose file against the Compose Specification JSON Schema (`compose/schema`) and
 * deploy-kit's rules. Schema errors point at the line of the offending key.
 *
 * @example
 * const findings = await validateCompose('compose.yaml', text);
 */
export async function validateCompose(file: string, text: string, options: ComposeOptions = {}): Promise<Finding[]> {
  const { parsed, findings } = parseYaml(file, text);
  if (findings.some((f) => f.severity === 'error')) return findings;
  const override = options.override ?? /(?:^|\/)(?:docker-)?compose\.[^/]+\.ya?ml$/.test(file);

  const validate = await getValidator();
  const data: unknown = parsed.doc.toJS({ maxAliasCount: 1000 }) ?? {};
  if (!validate(data)) findings.push(...schemaFindings(file, parsed, validate.errors ?? []));
  findings.push(...composeRules(file, parsed, override));
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function dotted(segments: readonly string[]): string {
  return segments.reduce((out, segment) => (/^\d+$/.test(segment) ? `${out}[${segment}]` : out ? `${out}.${segment}` : segment), '') || '(top level)';
}

function pathSegments(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Turns ajv errors into one finding per real problem. A value failing a oneOf/anyOf yields an
 * error per branch; report the deepest branch error when one got further (a typo inside an
 * object), else one "must be one of <types>" line.
 */
function schemaFindings(file: string, parsed: ParsedYaml, errors: ErrorObject[]): Finding[] {
  const consumed = new Set<ErrorObject>();
  const promoted = new Set<ErrorObject>();
  const summaries = new Map<ErrorObject, string>();
  // ajv reports a combinator after its branches, and branch errors reached through $ref carry the
  // ref target's schemaPath; so a combinator's branch errors are the earlier, not yet claimed
  // errors at or under its instance path.
  errors.forEach((combinator, index) => {
    if (combinator.keyword !== 'oneOf' && combinator.keyword !== 'anyOf') return;
    const prefix = `${combinator.instancePath}/`;
    const children = errors
      .slice(0, index)
      .filter((e) => !consumed.has(e) && (e.instancePath === combinator.instancePath || e.instancePath.startsWith(prefix)));
    for (const child of children) consumed.add(child);
    // Branches that failed on type alone are the ones the value clearly is not; the rest explain the problem.
    const informative = children.filter(
      (c) => !(c.keyword === 'type' && c.instancePath === combinator.instancePath) && c.keyword !== 'oneOf' && c.keyword !== 'anyOf',
    );
    if (informative.length > 0) {
      consumed.add(combinator);
      for (const child of informative) promoted.add(child);
    } else {
      const types = [...new Set(children.filter((c) => c.keyword === 'type').map((c) => String(c.params.type)))];
      summaries.set(combinator, types.length > 0 ? `must be ${types.join(' or ')}` : (combinator.message ?? 'is not valid'));
    }
  });
  const reported = errors.filter((e) => promoted.has(e) || !consumed.has(e));


  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const error of reported) {
    const segments = pathSegments(error.instancePath);
    let message = summaries.get(error) ?? error.message ?? 'is not valid';
    if (error.keyword === 'additionalProperties') {
      const extra = String(error.params.additionalProperty);
      segments.push(extra);
      message = `unknown key "${extra}"`;
    } else if (error.keyword === 'enum') {
      message = `must be one of: ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`;
    } else if (error.keyword === 'type') {
      message = `must be ${([] as unknown[]).concat(error.params.type).map(String).join(' or ')}`;
    } else if (error.keyword === 'required') {
      message = `is missing the required key "${String(error.params.missingProperty)}"`;
    }
    const text = `${dotted(segments)}: ${message}`;
    if (seen.has(text)) continue;
    seen.add(text);
    const finding: Finding = {
      rule: R.schema,
      severity: 'error',
      file,
      message: `${text} (Compose Specification)`,
      fix: 'See https://docs.docker.com/reference/compose-file/ for the allowed keys and forms.',
    };
    const line = lineOf(parsed, nodeAtPath(parsed, segments));
    if (line !== undefined) finding.line = line;
    findings.push(finding);
  }
  return findings;
}

/** The image's repository name without registry, namespace, tag or digest ("postgres"). */
function imageName(image: string): string {
  const defaulted = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(.+)\}$/.exec(image)?.[1] ?? image;
  const repository = defaulted.split('@')[0] ?? '';
  const last = repository.split('/').pop() ?? '';
  return last.split(':')[0]?.toLowerCase() ?? '';
}

function hasHealthcheck(service: Node | null | undefined): boolean {
  const healthcheck = get(service, 'healthcheck');
  if (!isMap(healthcheck)) return false;
  if (str(get(healthcheck, 'disable')) === 'true') return false;
  const test = get(healthcheck, 'test');
  const first = isSeq(test) ? str(test.items[0]) : str(test);
  return first !== 'NONE';
}

function composeRules(file: string, parsed: ParsedYaml, override: boolean): Finding[] {
  const { findings, add } = findingCollector(file, parsed);
  const root = parsed.doc.contents;
  if (!isMap(root)) return findings;

  const version = pairOf(root, 'version');
  if (version) {
    add(R.noVersion, version, 'the top-level version: key is obsolete: Compose ignores it and warns on every run', 'Delete the version: line.', 'warning');
  }

  const services = entries(get(root, 'services'));
  const declaredVolumes = new Set(entries(get(root, 'volumes')).map(([name]) => name));
  const healthy = new Set(services.filter(([, service]) => hasHealthcheck(service)).map(([name]) => name));

  for (const [name, service, servicePair] of services) {
    if (!isMap(service)) continue;
    const image = str(get(service, 'image'));
    const stateful = image !== undefined && STATEFUL_IMAGE.test(imageName(image));

    if (stateful && !hasHealthcheck(service)) {
      add(
        R.statefulHealthcheck,
        servicePair,
        `service "${name}" (${image}) has no healthcheck, so dependants start before it accepts connections`,
        `Add a healthcheck to "${name}" (e.g. test: ["CMD-SHELL", "pg_isready -U $$POSTGRES_USER"], interval: 5s, retries: 10).`,
      );
    }

    const dependsOn = get(service, 'depends_on');
    for (const item of items(dependsOn)) {
      const target = str(item);
      if (target && healthy.has(target)) {
        add(
          R.dependsOnHealthy,
          item,
          `service "${name}" depends on "${target}" in short form, which waits only for the container to start, not for its healthcheck to pass`,
          `Use the long form: depends_on: { ${target}: { condition: service_healthy } }.`,
        );
      }
    }
    for (const [target, spec, pair] of entries(dependsOn)) {
      if (!healthy.has(target)) continue;
      const condition = str(get(spec, 'condition')) ?? 'service_started';
      if (condition !== 'service_healthy') {
        add(
          R.dependsOnHealthy,
          pair,
          `service "${name}" waits for "${target}" with condition ${condition}, though "${target}" has a healthcheck: it starts before "${target}" is ready`,
          `Set condition: service_healthy under depends_on.${target}.`,
        );
      }
    }

    const volumes = get(service, 'volumes');
    if (stateful && items(volumes).length === 0) {
      add(
        R.namedVolumes,
        servicePair,
        `stateful service "${name}" (${image}) has no named volume, so its data lives in an anonymous volume that is easy to lose`,
        `Mount a named volume at the data directory (e.g. volumes: ["${name}-data:/var/lib/postgresql/data"]) and declare it under top-level volumes:.`,
      );
    }
    for (const volume of items(volumes)) {
      const mount = volumeMount(volume);
      if (!mount) continue;
      if (stateful && mount.type !== 'volume') {
        const kind = mount.type === 'bind' ? `a bind mount of ${mount.source}` : mount.type === 'anonymous' ? 'an anonymous volume' : `a ${mount.type} mount`;
        add(
          R.namedVolumes,
          volume,
          `stateful service "${name}" keeps its data in ${kind}: file ownership and lifecycle depend on the host, and it is easy to lose`,
          `Use a named volume (e.g. ${name}-data:${mount.target}) declared under top-level volumes:.`,
        );
      }
      if (mount.type === 'volume' && mount.source && !override && !declaredVolumes.has(mount.source)) {
        add(
          R.namedVolumes,
          volume,
          `service "${name}" mounts volume "${mount.source}", which is not declared under the top-level volumes: (compose refuses to start)`,
          `Add "${mount.source}:" under the top-level volumes: key.`,
        );
      }
    }
  }
  return findings;
}

interface Mount {
  type: 'volume' | 'bind' | 'anonymous' | string;
  source?: string;
  target: string;
}

function volumeMount(node: Node): Mount | undefined {
  if (isScalar(node)) {
    const spec = str(node) ?? '';
    const parts = spec.split(':');
    if (parts.length === 1) return { type: 'anonymous', target: spec };
    const source = parts[0] ?? '';
    const target = parts[1] ?? '';
    if (/^[./~$]/.test(source)) return { type: 'bind', source, target };
    return { type: 'volume', source, target };
  }
  if (isMap(node)) {
    const type = str(get(node, 'type')) ?? 'volume';
    const source = str(get(node, 'source'));
    const target = str(get(node, 'target')) ?? '';
    if (type === 'volume' && !source) return { type: 'anonymous', target };
    return source === undefined ? { type, target } : { type, source, target };
  }
  return undefined;
}
