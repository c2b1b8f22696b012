import type { DeployKitConfig } from '../../src/config/types.js';
import type { ProjectView } from '../../src/view/project.js';
import type { ServiceView } from '../../src/view/service.js';
import { deployed, branchEnvironments, environmentBase, type EnvironmentView, type Environments } from '../shared/target.js';

/** One environment a VPS target deploys to (production, and staging when branches.staging is set). */
export interface VpsEnvironmentView extends EnvironmentView {
  /** The same test as a GitLab `rules: if:` expression. */
  gitlabIf: string;
  domain: string;
  url: string;
  appDir: string;
  /** Container names are `<app>-blue` / `<app>-green`. */
  app: string;
  bluePort: number;
  greenPort: number;
  /** nginx upstream name (letters, digits, underscores). */
  upstream: string;
  /** The file deploy.sh rewrites to switch colors (one `server` line per color). */
  upstreamFile: string;
  /** What the site config includes: the same path as a glob, so nginx loads before the first deploy wrote it. */
  upstreamInclude: string;
  /** Repo path of this environment's nginx site config. */
  siteFile: string;
  /** Environment variables for the host scripts, as `NAME=value` words for a remote command line. */
  scriptEnv: string;
  /** Prometheus file_sd file deploy.sh writes with the live color's address (monitoring only). */
  promTargetsFile: string;
  /** nginx limit_req zone (one per environment: zones are global to nginx). */
  rateZone: string;
}

export interface VpsView extends Environments<VpsEnvironmentView> {
  service: ServiceView;
  /** Image repository name (under ghcr.io/<owner>/ or the GitLab project's registry). */
  image: string;
  sshUser: string;
  /** Where host setup installs ssh-gate.sh (root-owned): the CI key's forced command. */
  gatePath: string;
  keepReleases: number;
  monitoring: boolean;
  rateLimit: { rate: number; burst: number } | null;
  /** verify.sh arguments after the URL: single-quoted `PATH=STATUS` words, the health path first. */
  verifyChecks: string;
  smokeTests: { path: string; status: number }[];
  /** The nginx site configs, production first. */
  siteFiles: string[];
  /** The bash pattern the CI key's gate allows images by: this repository's image, by digest, when `security.repository` names it. */
  imagePattern: string;
  /** `security.verifyImages`: the repository (`owner/name`) whose deploy workflow must have attested the image, else null. */
  verifyRepo: string | null;
}

/**
 * The VPS target with every default applied (the schema cannot apply defaults inside `oneOf`).
 * Staging exists when branches.staging is set; it gets its own domain, directory and ports
 * (+100) so both environments can share one host.
 */
export function vpsView({ config, project }: { config: DeployKitConfig; project: ProjectView }): VpsView | null {
  const picked = deployed({ config, project }, 'vps');
  if (!picked) return null;
  const { target, service } = picked;
  const appDir = target.appDir ?? `/srv/${config.name}`;
  const bluePort = target.bluePort ?? 8001;
  const greenPort = target.greenPort ?? 8002;
  const monitoring = target.monitoring ?? false;
  const verifyRepo = project.security.verifyImages && project.ci.github ? project.security.repository : null;
  const environment = (key: 'production' | 'staging', branch: string): VpsEnvironmentView => {
    const staging = key === 'staging';
    const app = staging ? `${config.name}-staging` : config.name;
    const dir = staging ? `${appDir}-staging` : appDir;
    const domain = staging ? (target.stagingDomain ?? `staging.${target.domain}`) : target.domain;
    const ports = staging ? { blue: bluePort + 100, green: greenPort + 100 } : { blue: bluePort, green: greenPort };
    const upstreamFile = `${dir}/nginx/upstream.conf`;
    const promTargetsFile = `${dir}/prometheus-targets.json`;
    const scriptEnv = [
      `APP_NAME=${app}`,
      `APP_DIR=${dir}`,
      `BLUE_PORT=${ports.blue}`,
      `GREEN_PORT=${ports.green}`,
      `NGINX_UPSTREAM_FILE=${upstreamFile}`,
      // Registry credentials per environment: two environments on one host never log each other out.
      `DOCKER_CONFIG=${dir}/.docker`,
      ...(monitoring ? [`PROMETHEUS_TARGETS_FILE=${promTargetsFile}`] : []),
      // From the gate's root-owned settings, so the key cannot turn the check off.
      ...(verifyRepo ? [`VERIFY_REPO=${verifyRepo}`] : []),
    ].join(' ');
    return {
      ...environmentBase(key, branch, `deploy-${key}`, staging ? (target.stagingEnvironment ?? 'staging') : (target.environment ?? 'production')),
      gitlabIf: `$CI_COMMIT_BRANCH == ${JSON.stringify(branch)}`,
      domain,
      url: `https://${domain}`,
      appDir: dir,
      app,
      bluePort: ports.blue,
      greenPort: ports.green,
      upstream: app.replace(/-/g, '_'),
      upstreamFile,
      upstreamInclude: `${dir}/nginx/upstream*.conf`,
      siteFile: `deploy/nginx/${app}.conf`,
      scriptEnv,
      promTargetsFile,
      rateZone: `${app.replace(/-/g, '_')}_per_ip`,
    };
  };
  const envs = branchEnvironments(config, environment);
  const smokeTests = (target.smokeTests ?? []).map((t) => ({ path: t.path, status: t.status ?? 200 }));
  const rate = target.rateLimit ?? null;
  return {
    service,
    image: service.image,
    ...envs,
    sshUser: target.sshUser ?? 'deploy',
    gatePath: `/usr/local/sbin/${config.name}-ssh-gate`,
    keepReleases: target.keepReleases ?? 5,
    monitoring,
    rateLimit: rate === null ? null : { rate, burst: rate * 2 },
    verifyChecks: [`${service.healthPath}=200`, ...smokeTests.map((t) => `${t.path}=${t.status}`)].map((w) => `'${w}'`).join(' '),
    smokeTests,
    siteFiles: envs.environments.map((e) => e.siteFile),
    imagePattern: project.ci.github && project.security.owner ? `ghcr.io/${project.security.owner}/${service.image}@sha256:*` : '*',
    verifyRepo,
  };
}
