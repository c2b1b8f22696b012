import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLError,
  type YAMLMap,
  YAMLWarning,
} from 'yaml';
import type { Finding } from './types.js';

/** A parsed YAML document plus what is needed to point findings at lines. */
export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
  text: string;
}

/**
 * Parses one YAML document with line tracking. Syntax errors and warnings come back as
 * `yaml/syntax` findings; callers skip their own rules when there are errors.
 */
export function parseYaml(file: string, text: string): { parsed: ParsedYaml; findings: Finding[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const findings = yamlProblems(file, [...doc.errors, ...doc.warnings], lines);
  return { parsed: { doc, lines, text }, findings };
}

/** Parse-only check for any YAML file (multi-document streams allowed, as in Kubernetes manifests). */
export function validateYaml(file: string, text: string): Finding[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return docs.flatMap((doc) => yamlProblems(file, [...doc.errors, ...doc.warnings], lines));
}

function yamlProblems(file: string, problems: readonly YAMLError[], lines: LineCounter): Finding[] {
  return problems.map((problem) => ({
    rule: 'yaml/syntax',
    severity: problem instanceof YAMLWarning ? 'warning' : 'error',
    file,
    line: lines.linePos(problem.pos[0]).line,
    message: problem.message.split('\n')[0] ?? problem.message,
    fix: 'Fix the YAML so it parses; tools reading this file will reject it or read something else.',
  }));
}

/**
 * A findings list plus `add(rule, node, message, fix, severity?)` that places each finding on
 * the node's line: the collector every YAML-based rule set uses.
 */
export function findingCollector(file: string, parsed: ParsedYaml) {
  const findings: Finding[] = [];
  const add = (rule: string, node: Node | Pair | null | undefined, message: string, fix: string, severity: Finding['severity'] = 'error') => {
    const finding: Finding = { rule, severity, file, message, fix };
    const line = lineOf(parsed, node);
    if (line !== undefined) finding.line = line;
    findings.push(finding);
  };
  return { findings, add };
}

export function lineOf(parsed: ParsedYaml, node: Node | Pair | null | undefined): number | undefined {
  const target = node && 'range' in node ? node : node && 'key' in node ? (node.key as Node | null) : undefined;
  const range = target && 'range' in target ? target.range : undefined;
  return range ? parsed.lines.linePos(range[0]).line : undefined;
}

/** The pair with this key in a map node (keys compared as strings). */
export function pairOf(node: unknown, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(node)) return undefined;
  return (node as YAMLMap<Node, Node | null>).items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key);
}

export function get(node: unknown, key: string): Node | null | undefined {
  return pairOf(node, key)?.value;
}

/** The string value of a scalar node, else undefined. */
export function str(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** The map's pairs as [key, value] with string keys. */
export function entries(node: unknown): [string, Node | null, Pair<Node, Node | null>][] {
  if (!isMap(node)) return [];
  return (node as YAMLMap<Node, Node | null>).items
    .filter((pair) => isScalar(pair.key))
    .map((pair) => [String((pair.key as { value: unknown }).value), pair.value, pair]);
}

export function items(node: unknown): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}

/** The source text of a node (verbatim, before YAML unescaping), and where it starts. */
export function sourceOf(parsed: ParsedYaml, node: Node): { start: number; source: string } {
  const [start, end] = node.range ?? [0, 0];
  return { start, source: parsed.text.slice(start, end) };
}

/**
 * Finds the node at a JSON-pointer-like path (`/services/web/ports/0`), walking as deep as the
 * document allows, so a schema error on a missing child still points at its parent.
 */
export function nodeAtPath(parsed: ParsedYaml, segments: readonly string[]): Node | Pair | undefined {
  let current: unknown = parsed.doc.contents;
  let last: Node | Pair | undefined = parsed.doc.contents ?? undefined;
  for (const segment of segments) {
    if (isMap(current)) {
      const pair = pairOf(current, segment);
      if (!pair) break;
      last = pair;
      current = pair.value;
    } else if (isSeq(current)) {
      const item = current.items[Number(segment)] as Node | undefined;
      if (!item) break;
      last = item;
      current = item;
    } else {
      break;
    }
  }
  return last;
}
