import { targetOf } from '../../src/view/targets.js';
import { commonProblems, where } from '../shared/target.js';
import type { AddAction, Generator } from '../types.js';
import { kubernetesView, type KubernetesView } from './view.js';

/** The base's resources, one file each. */
const BASE = ['deployment.yaml', 'service.yaml', 'ingress.yaml', 'hpa.yaml', 'pdb.yaml', 'networkpolicy.yaml'];

/**
 * Kubernetes: a kustomize base and one overlay per environment, a workflow that builds, pushes
 * and applies (or, with gitops: argocd, commits the image tag), and the Argo CD Applications.
 */
export const kubernetes: Generator<KubernetesView> = {
  name: 'kubernetes',
  description: 'Kubernetes: kustomize base and overlays (Deployment, Service, Ingress, HPA, PDB) and a deploy workflow',
  viewKey: 'kubernetes',
  when: (config) => config.targets.some((t) => t.type === 'kubernetes'),
  view: kubernetesView,
  refusals: ({ config, view }) => {
    const problems = commonProblems(config, 'kubernetes');
    const target = targetOf(config, 'kubernetes');
    if (!target) return problems;
    const at = where(config, 'kubernetes');
    if (target.gitops === 'argocd') {
      if (!target.repoUrl) {
        problems.push(`${at}: gitops: argocd needs repoUrl, the git URL Argo CD syncs the overlays from (e.g. https://github.com/acme/shop.git)`);
      }
      if (!target.imageRepository) {
        problems.push(`${at}: gitops: argocd needs imageRepository (e.g. ghcr.io/acme/shop): the overlays Argo CD applies must name the image in full`);
      }
    }
    const prod = view?.production.namespace;
    if (prod !== undefined && prod === view?.staging?.namespace) {
      problems.push(`${at}: namespace and stagingNamespace are both "${prod}"; staging would replace production`);
    }
    return problems;
  },
  actions: ({ view }) => {
    const actions: AddAction[] = [
      { type: 'add', path: '.github/workflows/kubernetes.yml', templateFile: 'kubernetes/.github/workflows/kubernetes.yml.hbs' },
      { type: 'add', path: 'deploy/kubernetes/base/kustomization.yaml', templateFile: 'kubernetes/deploy/kubernetes/base/kustomization.yaml.hbs' },
      ...BASE.map((f): AddAction => ({ type: 'add', path: `deploy/kubernetes/base/${f}`, templateFile: `kubernetes/deploy/kubernetes/base/${f}.hbs` })),
    ];
    for (const env of view.environments) {
      const data = { k8sEnvKey: env.key };
      const overlay = 'kubernetes/deploy/kubernetes/overlays/kustomization.yaml.hbs';
      actions.push({ type: 'add', path: `${env.overlay}/kustomization.yaml`, templateFile: overlay, data });
      if (view.argocd) {
        const application = 'kubernetes/deploy/kubernetes/argocd/application.yaml.hbs';
        actions.push({ type: 'add', path: `deploy/kubernetes/argocd/${env.key}.yaml`, templateFile: application, data });
      }
    }
    if (view.argocd) {
      actions.push({ type: 'add', path: 'deploy/kubernetes/argocd/project.yaml', templateFile: 'kubernetes/deploy/kubernetes/argocd/project.yaml.hbs' });
    }
    return actions;
  },
  runbook: ['pipeline', 'files', 'secretRows', 'secretNotes', 'sections'],
};
