/** What Vercel and Netlify share: the hosted service, its build and output, the refusal of servers. */
import type { DeployKitConfig, ServiceConfig } from '../../src/config/types.js';
import type { ProjectView } from '../../src/view/project.js';
import type { ServiceView } from '../../src/view/service.js';
import {
  branchEnvironments,
  bunSiteProblems,
  deployed,
  commonProblems,
  describe,
  environmentBase,
  isHostable,
  isStaticSite,
  where,
  type EnvironmentView,
  type Environments,
} from './target.js';

export interface HostView extends Environments<EnvironmentView> {
  /** The service's config, for refusals. */
  source: ServiceConfig;
  service: ServiceView;
  /** The directory the platform builds from ("." for the root). */
  root: string;
  /** Repo path of the platform's config file. */
  configFile: string;
  /** The service is a static site (the config says where its files are). */
  staticSite: boolean;
  /** What the platform publishes, relative to `root` (static sites). */
  outputDir: string;
  spa: boolean;
  /** `npx --yes <cli>@<pinned version>`. */
  cli: string;
  /** `<package>@<pinned version>` of that CLI, for a deploy that installs it in a directory of its own. */
  cliPackage: string;
  /** The build root as a path prefix for artifact paths: "" for the repository root, else "<root>/". */
  artifactRoot: string;
  prComments: boolean;
  /** vercel: where production is verified. */
  domain: string | null;
  /** The build command, or null for a site without one. */
  build: string | null;
  /** The platform's framework preset (vercel.json `framework`), or null to let it detect. */
  framework: string | null;
  /** The install command from the service's package manager. */
  install: string | null;
  /** Security headers both platforms set on every response. */
  headers: { key: string; value: string }[];
  /**
   * vercel: the project settings a build without a token writes to .vercel/project.json (what
   * `vercel pull` would fetch and vercel.json does not say).
   */
  projectSettings: { framework: string | null; rootDirectory: string | null };
  /** Path production is verified on: the health route of an app, `/` for a site (no health route off nginx). */
  verifyPath: string;
}

/** Headers every hosted site gets (the same set the VPS nginx and the image's nginx send). */
const SECURITY_HEADERS = [
  { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

/** Vercel's framework presets for the builders deploy-kit knows. */
const VERCEL_FRAMEWORK: Record<string, string> = {
  next: 'nextjs',
  nuxt: 'nuxtjs',
  sveltekit: 'sveltekit',
  astro: 'astro',
  remix: 'remix',
  'react-router': 'react-router',
  vite: 'vite',
  docusaurus: 'docusaurus-2',
  gatsby: 'gatsby',
  cra: 'create-react-app',
  angular: 'angular',
  'vue-cli': 'vue',
  eleventy: 'eleventy',
  vitepress: 'vitepress',
};

/**
 * Vercel's or Netlify's view: the service it hosts (the named one, else the first it can host),
 * its build, output and environments. `configName` is the platform's config file (vercel.json).
 */
export function hostView(
  { config, project }: { config: DeployKitConfig; project: ProjectView },
  type: 'vercel' | 'netlify',
  cli: string,
  configName: string,
): HostView | null {
  const picked = deployed({ config, project }, type, isHostable);
  if (!picked) return null;
  const { target, s, service } = picked;
  const envs = branchEnvironments(config, (key, branch) => environmentBase(key, branch, key));
  const staticSite = isStaticSite(s);
  const root = service.dir || '.';
  return {
    source: s,
    service,
    root,
    configFile: root === '.' ? configName : `${root}/${configName}`,
    staticSite,
    outputDir: service.outputDir || '.',
    spa: service.nginx?.spa ?? false,
    cli,
    cliPackage: cli.replace(/^npx --yes /, ''),
    artifactRoot: root === '.' ? '' : `${root}/`,
    ...envs,
    prComments: target.prComments ?? true,
    domain: target.type === 'vercel' ? target.domain : null,
    build: s.stack === 'node' ? (s.build ?? null) : null,
    framework: s.webFramework ? (VERCEL_FRAMEWORK[s.webFramework] ?? null) : null,
    install: service.installAll,
    headers: SECURITY_HEADERS,
    projectSettings: { framework: s.webFramework ? (VERCEL_FRAMEWORK[s.webFramework] ?? null) : null, rootDirectory: root === '.' ? null : root },
    verifyPath: staticSite ? '/' : (service.healthPath ?? '/'),
  };
}

/** Vercel's and Netlify's shared refusal: a long-running server, which neither platform runs. */
export function hostRefusals(config: DeployKitConfig, view: HostView | null, type: 'vercel' | 'netlify'): string[] {
  const problems = commonProblems(config, type);
  if (view) problems.push(...bunSiteProblems(config, type, view.source));
  if (view && !isHostable(view.source)) {
    problems.push(
      `${where(config, type)}: service ${describe(view.source)} is a long-running server, which ${type === 'vercel' ? 'Vercel' : 'Netlify'} does not run. ` +
        'This target takes a static site or a Next.js, Nuxt, SvelteKit, Astro, Remix or React Router app; deploy servers with fly, kubernetes or vps.',
    );
  }
  return problems;
}
