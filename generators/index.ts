import type { DeployKitConfig } from '../src/config/types.js';
import { compose } from './compose.js';
import { docker } from './docker.js';
import { envExample } from './env.js';
import { fly } from './fly.js';
import { githubCi } from './github-ci.js';
import { githubPages } from './github-pages.js';
import { gitlabCi } from './gitlab-ci.js';
import { hfSpaces } from './hf-spaces.js';
import { kubernetes } from './kubernetes.js';
import { netlify } from './netlify.js';
import { runbook } from './runbook.js';
import type { Generator } from './types.js';
import { vercel } from './vercel.js';
import { vps } from './vps.js';

export type { AddAction, Generator } from './types.js';

/** Every generator, in the order their files are listed to the user. A new target adds one here. */
export const generators: readonly Generator[] = [docker, compose, githubCi, gitlabCi, vps, hfSpaces, githubPages, vercel, netlify, fly, kubernetes, envExample, runbook];

/**
 * Everything the config asks for that the generators cannot render (a Pages target for a server,
 * a GitHub-only target under GitLab CI, ...): every problem of every applicable generator, in
 * one list. Empty when the kit can be planned.
 *
 * @example
 *   const problems = configProblems(config);
 *   if (problems.length) throw new Error(problems.join('\n'));
 */
export function configProblems(config: DeployKitConfig, list: readonly Generator[] = generators): string[] {
  return list.flatMap((g) => (g.when(config) && g.check ? g.check(config) : []));
}
