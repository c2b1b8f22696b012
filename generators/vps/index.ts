import { targetOf } from '../../src/view/targets.js';
import { commonProblems, where } from '../shared/target.js';
import type { AddAction, Generator } from '../types.js';
import { vpsView, type VpsView } from './view.js';

/**
 * The VPS target: a Docker host over SSH behind nginx. Per environment (production, plus staging
 * when branches.staging is set) an nginx site and a systemd unit; once, the host scripts
 * (blue-green deploy, rollback, verify), the GitHub deploy workflow when CI is GitHub (GitLab's
 * pipeline is the gitlab-ci generator's), and Prometheus config when monitoring is on.
 */
export const vps: Generator<VpsView> = {
  name: 'vps',
  description: 'VPS over SSH: deploy workflow, nginx site, blue-green deploy/rollback/verify scripts, systemd unit, monitoring',
  viewKey: 'vps',
  when: (config) => config.targets.some((t) => t.type === 'vps'),
  view: vpsView,
  refusals: ({ config }) => {
    const problems = commonProblems(config, 'vps');
    const target = targetOf(config, 'vps');
    const blue = target?.bluePort ?? 8001;
    const green = target?.greenPort ?? 8002;
    if (blue === green) {
      problems.push(
        `${where(config, 'vps')}: bluePort and greenPort are both ${blue}; the two colors need ports of their own (e.g. bluePort: 8001, greenPort: 8002)`,
      );
    }
    const security = config.security;
    if (security?.verifyImages && config.ci.provider === 'github' && !security.repository) {
      problems.push(
        'security.verifyImages: the VPS host checks that the image was attested by your repository\'s deploy workflow, ' +
          'so it needs its name: set security.repository to owner/name (e.g. acme/shop)',
      );
    }
    return problems;
  },
  actions: ({ config, view }) => {
    const actions: AddAction[] = [];
    if (config.ci.provider === 'github') {
      actions.push({ type: 'add', path: '.github/workflows/deploy.yml', templateFile: 'vps/.github/workflows/deploy.yml.hbs' });
    }
    // The host's catch-all (default_server on 80 and 443): once, whatever the environments.
    actions.push({ type: 'add', path: 'deploy/nginx/00-default.conf', templateFile: 'vps/deploy/nginx/00-default.conf.hbs' });
    for (const env of view.environments) {
      actions.push({ type: 'add', path: env.siteFile, templateFile: 'vps/deploy/nginx/site.conf.hbs', data: { vpsEnvKey: env.key } });
    }
    // lib.sh is the same in every kit (copied, not rendered); settings.sh holds this kit's values.
    actions.push({ type: 'add', path: 'deploy/scripts/lib.sh', templateFile: 'vps/deploy/scripts/lib.sh' });
    // The CI key's forced command likewise: the gate copied, its settings (ssh-gate.conf) rendered.
    actions.push({ type: 'add', path: 'deploy/scripts/ssh-gate.sh', templateFile: 'vps/deploy/scripts/ssh-gate.sh' });
    actions.push({ type: 'add', path: 'deploy/scripts/ssh-gate.conf', templateFile: 'vps/deploy/scripts/ssh-gate.conf.hbs' });
    // rollback.sh too: everything it needs comes from lib.sh and settings.sh.
    actions.push({ type: 'add', path: 'deploy/scripts/rollback.sh', templateFile: 'vps/deploy/scripts/rollback.sh' });
    for (const script of ['settings.sh', 'deploy.sh', 'verify.sh']) {
      actions.push({ type: 'add', path: `deploy/scripts/${script}`, templateFile: `vps/deploy/scripts/${script}.hbs` });
    }
    for (const env of view.environments) {
      const data = { vpsEnvKey: env.key };
      actions.push({ type: 'add', path: `deploy/systemd/${env.app}@.service`, templateFile: 'vps/deploy/systemd/app@.service.hbs', data });
    }
    if (view.monitoring) {
      actions.push({ type: 'add', path: 'deploy/monitoring/prometheus.yml', templateFile: 'vps/deploy/monitoring/prometheus.yml.hbs' });
      actions.push({ type: 'add', path: 'deploy/monitoring/alerts.yml', templateFile: 'vps/deploy/monitoring/alerts.yml.hbs' });
    }
    return actions;
  },
  runbook: ['pipeline', 'files', 'secrets', 'firstDeploy', 'migrations', 'verify', 'rollback', 'troubleshooting'],
};
