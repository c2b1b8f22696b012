import type { DeployKitConfig, ServiceConfig } from '../../src/config/types.js';
import type { ProjectView } from '../../src/view/project.js';
import type { ServiceView } from '../../src/view/service.js';
import { deployed, isStaticSite } from '../shared/target.js';

/** How each site builder is told its base path: a CLI flag appended to the build, or a variable it reads. */
interface BaseHow {
  /** Appended to the build command; `$BASE_PATH` expands at run time. */
  flag: string | null;
  /** Extra variables for the build step (`name: value` with `$BASE_PATH` expanded by the shell). */
  env: { name: string; value: string }[];
  /** True when the framework reads it only if its config says so (the runbook shows the line). */
  configLine: string | null;
  /** The framework's config file, for the runbook. */
  configFile: string | null;
}

const BASE_HOW: Record<string, BaseHow> = {
  vite: { flag: '--base="$BASE_PATH/"', env: [], configLine: null, configFile: null },
  astro: { flag: '--base "$BASE_PATH/"', env: [], configLine: null, configFile: null },
  remix: { flag: '--base="$BASE_PATH/"', env: [], configLine: null, configFile: null },
  'react-router': { flag: '--base="$BASE_PATH/"', env: [], configLine: null, configFile: null },
  cra: { flag: null, env: [{ name: 'PUBLIC_URL', value: '$BASE_PATH' }], configLine: null, configFile: null },
  nuxt: { flag: null, env: [{ name: 'NUXT_APP_BASE_URL', value: '$BASE_PATH/' }], configLine: null, configFile: null },
  docusaurus: {
    flag: null,
    env: [{ name: 'BASE_URL', value: '$BASE_PATH/' }],
    configLine: "baseUrl: process.env.BASE_URL ?? '/',",
    configFile: 'docusaurus.config.js',
  },
  next: { flag: null, env: [], configLine: "output: 'export', basePath: process.env.BASE_PATH ?? '',", configFile: 'next.config.js' },
  sveltekit: { flag: null, env: [], configLine: "kit: { paths: { base: process.env.BASE_PATH ?? '' } },", configFile: 'svelte.config.js' },
  eleventy: { flag: '--pathprefix="$BASE_PATH/"', env: [], configLine: null, configFile: null },
  vitepress: { flag: '--base "$BASE_PATH/"', env: [], configLine: null, configFile: null },
  gatsby: { flag: '--prefix-paths', env: [], configLine: "pathPrefix: process.env.BASE_PATH ?? '',", configFile: 'gatsby-config.js' },
};

export interface GithubPagesView {
  /** The service's config, for refusals. */
  source: ServiceConfig;
  service: ServiceView;
  /** True when the site has a build (node kind static); false for files served as they are. */
  build: boolean;
  /** The build command with the base path flag, when the framework takes one. */
  buildCommand: string | null;
  buildEnv: { name: string; value: string }[];
  /** Fixed base path from the config, or null to take configure-pages' own. */
  basePath: string | null;
  configLine: string | null;
  configFile: string | null;
  /** Repo path of what gets published. */
  publishDir: string;
  /** Copy index.html to 404.html, so a single-page app's routes load on refresh. */
  spa: boolean;
  branch: string;
}

export function githubPagesView({ config, project }: { config: DeployKitConfig; project: ProjectView }): GithubPagesView | null {
  const picked = deployed({ config, project }, 'github-pages', isStaticSite);
  if (!picked) return null;
  const { target, s, service } = picked;
  const build = s.stack === 'node' && Boolean(s.build);
  const how = (s.webFramework && BASE_HOW[s.webFramework]) || { flag: null, env: [], configLine: null, configFile: null };
  const npmRun = /^npm run [^\s]+$/.test(s.build ?? '');
  // npm needs `--` before arguments meant for the script; pnpm and yarn pass them on.
  const buildCommand = build ? (how.flag ? `${s.build ?? ''}${npmRun ? ' --' : ''} ${how.flag}` : (s.build ?? null)) : null;
  const outputDir = service.outputDir === '.' ? '' : service.outputDir;
  const publishDir = [service.dir, outputDir].filter(Boolean).join('/') || '.';
  return {
    source: s,
    service,
    build,
    buildCommand,
    buildEnv: how.env,
    basePath: target.basePath ?? null,
    configLine: how.configLine,
    configFile: how.configFile,
    publishDir,
    spa: service.nginx?.spa ?? false,
    branch: config.branches.production,
  };
}

