import { CLI } from '../version.js';
import { Document, isMap, isPair, isScalar, parseDocument, type Document as Doc } from 'yaml';
import { configSchema } from './load.js';
import { SCHEMA_FILE, type DeployKitConfig } from './types.js';

const SCHEMA_LINE = ` yaml-language-server: $schema=./${SCHEMA_FILE}`;

/** The target types the schema defines, in its order (the schema is the one list). */
function targetTypeNames(): string[] {
  const target = (configSchema().definitions as Record<string, { oneOf?: Array<{ properties?: { type?: { const?: string } } }> }>).target;
  return (target?.oneOf ?? []).map((b) => b.properties?.type?.const).filter((t): t is string => typeof t === 'string');
}

const KEY_COMMENTS: Record<string, string | (() => string)> = {
  version:
    ' deploy-kit.yaml: the answers your deployment kit is rendered from.\n' +
    ` Edit it, then run \`${CLI} generate\`; your edits to generated files are kept.`,
  deployKit: ' The deploy-kit version that wrote the kit: run that version (a newer one says what upgrading changes).',
  name: ' Project name: used for image names, the compose project and the runbook.',
  services: ' Each deployable service: where it lives, how it builds, starts and proves it is healthy.',
  branches: ' Branches the workflows trigger on (detected from git; a branch the repo lacks never runs).',
  ci: ' CI provider the workflows are written for.',
  targets: () =>
    ` Where the services run: ${targetTypeNames().join(', ')}.\n` +
    ` \`${CLI} add <target>\` adds one (its options are flags); \`remove <target>\` takes one out.`,
  security: ' Supply-chain checks: verifyImages refuses to deploy an image whose build attestation does not verify.',
  addons:
    ' Backing services compose runs beside the app (postgres, redis): healthchecks, named volumes,\n' +
    ' DATABASE_URL (or the service\'s databaseUrlEnv) / REDIS_URL for the app. Credentials come from .env,\n' +
    ' never from this file.',
  env:
    ' Environment variables the app reads: documented in .env.example and DEPLOY.md.\n' +
    ' Mark secrets `secret: true`; their values go in your platform secret store, never in a file.',
};

/**
 * Renders a new, commented deploy-kit.yaml. The first line points editors at the JSON Schema
 * that `generate` keeps in .deploy-kit/, so completion and validation work offline.
 */
export function renderNewConfig(config: DeployKitConfig): string {
  const doc = new Document(config);
  doc.commentBefore = SCHEMA_LINE;
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (isPair(pair) && isScalar(pair.key)) {
        const c = KEY_COMMENTS[String(pair.key.value)];
        if (c) pair.key.commentBefore = typeof c === 'function' ? c() : c;
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * Applies changes to an existing document, keeping every comment and the user's layout.
 *
 * @example
 *   updateConfig(document, [[['services', 0, 'port'], 8080]])
 */
export function updateConfig(document: Doc, changes: Array<[Array<string | number>, unknown]>): string {
  for (const [path, value] of changes) document.setIn(path, value);
  return document.toString({ lineWidth: 0 });
}

/**
 * deploy-kit.yaml's text with `deployKit` set to `version` (placed after `version:` when it is
 * new), every comment and the user's layout kept. The text itself when it already says so.
 */
export function stampVersion(text: string, version: string): string {
  // Already stamped (the usual case for generate, plan and check): a top-level `deployKit:` line
  // at column 0 holds the version, plain. No need to parse the file again (a 50-service file
  // takes tens of milliseconds).
  const stamped = [...text.matchAll(/^deployKit:[ \t]*([^\s#]+)[ \t]*(?:#.*)?$/gm)];
  if (stamped.length === 1 && stamped[0]![1] === version) return text;
  const doc = parseDocument(text) as unknown as Doc;
  if (!isMap(doc.contents)) return text;
  const items = doc.contents.items;
  const existing = items.find((p) => isScalar(p.key) && p.key.value === 'deployKit');
  if (existing) {
    if (isScalar(existing.value) && existing.value.value === version) return text;
    doc.set('deployKit', version);
  } else {
    const at = items.findIndex((p) => isScalar(p.key) && p.key.value === 'version');
    items.splice(at + 1, 0, doc.createPair('deployKit', version));
  }
  return doc.toString({ lineWidth: 0 });
}
