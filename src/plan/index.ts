import type { DeployKitConfig } from '../config/types.js';
import { configProblems, generators as allGenerators, type Generator } from '../../generators/index.js';
import { formatOutput } from './format.js';
import { createRenderer, type TemplateSource } from './render.js';
import { projectView } from './view.js';

export interface PlannedFile {
  /** Repo-relative path with forward slashes. */
  path: string;
  /** The generator that owns the file. */
  generator: string;
  content: string;
}

export interface PlanInput {
  config: DeployKitConfig;
  templates: TemplateSource;
  partials: Record<string, string>;
  generators?: readonly Generator[];
}

/**
 * Renders the whole kit in memory: a pure function of the config and the templates.
 *
 * @example
 *   const files = await planKit({ config, templates: loadTemplate, partials });
 *   files.map((f) => f.path) // ['Dockerfile', '.dockerignore', 'compose.yaml', ...]
 */
export async function planKit(input: PlanInput): Promise<PlannedFile[]> {
  const problems = configProblems(input.config, input.generators ?? allGenerators);
  if (problems.length > 0) throw new Error(refusal(problems));
  const render = createRenderer(input.templates, input.partials);
  const base = projectView(input.config);
  const out: PlannedFile[] = [];
  const seen = new Map<string, string>();
  for (const gen of input.generators ?? allGenerators) {
    if (!gen.when(input.config)) continue;
    for (const action of gen.actions(input.config)) {
      const owner = seen.get(action.path);
      if (owner) throw new Error(`generators ${owner} and ${gen.name} both write ${action.path}`);
      seen.set(action.path, gen.name);
      const serviceName = action.data?.serviceName;
      const service = serviceName ? (base.services.find((s) => s.name === serviceName) ?? null) : null;
      const data = { ...base, service, ...action.data, generator: gen.name, path: action.path };
      const text = render(action.templateFile, data);
      out.push({ path: action.path, generator: gen.name, content: await formatOutput(action.path, text) });
    }
  }
  return out;
}

/** The message for a config the generators refuse (see Generator.check). */
export function refusal(problems: string[]): string {
  return `deploy-kit.yaml asks for what deploy-kit cannot generate:\n${problems.map((p) => `  ${p}`).join('\n')}\nNothing was written.`;
}

export { configProblems } from '../../generators/index.js';
export { projectView } from './view.js';
export type { TemplateSource } from './render.js';
