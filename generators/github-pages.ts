import { isStaticSite } from '../src/plan/platforms.js';
import { projectView } from '../src/plan/view.js';
import { commonProblems, describe, targetOf, where } from './platform.js';
import type { Generator } from './types.js';

/**
 * GitHub Pages: a workflow that builds the static site with its base path set for the
 * framework and deploys it with the official Pages actions.
 */
export const githubPages: Generator = {
  name: 'github-pages',
  description: 'GitHub Pages: static build with the base path set, deployed with the official Pages actions',
  when: (config) => config.targets.some((t) => t.type === 'github-pages'),
  check: (config) => {
    const problems = commonProblems(config, 'github-pages');
    const target = targetOf(config, 'github-pages');
    if (!target) return problems;
    const at = where(config, 'github-pages');
    const named = target.service ? config.services.find((s) => s.name === target.service) : undefined;
    const site = target.service ? named : config.services.find(isStaticSite);
    const fix =
      'GitHub Pages serves files only: a node service with kind: static (a build that emits files) or a static service. ' +
      'For a server or an SSR app use vercel, netlify, fly, kubernetes or vps; a Next.js app with output: \'export\' is kind: static with outputDir: out.';
    if (named && !isStaticSite(named)) problems.push(`${at}: service ${describe(named)} has no static build. ${fix}`);
    if (!target.service && !site) {
      problems.push(`${at}: no service has a static build (services: ${config.services.map(describe).join(', ')}). ${fix}`);
    }
    return problems;
  },
  actions: (config) => (projectView(config).targets.githubPages ? [{ type: 'add', path: '.github/workflows/pages.yml', templateFile: 'github-pages/.github/workflows/pages.yml.hbs' }] : []),
};
