import { projectView } from '../src/plan/view.js';
import { commonProblems, targetOf, where } from './platform.js';
import type { Generator } from './types.js';

/** Fly.io: fly.toml at the root of the image's build context and a flyctl deploy workflow. */
export const fly: Generator = {
  name: 'fly',
  description: 'Fly.io: fly.toml (HTTP service, health checks, deploy strategy, auto stop/start) and a flyctl workflow',
  when: (config) => config.targets.some((t) => t.type === 'fly'),
  check: (config) => {
    const problems = commonProblems(config, 'fly');
    const target = targetOf(config, 'fly');
    if (target && config.branches.staging && target.stagingApp === target.app) {
      problems.push(`${where(config, 'fly')}: stagingApp must differ from app ("${target.app}"), or staging deploys would replace production`);
    }
    return problems;
  },
  actions: (config) => {
    const view = projectView(config).targets.fly;
    if (!view) return [];
    return [
      { type: 'add', path: view.configFile, templateFile: 'fly/fly.toml.hbs' },
      { type: 'add', path: '.github/workflows/fly.yml', templateFile: 'fly/.github/workflows/fly.yml.hbs' },
    ];
  },
};
