import type { DeployKitConfig } from '../../src/config/types.js';
import type { ProjectView } from '../../src/view/project.js';
import type { ServiceView } from '../../src/view/service.js';
import { ACTIONS } from '../../src/versions.js';
import { deployed, branchEnvironments, environmentBase, type EnvironmentView, type Environments } from '../shared/target.js';

export interface FlyEnvironmentView extends EnvironmentView {
  app: string;
  url: string;
}

export interface FlyView extends Environments<FlyEnvironmentView> {
  service: ServiceView;
  /** Repo path of fly.toml: the root of the image's build context. */
  configFile: string;
  /** Directory flyctl deploys from (the build context). */
  context: string;
  /** The Dockerfile, relative to the context. */
  dockerfile: string;
  /** Ignore file relative to the context, when it is not the context's .dockerignore. */
  ignorefile: string | null;
  app: string;
  primaryRegion: string;
  strategy: 'rolling' | 'bluegreen';
  minMachinesRunning: number;
  autoStop: boolean;
  memoryMb: number;
  /** The pinned setup-flyctl action (a sub-action of superfly/flyctl-actions). */
  setupFlyctl: string;
}

export function flyView({ config, project }: { config: DeployKitConfig; project: ProjectView }): FlyView | null {
  const picked = deployed({ config, project }, 'fly');
  if (!picked) return null;
  const { target, service } = picked;
  const contextDir = service.context === '.' ? '' : service.context.replace(/^\.\//, '');
  const envs = branchEnvironments(config, (key, branch): FlyEnvironmentView => {
    const app = key === 'staging' ? (target.stagingApp ?? `${target.app}-staging`) : target.app;
    return { ...environmentBase(key, branch, `deploy-${key}`), app, url: `https://${app}.fly.dev` };
  });
  return {
    service,
    configFile: contextDir ? `${contextDir}/fly.toml` : 'fly.toml',
    context: contextDir || '.',
    dockerfile: `${service.inContext}Dockerfile`,
    ignorefile: service.workspace ? `${service.inContext}Dockerfile.dockerignore` : null,
    app: target.app,
    primaryRegion: target.primaryRegion ?? 'iad',
    strategy: target.strategy ?? 'rolling',
    minMachinesRunning: target.minMachinesRunning ?? 1,
    autoStop: target.autoStop ?? true,
    memoryMb: target.memoryMb ?? 512,
    ...envs,
    setupFlyctl: `superfly/flyctl-actions/setup-flyctl@${ACTIONS['superfly/flyctl-actions'].sha} # ${ACTIONS['superfly/flyctl-actions'].version}`,
  };
}

