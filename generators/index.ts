import { compose } from './compose/index.js';
import { docker } from './docker.js';
import { envExample } from './env.js';
import { fly } from './fly/index.js';
import { githubCi } from './github-ci.js';
import { githubPages } from './github-pages/index.js';
import { gitlabCi } from './gitlab-ci.js';
import { hfSpaces } from './hf-spaces/index.js';
import { kubernetes } from './kubernetes/index.js';
import { netlify } from './netlify/index.js';
import { runbook } from './runbook.js';
import type { AnyGenerator } from './types.js';
import { vercel } from './vercel/index.js';
import { vps } from './vps/index.js';

export type { AddAction, AnyGenerator, RunbookSlot } from './types.js';

/**
 * Every generator, in the order their files are listed to the user (and their runbook entries
 * appear in DEPLOY.md). A new target adds one line here.
 */
export const generators: readonly AnyGenerator[] = [
  docker,
  compose,
  githubCi,
  gitlabCi,
  vps,
  hfSpaces,
  githubPages,
  vercel,
  netlify,
  fly,
  kubernetes,
  envExample,
  runbook,
];
