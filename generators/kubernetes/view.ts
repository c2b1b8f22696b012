import type { DeployKitConfig } from '../../src/config/types.js';
import type { ProjectView } from '../../src/view/project.js';
import type { ServiceView } from '../../src/view/service.js';
import { CLI_TOOLS } from '../../src/versions.js';
import { deployed, branchEnvironments, environmentBase, type EnvironmentView, type Environments } from '../shared/target.js';

export interface KubernetesEnvironmentView extends EnvironmentView {
  namespace: string;
  domain: string;
  url: string;
  /** HPA bounds. */
  minReplicas: number;
  maxReplicas: number;
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
  /** Repo path of the overlay. */
  overlay: string;
  /** Tag the overlay names until CI pins a commit (the branch tag CI pushes). */
  tag: string;
}

export interface KubernetesView extends Environments<KubernetesEnvironmentView> {
  service: ServiceView;
  /** Resource name (Deployment, Service, Ingress, HPA, PDB). */
  app: string;
  /** The image name in the base, which the overlays (and CI) point at the registry. */
  image: string;
  imageRepository: string | null;
  ingressClassName: string;
  /** The label the ingress controller's pods carry, which the NetworkPolicy lets reach the app. */
  ingressControllerLabel: { key: string; value: string };
  clusterIssuer: string | null;
  tlsSecret: string;
  /** runAsUser / runAsGroup of the image's user (numeric, so runAsNonRoot can be verified). */
  uid: number;
  gid: number;
  /** emptyDir mounts for what the app writes on a read-only root filesystem. */
  writable: { name: string; path: string }[];
  /** gitops: argocd — Applications sync the overlays; CI only commits the image tag. */
  argocd: boolean;
  repoUrl: string | null;
  kubectlVersion: string;
}

/** uid:gid each runtime's image runs as (node: the official images' `node`; python: the kit's `app`). */
function imageUser(service: ServiceView): [number, number] {
  const [uid = 1000, gid = uid] = service.user.split(':').map(Number);
  return [uid, gid];
}

export function kubernetesView({ config, project }: { config: DeployKitConfig; project: ProjectView }): KubernetesView | null {
  const picked = deployed({ config, project }, 'kubernetes');
  if (!picked) return null;
  const { target, service } = picked;
  const replicas = target.replicas ?? 2;
  const maxReplicas = Math.max(target.maxReplicas ?? 6, replicas);
  const stagingReplicas = target.stagingReplicas ?? 1;
  const env = (key: 'production' | 'staging', branch: string): KubernetesEnvironmentView => {
    const staging = key === 'staging';
    const domain = staging ? (target.stagingDomain ?? `staging.${target.domain}`) : target.domain;
    return {
      ...environmentBase(key, branch, `deploy-${key}`),
      namespace: staging ? (target.stagingNamespace ?? `${config.name}-staging`) : (target.namespace ?? config.name),
      domain,
      url: `https://${domain}`,
      minReplicas: staging ? stagingReplicas : replicas,
      maxReplicas: staging ? Math.max(stagingReplicas, Math.ceil(maxReplicas / 2)) : maxReplicas,
      requests: staging ? { cpu: '50m', memory: '128Mi' } : { cpu: '250m', memory: '256Mi' },
      limits: staging ? { cpu: '500m', memory: '256Mi' } : { cpu: '1', memory: '512Mi' },
      overlay: `deploy/kubernetes/overlays/${key}`,
      tag: branch.replace(/[^A-Za-z0-9_.-]/g, '-'),
    };
  };
  const envs = branchEnvironments(config, env);
  const [uid, gid] = imageUser(service);
  const writable = service.tmpfs.map((path, i) => ({ name: i === 0 ? 'tmp' : `writable-${i}`, path }));
  return {
    service,
    app: service.image,
    image: service.image,
    imageRepository: target.imageRepository ?? null,
    ingressClassName: target.ingressClassName ?? 'nginx',
    ingressControllerLabel: ingressControllerLabel(target.ingressClassName ?? 'nginx'),
    clusterIssuer: target.clusterIssuer ?? null,
    tlsSecret: `${service.image}-tls`,
    uid,
    gid,
    writable,
    argocd: target.gitops === 'argocd',
    repoUrl: target.repoUrl ?? null,
    ...envs,
    kubectlVersion: CLI_TOOLS.kubectl,
  };
}


/**
 * The pod label of the ingress controller an IngressClass usually belongs to, as its Helm chart
 * (and k3s's bundled Traefik) sets it: ingress-nginx for nginx, the class name otherwise.
 */
function ingressControllerLabel(ingressClassName: string): { key: string; value: string } {
  return { key: 'app.kubernetes.io/name', value: ingressClassName === 'nginx' ? 'ingress-nginx' : ingressClassName };
}
