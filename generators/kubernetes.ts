import { projectView } from '../src/plan/view.js';
import { commonProblems, targetOf, where } from './platform.js';
import type { AddAction, Generator } from './types.js';

/** The base's resources, one file each. */
const BASE = ['deployment.yaml', 'service.yaml', 'ingress.yaml', 'hpa.yaml', 'pdb.yaml'];

/**
 * Kubernetes: a kustomize base and one overlay per environment, a workflow that builds, pushes
 * and applies (or, with gitops: argocd, commits the image tag), and the Argo CD Applications.
 */
export const kubernetes: Generator = {
  name: 'kubernetes',
  description: 'Kubernetes: kustomize base and overlays (Deployment, Service, Ingress, HPA, PDB) and a deploy workflow',
  when: (config) => config.targets.some((t) => t.type === 'kubernetes'),
  check: (config) => {
    const problems = commonProblems(config, 'kubernetes');
    const target = targetOf(config, 'kubernetes');
    if (!target) return problems;
    const at = where(config, 'kubernetes');
    if (target.gitops === 'argocd') {
      if (!target.repoUrl) problems.push(`${at}: gitops: argocd needs repoUrl, the git URL Argo CD syncs the overlays from (e.g. https://github.com/acme/shop.git)`);
      if (!target.imageRepository) problems.push(`${at}: gitops: argocd needs imageRepository (e.g. ghcr.io/acme/shop): the overlays Argo CD applies must name the image in full`);
    }
    if (config.branches.staging) {
      const prod = target.namespace ?? config.name;
      const staging = target.stagingNamespace ?? `${config.name}-staging`;
      if (prod === staging) problems.push(`${at}: namespace and stagingNamespace are both "${prod}"; staging would replace production`);
    }
    return problems;
  },
  actions: (config) => {
    const view = projectView(config).targets.kubernetes;
    if (!view) return [];
    const actions: AddAction[] = [
      { type: 'add', path: '.github/workflows/kubernetes.yml', templateFile: 'kubernetes/.github/workflows/kubernetes.yml.hbs' },
      { type: 'add', path: 'deploy/kubernetes/base/kustomization.yaml', templateFile: 'kubernetes/deploy/kubernetes/base/kustomization.yaml.hbs' },
      ...BASE.map((f): AddAction => ({ type: 'add', path: `deploy/kubernetes/base/${f}`, templateFile: `kubernetes/deploy/kubernetes/base/${f}.hbs` })),
    ];
    for (const env of view.environments) {
      actions.push({ type: 'add', path: `${env.overlay}/kustomization.yaml`, templateFile: 'kubernetes/deploy/kubernetes/overlays/kustomization.yaml.hbs', data: { k8sEnvKey: env.key } });
      if (view.argocd) {
        actions.push({ type: 'add', path: `deploy/kubernetes/argocd/${env.key}.yaml`, templateFile: 'kubernetes/deploy/kubernetes/argocd/application.yaml.hbs', data: { k8sEnvKey: env.key } });
      }
    }
    return actions;
  },
};
