import { compose } from './compose.js';
import { docker } from './docker.js';
import { envExample } from './env.js';
import { githubCi } from './github-ci.js';
import { gitlabCi } from './gitlab-ci.js';
import { runbook } from './runbook.js';
import type { Generator } from './types.js';
import { vps } from './vps.js';

export type { AddAction, Generator } from './types.js';

/** Every generator, in the order their files are listed to the user. A new target adds one here. */
export const generators: readonly Generator[] = [docker, compose, githubCi, gitlabCi, vps, envExample, runbook];
