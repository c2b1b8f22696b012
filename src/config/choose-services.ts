/**
 * Which detected services a new kit deploys, what each is called, and which ones the kit refuses
 * (a stack or setup it cannot build yet). Policy only: it reads detection's facts, never the disk.
 */
import type { DetectedService, RepoFacts } from '../detect/types.js';
import { UsageError, UserError } from '../errors.js';
import { slugify } from '../detect/shared.js';
import { foreignSiteMessage } from '../../stacks/static/foreign.js';
import { questionsFor, serviceNames, type Detected, type ServiceQuestions } from './from-detection.js';

/** A detected service with the name it gets in the config and what init asks about it. */
export interface Candidate {
  service: DetectedService;
  name: string;
  questions: ServiceQuestions;
}

/** What the user said about the choice: `--services web,api` and `--stack <path>=<stack>`. */
export interface ServiceSelection {
  /** Names or paths to keep; undefined keeps every service. */
  only?: string[] | undefined;
  /** For a directory deployable as two stacks: path -> the stack that runs. */
  stacks: Map<string, string>;
}

/** The root package.json that detection did not list as a service (no start script, no framework): asked about as a Node server. */
function bareRootNode(facts: RepoFacts): DetectedService | undefined {
  // A package bun installs is the Bun stack's, which found nothing to run in it (a library, no entry file).
  if (!facts.node || facts.node.packageManager.value === 'bun') return undefined;
  return { path: '.', stack: 'node', evidence: 'package.json (a Node server, once its start command is known)', facts: facts.node };
}

/** Detected services, minus those the selection leaves out, with one stack per directory. */
export function chooseServices(facts: RepoFacts, selection: ServiceSelection, root: string): Candidate[] {
  // Only a site deploy-kit cannot build (Hugo, Jekyll): that, not a server to start, is the answer.
  const foreign = facts.foreignSites ?? [];
  if (!facts.services?.length && foreign.length > 0) throw new UserError(foreign.map(foreignSiteMessage).join('\n'));
  let detected = facts.services?.length ? facts.services : [bareRootNode(facts)].filter((s): s is DetectedService => s !== undefined);
  if (detected.length === 0) {
    throw new UserError(
      (facts.node
        ? `nothing to deploy found in ${root}: its package.json is no server or built site (a package published to be imported is none), ` +
          'and apps/*, services/*, packages/* and its workspaces hold none either. '
        : `nothing to deploy found in ${root}: no app's manifest (package.json, pyproject.toml, requirements.txt, Pipfile, go.mod, Cargo.toml, ` +
          'Gemfile, composer.json, mix.exs, pom.xml, build.gradle(.kts), a .csproj) or index.html that makes a service, ' +
          'at its top or in apps/*, services/*, packages/*. ') +
        "Run it in the app's directory (or pass that directory)." +
        // What detection saw but left out (a Deno app whose server is a build output, a site built into another app): the reason.
        facts.warnings.map((w) => `\n  ${w}`).join(''),
    );
  }
  // A directory deployable as two stacks: the selection says which.
  const byPath = new Map<string, DetectedService[]>();
  for (const s of detected) byPath.set(s.path, [...(byPath.get(s.path) ?? []), s]);
  const ambiguous: string[] = [];
  detected = detected.filter((s) => {
    const same = byPath.get(s.path) ?? [];
    if (same.length < 2) return true;
    const pick = selection.stacks.get(s.path) ?? selection.stacks.get(`./${s.path}`);
    if (pick === undefined) {
      if (!ambiguous.includes(s.path)) ambiguous.push(s.path);
      return false;
    }
    return pick === s.stack;
  });
  if (ambiguous.length) {
    const stacksOf = (p: string) => byPath.get(p) ?? [];
    const each = ambiguous.map((p) => `${p === '.' ? 'the repository root' : p} is deployable as ${stacksOf(p).map((s) => s.stack).join(' and ')}`);
    throw new UsageError(
      `${each.join('; ')}: say which one runs`,
      `pass ${ambiguous.map((p) => `--stack ${p}=${stacksOf(p)[0]?.stack ?? 'node'}`).join(' ')}`,
    );
  }
  const names = serviceNames(detected);
  let candidates = detected.map((service, i) => ({ service, name: names[i]!, questions: questionsFor(service) }));
  const only = selection.only;
  if (only) {
    const unknown = only.filter((o) => !candidates.some((c) => c.name === o || c.service.path === o));
    if (unknown.length) {
      throw new UsageError(
        `--services: ${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not a detected service; ` +
          `detected: ${candidates.map((c) => `${c.name} (${c.service.path})`).join(', ')}`,
      );
    }
    candidates = candidates.filter((c) => only.includes(c.name) || only.includes(c.service.path));
    // One service left keeps its directory's name only when it is not at the root.
    if (candidates.length === 1 && candidates[0]!.service.path === '.') candidates[0]!.name = 'app';
  }
  return candidates;
}

/** Stacks and setups the kit cannot build yet: refused with what to do instead (`all`: every chosen service, for a workspace's). */
export function refuseUnsupported(c: Candidate, _index = 0, all: readonly Candidate[] = [c]): void {
  const s = c.service;
  const where = s.path === '.' ? '' : ` (${s.path}; leave it out with --services)`;
  const wsRoot = s.stack === 'node' ? s.facts.workspaceRoot?.value : undefined;
  if (s.stack === 'node' && s.facts.yarnFlavor?.value === 'berry' && wsRoot !== undefined) {
    // The workspace root decides for all its packages: leaving one out only moves the refusal to the next.
    const members = all.filter((o) => o.service.stack === 'node' && o.service.facts.workspaceRoot?.value === wsRoot).map((o) => o.service.path);
    const at = wsRoot === '.' ? 'the repository root' : wsRoot;
    throw new UserError(
      `${s.facts.yarnFlavor.evidence}: the Yarn workspace at ${at} installs with Yarn Berry (2+), which deploy-kit does not support yet ` +
        `(npm, pnpm and Yarn classic are), so none of its packages (${members.join(', ')}) can get a kit. Move the workspace to one of those, ` +
        'or leave all of them out with --services to write the kit of the other services.',
    );
  }
  const dotnet = s.stack === 'dotnet' ? s.facts.dotnetVersion : undefined;
  if (dotnet && Number(dotnet.value.split('.')[0]) < 8) {
    throw new UserError(
      `${dotnet.evidence}${where}: .NET ${dotnet.value} is past end of support and has no Ubuntu 24.04 SDK or runtime images, so its image ` +
        'cannot be built; retarget the project to net8.0 or later (<TargetFramework>net8.0</TargetFramework>), then run init again.',
    );
  }
  if (s.stack === 'node' && s.facts.packageManager.value === 'bun') {
    throw new UserError(`${s.facts.packageManager.evidence}${where}: bun images are not supported yet; use npm, pnpm or yarn (classic).`);
  }
  if (s.stack === 'node' && s.facts.yarnFlavor?.value === 'berry') {
    throw new UserError(`${s.facts.yarnFlavor.evidence}${where}: Yarn Berry (2+) is not supported yet; npm, pnpm and Yarn classic are.`);
  }
}

/** The project name: the root package's or pyproject's name, else none (the caller falls back to the directory's). */
export function projectName(facts: RepoFacts, candidates: Candidate[]): Detected | undefined {
  if (facts.node?.name) return { value: slugify(facts.node.name.value), evidence: facts.node.name.evidence };
  const root = candidates.find((c) => c.service.path === '.')?.service;
  if (root?.stack === 'python' && root.facts.name) return { value: slugify(root.facts.name.value), evidence: root.facts.name.evidence };
  if (root?.stack === 'go' && root.facts.module) {
    const last = root.facts.module.value.split('/').filter((p) => !/^v\d+$/.test(p)).pop() ?? '';
    return { value: slugify(last), evidence: root.facts.module.evidence };
  }
  return undefined;
}
