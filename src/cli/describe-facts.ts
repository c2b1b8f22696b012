/**
 * What init shows before it asks anything: each fact detection found about each service, with
 * its evidence, and the warnings. Text only; the caller prints it (or puts it in a prompt note).
 */
import type { Candidate } from '../config/choose-services.js';
import { detectedLanguageVersion } from '../config/from-detection.js';
import type { DetectedService, RepoFacts } from '../detect/types.js';
import { elixirOtp } from '../../stacks/elixir/config.js';
import type { GoFrontendFacts } from '../../stacks/go/types.js';
import type { Fact } from '../detect/fact.js';

type Row = [string, { value: unknown; evidence: string } | undefined];

function rows(entries: Row[], indent = ''): string[] {
  return entries.map(([k, f]) => `${indent}${k.padEnd(15)} ${f ? `${String(f.value)}  (${f.evidence})` : 'not found'}`);
}

const fact = <T>(value: T, evidence: string) => ({ value, evidence });

function serviceRows(c: Candidate, indent: string): string[] {
  const s = c.service;
  switch (s.stack) {
    case 'node': {
      const n = s.facts;
      const framework: Row[] = n.kind && n.kind.value !== 'server'
        ? [['kind', n.kind], ['web framework', n.webFramework], ['output', n.outputDir], ...(n.basePath ? [['base path', n.basePath] as Row] : [])]
        : [['framework', n.framework]];
      const own: Row[] = n.portEnv ? [['port variable', n.portEnv]] : [];
      const serving: Row[] = n.kind?.value === 'static' ? [] : [['start', n.start], ['port', n.port], ...own, ['health path', n.healthPath]];
      return rows(
        [
          ['package manager', n.packageManager],
          ['node version', detectedLanguageVersion(s)],
          ...framework,
          ...(n.workspaceRoot ? ([['workspace root', n.workspaceRoot]] as Row[]) : []),
          ...(n.npmrc ? ([['.npmrc', { value: 'copied', evidence: n.npmrc.evidence }]] as Row[]) : []),
          ...(n.patches ? ([['patches', { value: `${n.patches.value}/ copied before the install`, evidence: n.patches.evidence }]] as Row[]) : []),
          ['build', n.build],
          ['test', n.test],
          ...serving,
        ],
        indent,
      );
    }
    case 'python': {
      const p = s.facts;
      const entries: Row[] = [
        ['package manager', p.packageManager],
        ['python version', detectedLanguageVersion(s)],
        ...(p.workspaceRoot ? ([['workspace root', p.workspaceRoot]] as Row[]) : []),
        ['framework', p.framework.evidence ? p.framework : fact(p.framework.value, 'no web framework')],
        ['server', p.server],
        ['entrypoint', p.entrypoint],
        ['start', p.start],
        ['port', p.port],
        ...(p.portEnv ? [['port variable', p.portEnv] as Row] : []),
        ['health path', p.healthPath],
      ];
      if (p.django) {
        if (p.django.settingsModule) entries.push(['settings', p.django.settingsModule]);
        entries.push(['collectstatic', p.django.collectstatic], ['migrations', p.django.migrations]);
      }
      if (p.migrate) entries.push(['migrations', p.migrate]);
      return rows(entries, indent);
    }
    case 'go': {
      const g = s.facts;
      return rows(
        [
          ['module', g.module],
          ['go version', detectedLanguageVersion(s)],
          ['main package', g.mainPackage],
          ...(g.serve ? ([['arguments', g.serve]] as Row[]) : []),
          ['cgo', g.cgo],
          ['port', g.port],
          ...(g.portEnv ? [['port variable', g.portEnv] as Row] : []),
          ...(g.listenAddrEnv ? [['address var', g.listenAddrEnv] as Row] : []),
          ['health path', g.healthPath],
          ...(g.frontend ? [['embedded UI', embeddedUi(g.frontend)] as Row] : []),
        ],
        indent,
      );
    }
    case 'static':
      return rows([['site root', s.facts.root]], indent);
    case 'rust': {
      const r = s.facts;
      return rows(
        [
          ['lockfile', r.lockfile],
          ['rust version', detectedLanguageVersion(s)],
          ['package', r.package],
          ['binary', r.binary],
          ['framework', r.framework],
          ['port', r.port],
          ['health path', r.healthPath],
        ],
        indent,
      );
    }
    case 'ruby': {
      const r = s.facts;
      return rows(
        [
          ['lockfile', r.lockfile],
          ['ruby version', detectedLanguageVersion(s)],
          ['framework', r.framework],
          ['rails', r.railsVersion],
          ['puma', r.puma],
          ['assets', r.assets],
          ['migrations', r.migrations],
          ['start', r.start],
          ['port', r.port],
          ['health path', r.healthPath],
        ],
        indent,
      );
    }
    case 'elixir': {
      const e = s.facts;
      const minor = detectedLanguageVersion(s)?.value ?? '';
      const otp: Row = ['otp version', e.otpVersion ?? fact(elixirOtp(e, minor), `the newest Erlang/OTP Elixir ${minor} supports`)];
      return rows(
        [
          ['lockfile', e.lockfile ?? (e.deps.length === 0 ? fact('none needed', 'mix.exs declares no dependencies') : undefined)],
          ['elixir version', detectedLanguageVersion(s)],
          otp,
          ['framework', e.framework],
          ['server', e.server],
          ['endpoint', e.endpoint],
          ['runtime config', e.runtimeConfig],
          ['assets', e.assets],
          ['ecto', e.ecto],
          // Only when the app's own name replaces DATABASE_URL or PORT.
          ...(e.databaseUrlEnv ? [['database url', e.databaseUrlEnv] as Row] : []),
          ['release', e.release],
          ['migrations', e.releaseModule],
          ['port', e.port],
          ...(e.portEnv ? [['port variable', e.portEnv] as Row] : []),
          ['health path', e.healthPath],
        ],
        indent,
      );
    }
    case 'java': {
      const j = s.facts;
      return rows(
        [
          ['build tool', j.buildTool],
          ['wrapper', j.wrapper],
          ['java version', detectedLanguageVersion(s)],
          ['framework', j.framework],
          ['version', j.frameworkVersion],
          ['web server', j.web],
          ...(j.migrateOnStart ? ([['migrations', j.migrateOnStart]] as Row[]) : []),
          ...(j.kotlin ? ([['kotlin', j.kotlin]] as Row[]) : []),
          ['port', j.port],
          ['health path', j.healthPath],
        ],
        indent,
      );
    }
    case 'dotnet': {
      const d = s.facts;
      return rows(
        [
          ['solution', d.solution],
          ['project', d.project],
          ['.NET version', detectedLanguageVersion(s)],
          ['assembly', d.assemblyName],
          ['lockfile', d.lockfile],
          ['port', d.port],
          ['health path', d.healthPath],
        ],
        indent,
      );
    }
    case 'php': {
      const p = s.facts;
      const extensions = p.extensions.length > 0 ? { value: p.extensions.join(', '), evidence: p.extensionEvidence.join('; ') } : undefined;
      return rows(
        [
          ['lockfile', p.lockfile],
          ['php version', detectedLanguageVersion(s)],
          ['framework', p.framework],
          ['version', p.frameworkVersion],
          ['document root', p.documentRoot],
          ['extensions', extensions],
          ['assets', p.assets],
          ['migrations', p.migrate],
          ['test', p.test],
          ['health path', p.healthPath],
          // Only when the settings switch the log to stdout on a variable (the image sets it).
          ...(p.stdoutLogEnv ? [['log to stdout', p.stdoutLogEnv] as Row] : []),
        ],
        indent,
      );
    }
    case 'deno': {
      const d = s.facts;
      const entries: Row[] = [['config', d.config], ['lockfile', d.lockfile], ['framework', d.framework], ['test', d.test], ['start', d.start]];
      const own: Row[] = d.portEnv ? [['port variable', d.portEnv]] : [];
      return rows([...entries, ['port', d.port], ...own, ['health path', d.healthPath]], indent);
    }
    case 'bun': {
      const b = s.facts;
      const version: Row = ['bun version', detectedLanguageVersion(s)];
      // A site: nginx serves what the build emits, so no start, port or route of its own.
      if (b.kind) {
        const site: Row[] = [['lockfile', b.lockfile], version, ['workspace root', b.workspaceRoot], ['kind', b.kind], ['web framework', b.webFramework]];
        const base: Row[] = b.basePath ? [['base path', b.basePath]] : [];
        return rows([...site, ['output dir', b.outputDir], ...base, ['build', b.build], ['test', b.test]], indent);
      }
      return rows(
        [
          ['lockfile', b.lockfile],
          version,
          ['framework', b.framework],
          ['build', b.build],
          ['test', b.test],
          ['start', b.start],
          ['port', b.port],
          ...(b.portEnv ? [['port variable', b.portEnv] as Row] : []),
          ['health path', b.healthPath],
        ],
        indent,
      );
    }
  }
}

function warningsOf(s: DetectedService): string[] {
  return s.stack === 'node' ? (s.facts.warnings ?? []) : s.facts.warnings;
}

/** The facts of each chosen service, then the repository's (branch, CI, env vars, add-ons), then its warnings. */
export function describeFacts(facts: RepoFacts, candidates: Candidate[], project: { addons: string[]; ci: { value: string; evidence: string } }): string {
  const lines: string[] = [];
  const single = candidates.length === 1 && candidates[0]!.service.path === '.';
  const shown = new Set<string>();
  for (const c of candidates) {
    if (!single) lines.push(`service "${c.name}" (${c.service.path}): ${c.service.stack}, ${c.service.evidence}`);
    lines.push(...serviceRows(c, single ? '' : '  '));
    for (const w of warningsOf(c.service)) {
      lines.push(`${single ? '' : '  '}warning: ${w}`);
      shown.add(w);
    }
  }
  lines.push(...rows([['default branch', facts.git.defaultBranch], ['ci', project.ci]]));
  if (facts.env.length) lines.push(`${'env vars'.padEnd(15)} ${facts.env.map((e) => e.name).join(', ')}`);
  if (project.addons.length) lines.push(`${'add-ons'.padEnd(15)} ${project.addons.join('; ')}`);
  // Detection copies the root package's warnings into the repository's: show each one once, under its service.
  for (const w of facts.warnings) if (!shown.has(w)) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/** A Go binary's embedded web UI, as one row: its package, build and output. */
function embeddedUi(f: Fact<GoFrontendFacts>): Fact<string> {
  return { value: `${f.value.path}: ${f.value.build} -> ${f.value.output}`, evidence: f.evidence };
}
