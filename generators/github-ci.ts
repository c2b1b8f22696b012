import type { DeployKitConfig, TargetConfig } from '../src/config/types.js';
import type { ProjectView } from '../src/view/project.js';
import { CLI_TOOLS, NODE_LTS_MAJOR } from '../src/versions.js';
import type { Generator } from './types.js';

/**
 * Targets whose deploy workflow runs ci.yml as its first job (`uses: ./.github/workflows/ci.yml`),
 * so nothing deploys unless every service's tests and image smoke test pass on that commit; with
 * the branches each one runs on for a push.
 */
const GATED_BY_CI: Partial<Record<TargetConfig['type'], 'all' | 'production'>> = {
  vps: 'all',
  vercel: 'all',
  netlify: 'all',
  fly: 'all',
  'hf-spaces': 'production',
  'github-pages': 'production',
  kubernetes: 'all',
};

export interface GithubCiView {
  /**
   * Branches ci.yml runs on for a push: every branch the kit knows, except those whose pushes a
   * deploy workflow already runs CI for (the same tests twice would only race each other).
   */
  pushBranches: string[];
  /** The branches whose pushes run CI from a deploy workflow. */
  gatedBranches: string[];
  /** Some service has a test job (a static site without a build has none). */
  hasTests: boolean;
  /** The drift check, at the version that wrote the kit: `npx --yes create-deploy-kit@<version> check`. */
  checkCommand: string;
  /** Node.js major the drift check runs on. */
  nodeVersion: string;
  /** The app's own package ecosystems for Dependabot, one per manifest directory. */
  appEcosystems: { ecosystem: string; directory: string }[];
  /** Scan each image CI builds for fixable critical vulnerabilities (`ci.imageScan`, default on). */
  imageScan: boolean;
  /** Command-line tools the workflows pin where Dependabot cannot see them: bumped by hand. */
  manualPins: { tool: string; pin: string; file: string }[];
}

/**
 * Dependabot's package-ecosystem for a service's stack and package manager (npm covers yarn and
 * pnpm; pip covers Poetry and Pipenv). Deno has none: its dependencies are not updated by Dependabot.
 */
function ecosystemOf(stack: string, packageManager: string | null | undefined): string | null {
  if (stack === 'node') return 'npm';
  if (stack === 'bun') return 'bun';
  if (stack === 'go') return 'gomod';
  if (stack === 'rust') return 'cargo';
  if (stack === 'ruby') return 'bundler';
  if (stack === 'java') return packageManager === 'gradle' ? 'gradle' : 'maven';
  if (stack === 'dotnet') return 'nuget';
  if (stack === 'php') return 'composer';
  if (stack === 'elixir') return 'mix';
  if (stack === 'python') return packageManager === 'uv' ? 'uv' : 'pip';
  return null;
}

function appEcosystems(config: DeployKitConfig, project: ProjectView): GithubCiView['appEcosystems'] {
  const seen = new Map<string, { ecosystem: string; directory: string }>();
  config.services.forEach((s, i) => {
    const ecosystem = ecosystemOf(s.stack, s.packageManager);
    const view = project.services[i];
    if (!ecosystem || !view) return;
    // The directory of the lockfile (a workspace's root) or of go.mod: where Dependabot reads the manifest.
    const manifestDir = view.lockfilePath ? view.lockfilePath.split('/').slice(0, -1).join('/') : view.dir;
    const directory = `/${manifestDir}`;
    seen.set(`${ecosystem} ${directory}`, { ecosystem, directory });
    // A PHP app's Vite build installs package.json in its image too: its npm packages are kept fresh as well.
    if (view.php?.assets) seen.set(`npm /${view.dir}`, { ecosystem: 'npm', directory: `/${view.dir}` });
  });
  return [...seen.values()];
}

function manualPins(config: DeployKitConfig): GithubCiView['manualPins'] {
  const pins: GithubCiView['manualPins'] = [];
  const has = (type: TargetConfig['type']) => config.targets.some((t) => t.type === type);
  if (has('vercel')) pins.push({ tool: 'Vercel CLI', pin: `vercel@${CLI_TOOLS.vercel}`, file: '.github/workflows/vercel.yml' });
  if (has('netlify')) pins.push({ tool: 'Netlify CLI', pin: `netlify-cli@${CLI_TOOLS.netlify}`, file: '.github/workflows/netlify.yml' });
  if (has('kubernetes')) pins.push({ tool: 'kubectl', pin: CLI_TOOLS.kubectl, file: '.github/workflows/kubernetes.yml' });
  if (has('fly')) pins.push({ tool: 'flyctl', pin: 'the newest release, installed by setup-flyctl at each run', file: '.github/workflows/fly.yml' });
  return pins;
}

/** `npx <package>@<version>` as a command that never stops to ask (CI has no terminal). */
export function checkCommand(cli: string): string {
  return `${cli.replace(/^npx /, 'npx --yes ')} check`;
}

function githubCiView(config: DeployKitConfig, project: ProjectView): GithubCiView {
  const all = config.branches.staging ? [config.branches.production, config.branches.staging] : [config.branches.production];
  const gated = new Set<string>();
  for (const target of config.targets) {
    const on = GATED_BY_CI[target.type];
    if (on === 'all') for (const b of all) gated.add(b);
    else if (on === 'production') gated.add(config.branches.production);
  }
  return {
    pushBranches: all.filter((b) => !gated.has(b)), gatedBranches: all.filter((b) => gated.has(b)), hasTests: project.services.some((s) => s.testJob),
    checkCommand: checkCommand(project.cli),
    nodeVersion: NODE_LTS_MAJOR,
    appEcosystems: appEcosystems(config, project),
    manualPins: manualPins(config),
    imageScan: config.ci.imageScan ?? true,
  };
}

/**
 * GitHub Actions CI (test, build and smoke-test each image; also called by every deploy workflow
 * as its first job) and Dependabot for the pins.
 */
export const githubCi: Generator<GithubCiView> = {
  name: 'github-ci',
  description: 'GitHub Actions CI workflow and Dependabot config',
  viewKey: 'githubCi',
  when: (config) => config.ci.provider === 'github',
  view: ({ config, project }) => githubCiView(config, project),
  actions: () => [
    { type: 'add', path: '.github/workflows/ci.yml', templateFile: 'github-ci/.github/workflows/ci.yml.hbs' },
    { type: 'add', path: '.github/dependabot.yml', templateFile: 'github-ci/.github/dependabot.yml.hbs' },
  ],
  runbook: ['pipeline', 'files', 'verify'],
};
