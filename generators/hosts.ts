import type { DeployKitConfig } from '../src/config/types.js';
import { isHostable } from '../src/plan/platforms.js';
import { commonProblems, describe, targetOf, where } from './platform.js';

/** Vercel's and Netlify's shared refusal: a long-running server, which neither platform runs. */
export function hostProblems(config: DeployKitConfig, type: 'vercel' | 'netlify'): string[] {
  const problems = commonProblems(config, type);
  const target = targetOf(config, type);
  if (!target) return problems;
  const service = target.service ? config.services.find((s) => s.name === target.service) : (config.services.find(isHostable) ?? config.services[0]);
  if (service && !isHostable(service)) {
    problems.push(
      `${where(config, type)}: service ${describe(service)} is a long-running server, which ${type === 'vercel' ? 'Vercel' : 'Netlify'} does not run. ` +
        'This target takes a static site or a Next.js, Nuxt, SvelteKit, Astro, Remix or React Router app; deploy servers with fly, kubernetes or vps.',
    );
  }
  return problems;
}
