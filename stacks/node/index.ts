/** The Node stack: servers (Express & co), SSR frameworks, and sites built to static files (served by nginx). */
import { nginxProbe } from '../nginx.js';
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { nodeConfig, nodeDeployable, nodeLanguageVersion, nodeQuestions } from './config.js';
import { builtIntoWarning, detectNode } from './detect.js';
import { clientAppNote, delegatesStartNote } from './not-services.js';
import type { NodeFacts } from './types.js';
import { nodeProbe, nodeView } from './view.js';

export const node: Stack<NodeFacts> = {
  id: 'node',
  manifests: ['package.json'],
  detect: (root, path) => detectNode(root, path),
  // A package bun installs is said by the Bun stack.
  notDeployed: (facts) => {
    if (facts.packageManager.value === 'bun') return undefined;
    if (facts.builtInto) return builtIntoWarning(facts.path, facts.builtInto);
    if (facts.clientApp) return clientAppNote(facts.path, facts.clientApp);
    if (facts.delegatesStart) return delegatesStartNote(facts.path, facts.delegatesStart);
    return facts.unbuilt?.value;
  },
  deployable: nodeDeployable,
  kindOf: (facts) => facts.kind?.value,
  questions: nodeQuestions,
  languageVersion: nodeLanguageVersion,
  toConfig: (facts, base, answers) => nodeConfig(facts, base, answers),
  runtime: (s) => (s.kind === 'static' ? 'nginx' : 'node'),
  probe: (s) => (s.kind === 'static' ? nginxProbe(s) : nodeProbe(s)),
  view: nodeView,
  // One Dockerfile per kind: a server, an SSR framework's server, a site nginx serves.
  dockerfile: (s) => stackTemplate('node', s.kind && s.kind !== 'server' ? `${s.kind}.Dockerfile.hbs` : 'Dockerfile.hbs'),
};
