import { projectView } from '../src/plan/view.js';
import type { AddAction, Generator } from './types.js';

/**
 * The VPS target: a Docker host over SSH behind nginx. Per environment (production, plus staging
 * when branches.staging is set) an nginx site and a systemd unit; once, the host scripts
 * (blue-green deploy, rollback, verify), the GitHub deploy workflow when CI is GitHub (GitLab's
 * pipeline is the gitlab-ci generator's), and Prometheus config when monitoring is on.
 */
export const vps: Generator = {
  name: 'vps',
  description: 'VPS over SSH: deploy workflow, nginx site, blue-green deploy/rollback/verify scripts, systemd unit, monitoring',
  when: (config) => config.targets.some((t) => t.type === 'vps'),
  actions: (config) => {
    const view = projectView(config).targets.vps;
    if (!view) return [];
    const actions: AddAction[] = [];
    if (config.ci.provider === 'github') {
      actions.push({ type: 'add', path: '.github/workflows/deploy.yml', templateFile: 'vps/.github/workflows/deploy.yml.hbs' });
    }
    for (const env of view.environments) {
      actions.push({ type: 'add', path: env.siteFile, templateFile: 'vps/deploy/nginx/site.conf.hbs', data: { vpsEnvKey: env.key } });
    }
    for (const script of ['lib.sh', 'deploy.sh', 'rollback.sh', 'verify.sh']) {
      actions.push({ type: 'add', path: `deploy/scripts/${script}`, templateFile: `vps/deploy/scripts/${script}.hbs` });
    }
    for (const env of view.environments) {
      actions.push({ type: 'add', path: `deploy/systemd/${env.app}@.service`, templateFile: 'vps/deploy/systemd/app@.service.hbs', data: { vpsEnvKey: env.key } });
    }
    if (view.monitoring) {
      actions.push({ type: 'add', path: 'deploy/monitoring/prometheus.yml', templateFile: 'vps/deploy/monitoring/prometheus.yml.hbs' });
      actions.push({ type: 'add', path: 'deploy/monitoring/alerts.yml', templateFile: 'vps/deploy/monitoring/alerts.yml.hbs' });
    }
    return actions;
  },
};
