import type { DeployKitConfig, ServiceConfig, TargetConfig } from '../src/config/types.js';

/** Targets whose workflows exist for GitHub Actions only. */
export const GITHUB_ONLY_TARGETS = ['hf-spaces', 'github-pages', 'vercel', 'netlify', 'fly', 'kubernetes'] as const;

/** `targets[i] (type)`: where a problem is, as the user finds it in deploy-kit.yaml. */
export function where(config: DeployKitConfig, type: TargetConfig['type']): string {
  return `targets[${config.targets.findIndex((t) => t.type === type)}] (${type})`;
}

/** The config's target of a type. */
export function targetOf<T extends TargetConfig['type']>(config: DeployKitConfig, type: T): Extract<TargetConfig, { type: T }> | undefined {
  return config.targets.find((t): t is Extract<TargetConfig, { type: T }> => t.type === type);
}

/** A short description of a service for messages: `"web" (node, kind ssr, next)`. */
export function describe(s: ServiceConfig): string {
  const parts = [s.stack, ...(s.stack === 'node' ? [`kind ${s.kind ?? 'server'}`] : []), ...(s.webFramework ? [s.webFramework] : s.framework && s.framework !== 'none' ? [s.framework] : [])];
  return `"${s.name}" (${parts.join(', ')})`;
}

/**
 * The problems every platform target shares: a CI provider its workflow is not written for, and
 * a `service:` that names no service.
 */
export function commonProblems(config: DeployKitConfig, type: (typeof GITHUB_ONLY_TARGETS)[number]): string[] {
  const target = targetOf(config, type);
  if (!target) return [];
  const at = where(config, type);
  const problems: string[] = [];
  if (config.ci.provider !== 'github') {
    problems.push(
      `${at}: the ${type} target deploys from GitHub Actions, and ci.provider is "${config.ci.provider}". ` +
        `GitHub-only targets: ${GITHUB_ONLY_TARGETS.join(', ')}; with GitLab CI use vps or compose, or set ci.provider: github.`,
    );
  }
  const named = (target as { service?: string }).service;
  if (named && !config.services.some((s) => s.name === named)) {
    problems.push(`${at}: service "${named}" names no service; services: ${config.services.map((s) => s.name).join(', ')}`);
  }
  return problems;
}
