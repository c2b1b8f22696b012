import { targetOf } from '../../src/view/targets.js';
import { commonProblems, where } from '../shared/target.js';
import type { Generator } from '../types.js';
import { flyView, type FlyView } from './view.js';

/** Fly.io: fly.toml at the root of the image's build context and a flyctl deploy workflow. */
export const fly: Generator<FlyView> = {
  name: 'fly',
  description: 'Fly.io: fly.toml (HTTP service, health checks, deploy strategy, auto stop/start) and a flyctl workflow',
  viewKey: 'fly',
  when: (config) => config.targets.some((t) => t.type === 'fly'),
  view: flyView,
  refusals: ({ config }) => {
    const problems = commonProblems(config, 'fly');
    const target = targetOf(config, 'fly');
    if (target && config.branches.staging && target.stagingApp === target.app) {
      problems.push(`${where(config, 'fly')}: stagingApp must differ from app ("${target.app}"), or staging deploys would replace production`);
    }
    return problems;
  },
  actions: ({ view }) => [
    { type: 'add', path: view.configFile, templateFile: 'fly/fly.toml.hbs' },
    { type: 'add', path: '.github/workflows/fly.yml', templateFile: 'fly/.github/workflows/fly.yml.hbs' },
  ],
  runbook: ['pipeline', 'files', 'secretRows', 'sections'],
};
