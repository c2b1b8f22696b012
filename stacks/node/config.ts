/** What `init` takes from a Node service's facts. */
import type { Framework, NodePackageManager, ServiceConfig } from '../../src/config/types.js';
import { NODE_LTS_MAJOR } from '../../src/versions.js';
import { nginxQuestions } from '../nginx.js';
import { TCP_HEALTH, detected } from '../shared.js';
import type { Detected, ServiceAnswers, ServiceQuestions } from '../types.js';
import type { NodeFacts } from './types.js';

/** Node's conventional port, when the code names none. */
const DEFAULT_PORT = 3000;

/** A Node package is a service when it runs or builds a site; a web framework counts even when its setup needs fixing (its warnings say how). */
export function nodeDeployable(facts: NodeFacts): string | undefined {
  // A package bun installs is the Bun stack's (stacks/bun), whose detection asks the same question.
  if (facts.packageManager.value === 'bun') return undefined;
  // A workspace root that runs its packages' scripts, an editor extension, a mobile app: said by notDeployed.
  if (facts.delegatesStart || facts.clientApp) return undefined;
  if (facts.kind) return `${facts.kind.value}: ${facts.kind.evidence}`;
  // A site builder with no script to build with: a library or tooling (facts.unbuilt says so when it matters).
  if (!facts.build) return undefined;
  if (facts.webFramework && facts.webFramework.value !== 'vite' && !facts.importedBy) return `${facts.webFramework.value} app: ${facts.webFramework.evidence}`;
  return undefined;
}

export function nodeQuestions(f: NodeFacts): ServiceQuestions {
  if (f.kind?.value === 'static') return nginxQuestions();
  return {
    port: detected(f.port),
    healthPath: detected(f.healthPath),
    start: detected(f.start),
    needsStart: true,
    fallback: { port: String(DEFAULT_PORT), healthPath: TCP_HEALTH },
  };
}

export function nodeLanguageVersion(f: NodeFacts): Detected {
  return f.nodeVersion
    ? { value: f.nodeVersion.value, evidence: f.nodeVersion.evidence }
    : { value: NODE_LTS_MAJOR, evidence: 'no version in the repo: the current LTS' };
}

export function nodeConfig(f: NodeFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  const kind = f.kind?.value ?? 'server';
  const web = f.webFramework?.value;
  const svc: Partial<ServiceConfig> = { ...base, stack: 'node', framework: (f.framework?.value ?? 'none') as Framework };
  // A server keeps the shape configs had before kinds existed (kind: server is the default).
  if (kind !== 'server') svc.kind = kind;
  if (web && kind !== 'server') svc.webFramework = web;
  // Next's and Nuxt's servers have a layout of their own; their static exports (`out`, `.output/public`) do not.
  if (f.outputDir && (kind === 'static' || (kind === 'ssr' && web !== 'next' && web !== 'nuxt'))) svc.outputDir = f.outputDir.value;
  if (kind === 'static' && !svc.outputDir) svc.outputDir = 'dist';
  if (kind === 'static' && f.basePath) svc.basePath = f.basePath.value;
  if (f.workspaceRoot) svc.workspaceRoot = f.workspaceRoot.value;
  svc.packageManager = f.packageManager.value as NodePackageManager;
  svc.packageManagerVersion = f.packageManagerVersion?.value ?? null;
  if (!f.lockfile) svc.lockfile = false;
  if (f.npmrc) svc.npmrc = true;
  if (f.patches) svc.patches = f.patches.value;
  if (f.skipEnvValidation && kind !== 'server') svc.skipEnvValidation = f.skipEnvValidation.value;
  svc.languageVersion = a.languageVersion ?? f.nodeVersion?.value ?? NODE_LTS_MAJOR;
  svc.build = a.build;
  svc.test = a.test;
  if (kind !== 'static' && a.start) svc.start = a.start;
  svc.port = a.port;
  if (f.portEnv && kind !== 'static') svc.portEnv = f.portEnv.value;
  if (a.healthPath !== undefined) svc.healthPath = a.healthPath;
  const prisma = f.prisma?.value;
  if (prisma && kind !== 'static') {
    svc.prisma = prisma.schema;
    // A release step like Django's migrate: the runtime image of a server has the CLI and prisma/.
    if (prisma.migrations && prisma.cliInProd && kind === 'server') svc.migrate = 'node_modules/.bin/prisma migrate deploy';
  }
  return svc as ServiceConfig;
}
