import { bunSiteProblems, commonProblems, describe, isStaticSite, where } from '../shared/target.js';
import type { Generator } from '../types.js';
import { githubPagesView, type GithubPagesView } from './view.js';

/**
 * GitHub Pages: a workflow that builds the static site with its base path set for the
 * framework and deploys it with the official Pages actions.
 */
export const githubPages: Generator<GithubPagesView> = {
  name: 'github-pages',
  description: 'GitHub Pages: static build with the base path set, deployed with the official Pages actions',
  viewKey: 'githubPages',
  when: (config) => config.targets.some((t) => t.type === 'github-pages'),
  view: githubPagesView,
  refusals: ({ config, view }) => {
    const problems = commonProblems(config, 'github-pages');
    if (view) problems.push(...bunSiteProblems(config, 'github-pages', view.source));
    if (!view || isStaticSite(view.source)) return problems;
    const at = where(config, 'github-pages');
    const fix =
      'GitHub Pages serves files only: a node service with kind: static (a build that emits files) or a static service. ' +
      "For a server or an SSR app use vercel, netlify, fly, kubernetes or vps; a Next.js app with output: 'export' is kind: static with outputDir: out.";
    // The view falls back to the first service when none is static: say which were looked at.
    const named = config.targets.some((t) => t.type === 'github-pages' && t.service);
    problems.push(
      named
        ? `${at}: service ${describe(view.source)} has no static build. ${fix}`
        : `${at}: no service has a static build (services: ${config.services.map(describe).join(', ')}). ${fix}`,
    );
    return problems;
  },
  actions: () => [{ type: 'add', path: '.github/workflows/pages.yml', templateFile: 'github-pages/.github/workflows/pages.yml.hbs' }],
  runbook: ['pipeline', 'files', 'secretNotes', 'sections'],
};
