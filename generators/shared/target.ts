/**
 * What the targets share: where a problem is in deploy-kit.yaml, the refusals every GitHub-only
 * target makes, the per-branch environments, and which services the hosted platforms can run.
 */
import type { DeployKitConfig, ServiceConfig, TargetConfig } from '../../src/config/types.js';
import type { ProjectView } from '../../src/view/project.js';
import type { ServiceView } from '../../src/view/service.js';
import { targetOf, targetService } from '../../src/view/targets.js';
import { servedByNginx } from '../../stacks/index.js';

/** Targets whose workflows exist for GitHub Actions only. */
const GITHUB_ONLY_TARGETS = ['hf-spaces', 'github-pages', 'vercel', 'netlify', 'fly', 'kubernetes'] as const;

/** `targets[i] (type)`: where a problem is, as the user finds it in deploy-kit.yaml. */
export function where(config: DeployKitConfig, type: TargetConfig['type']): string {
  return `targets[${config.targets.findIndex((t) => t.type === type)}] (${type})`;
}

/** A short description of a service for messages: `"web" (node, kind ssr, next)`. */
export function describe(s: ServiceConfig): string {
  const framework = s.webFramework ? [s.webFramework] : s.framework && s.framework !== 'none' ? [s.framework] : [];
  const parts = [s.stack, ...(s.stack === 'node' ? [`kind ${s.kind ?? 'server'}`] : []), ...framework];
  return `"${s.name}" (${parts.join(', ')})`;
}

/**
 * The problems every target with a `service:` option shares: a `service:` that names no service,
 * and for the GitHub-only targets a CI provider their workflow is not written for.
 */
export function commonProblems(config: DeployKitConfig, type: TargetConfig['type']): string[] {
  const target = targetOf(config, type);
  if (!target) return [];
  const at = where(config, type);
  const problems: string[] = [];
  if ((GITHUB_ONLY_TARGETS as readonly string[]).includes(type) && config.ci.provider !== 'github') {
    problems.push(
      `${at}: the ${type} target deploys from GitHub Actions, and ci.provider is "${config.ci.provider}". ` +
        `GitHub-only targets: ${GITHUB_ONLY_TARGETS.join(', ')}; with GitLab CI use vps or compose, or set ci.provider: github.`,
    );
  }
  const named = 'service' in target ? target.service : undefined;
  if (named && !config.services.some((s) => s.name === named)) {
    problems.push(`${at}: service "${named}" names no service; services: ${config.services.map((s) => s.name).join(', ')}`);
  }
  return problems;
}

/**
 * The hosted static targets (github-pages, vercel, netlify) install and build with npm, pnpm or
 * yarn: a site bun builds is refused there, with where it can go.
 */
export function bunSiteProblems(config: DeployKitConfig, type: 'github-pages' | 'vercel' | 'netlify', s: Pick<ServiceConfig, 'name' | 'stack'>): string[] {
  if (s.stack !== 'bun') return [];
  return [
    `${where(config, type)}: service "${s.name}" is built by bun, and the ${type} target builds with npm, pnpm or yarn only. ` +
      'Deploy it with compose, vps, fly or kubernetes (its image runs the bun build), or install it with npm, pnpm or yarn.',
  ];
}

/** Quotes a string for a GitHub expression literal ('' escapes a quote). */
function ghString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** `github.ref == 'refs/heads/<branch>'`. */
export function onBranch(branch: string): string {
  return `github.ref == ${ghString(`refs/heads/${branch}`)}`;
}

/** What every target's environment has: which one, its name in the CI provider, its branch. */
export interface EnvironmentView {
  key: 'production' | 'staging';
  /** Environment name in the CI provider (secrets, URL, deploy history). */
  name: string;
  branch: string;
  /** `github.ref == 'refs/heads/<branch>'`. */
  githubIf: string;
  jobId: string;
}

/** A target's environments: production, and staging when branches.staging is set. */
export interface Environments<E> {
  production: E;
  staging: E | null;
  environments: E[];
}

/**
 * Builds a target's environments from one function of (key, branch): production from
 * branches.production, staging from branches.staging when it is set.
 */
export function branchEnvironments<E>(config: Pick<DeployKitConfig, 'branches'>, build: (key: 'production' | 'staging', branch: string) => E): Environments<E> {
  const production = build('production', config.branches.production);
  const staging = config.branches.staging ? build('staging', config.branches.staging) : null;
  return { production, staging, environments: staging ? [production, staging] : [production] };
}

/** The common part of an environment: its name defaults to its key. */
export function environmentBase(key: 'production' | 'staging', branch: string, jobId: string, name: string = key): EnvironmentView {
  return { key, name, branch, githubIf: onBranch(branch), jobId };
}

/**
 * The SSR frameworks deploy-kit knows. Each one's server reads PORT, and Vercel and Netlify build
 * each natively (with the platform's adapter).
 */
export const SSR_FRAMEWORKS: ReadonlySet<string> = new Set(['next', 'nuxt', 'sveltekit', 'astro', 'remix', 'react-router']);

/** Services GitHub Pages (and the static hosts) can serve: a build that emits files, or files as they are. */
export function isStaticSite(s: Pick<ServiceConfig, 'stack' | 'kind'>): boolean {
  return servedByNginx(s);
}

/** Services Vercel and Netlify can run: static sites and the SSR frameworks they build. */
export function isHostable(s: Pick<ServiceConfig, 'stack' | 'kind' | 'webFramework'>): boolean {
  return isStaticSite(s) || (s.stack === 'node' && s.kind === 'ssr' && s.webFramework !== undefined && SSR_FRAMEWORKS.has(s.webFramework));
}

/** What a target's view is built from: the config and the project view. */
export interface ViewInput {
  config: DeployKitConfig;
  project: ProjectView;
}

/**
 * A target's config and the service it deploys (its config and its view), or null when the
 * config has no such target or its `service:` names none (the refusals say why).
 */
export function deployed<T extends Exclude<TargetConfig['type'], 'compose'>>(
  { config, project }: ViewInput,
  type: T,
  fits?: (s: ServiceConfig) => boolean,
): { target: Extract<TargetConfig, { type: T }>; s: ServiceConfig; service: ServiceView } | null {
  const target = targetOf(config, type);
  if (!target) return null;
  const s = targetService(config, target, fits);
  const service = project.services.find((v) => v.name === s?.name);
  return s && service ? { target, s, service } : null;
}
