import type { DeployKitConfig } from '../config/types.js';
import { RefusalError } from '../errors.js';
import { projectView, type ProjectView } from '../view/project.js';
import type { ServiceView } from '../view/service.js';
import { generators as allGenerators, type AddAction, type AnyGenerator, type RunbookSlot } from '../../generators/index.js';
import { formatOutput } from './format.js';
import type { KitTemplates } from './render.js';

export interface PlannedFile {
  /** Repo-relative path with forward slashes. */
  path: string;
  /** The generator that owns the file. */
  generator: string;
  content: string;
  /** The template it is a copy of, for files copied as they are (no `.hbs`); absent for rendered files. */
  copiedFrom?: string;
}

export interface PlanInput {
  config: DeployKitConfig;
  /** The templates: kitTemplates() (precompiled in the bundle), or sourceKit() over sources a test may change. */
  kit: KitTemplates;
  generators?: readonly AnyGenerator[];
}

/** One runbook entry: the partial a generator owns for a slot, and the key of the view it renders with. */
interface RunbookEntry {
  partial: string;
  key: string | null;
}

/** Everything a template may read: the project view, every target's view and the runbook's entries. */
export interface TemplateData extends ProjectView {
  /** Each generator's view under its viewKey; null for generators the config does not use. */
  targets: Record<string, unknown>;
  runbook: Record<RunbookSlot, RunbookEntry[]> & { githubSecrets: boolean };
  /** The service a file is for (Dockerfiles), else null. */
  service: ServiceView | null;
}

/** A generator the config uses, with the view it was given. */
interface Active {
  gen: AnyGenerator;
  view: unknown;
}

const SLOTS: readonly RunbookSlot[] = [
  'pipeline',
  'files',
  'secrets',
  'secretRows',
  'secretNotes',
  'firstDeploy',
  'sections',
  'migrations',
  'verify',
  'rollback',
  'localRollback',
  'troubleshooting',
];

/** The generators the config uses and their views: each view computed once, from the one project view. */
function activate(config: DeployKitConfig, project: ProjectView, list: readonly AnyGenerator[]): Active[] {
  return list.filter((gen) => gen.when(config)).map((gen) => ({ gen, view: gen.view ? gen.view({ config, project }) : null }));
}

function refusalsOf(config: DeployKitConfig, project: ProjectView, active: Active[]): string[] {
  return active.flatMap(({ gen, view }) => gen.refusals?.({ config, project, view }) ?? []);
}

/**
 * Everything the config asks for that the generators cannot render (a Pages target for a server,
 * a GitHub-only target under GitLab CI, a `service:` that names no service...): every problem of
 * every applicable generator, in one list. Empty when the kit can be planned.
 *
 * @example
 *   const problems = configProblems(config);
 *   if (problems.length) throw new RefusalError(problems);
 */
export function configProblems(config: DeployKitConfig, list: readonly AnyGenerator[] = allGenerators): string[] {
  const project = projectView(config);
  return refusalsOf(config, project, activate(config, project, list));
}

function templateData(project: ProjectView, active: Active[], list: readonly AnyGenerator[]): Omit<TemplateData, 'service'> {
  const targets: Record<string, unknown> = {};
  for (const gen of list) if (gen.viewKey) targets[gen.viewKey] = null;
  const runbook = Object.fromEntries(SLOTS.map((slot) => [slot, [] as RunbookEntry[]])) as Record<RunbookSlot, RunbookEntry[]>;
  for (const { gen, view } of active) {
    if (gen.viewKey) targets[gen.viewKey] = view;
    for (const slot of gen.runbook ?? []) runbook[slot].push({ partial: runbookPartial(gen.name, slot), key: gen.viewKey ?? null });
  }
  return { ...project, targets, runbook: { ...runbook, githubSecrets: runbook.secretRows.length + runbook.secretNotes.length > 0 } };
}

/** The partial name (and, with `.md.hbs`, the template path) of a generator's runbook slot. */
function runbookPartial(generator: string, slot: RunbookSlot): string {
  return `${generator}/runbook/${slot}`;
}

/** A file to render: the action, the generator that owns it and the data its template sees. */
export interface PlannedAction {
  action: AddAction;
  generator: string;
  data: Record<string, unknown>;
}

/**
 * Every file the config asks for, with its template data, before anything is rendered: the
 * planner's half that node-plop (plopfile.js) shares. Throws RefusalError when a generator refuses.
 */
export function planActions(config: DeployKitConfig, list: readonly AnyGenerator[] = allGenerators): { actions: PlannedAction[]; partials: string[] } {
  const project = projectView(config);
  const active = activate(config, project, list);
  const problems = refusalsOf(config, project, active);
  if (problems.length > 0) throw new RefusalError(problems);
  const base = templateData(project, active, list);
  const actions: PlannedAction[] = [];
  const owners = new Map<string, string>();
  for (const { gen, view } of active) {
    for (const action of gen.actions({ config, project, view })) {
      const owner = owners.get(action.path);
      if (owner) throw new Error(`generators ${owner} and ${gen.name} both write ${action.path}`);
      owners.set(action.path, gen.name);
      const serviceName = action.data?.serviceName;
      const service = serviceName ? (project.services.find((s) => s.name === serviceName) ?? null) : null;
      actions.push({ action, generator: gen.name, data: { ...base, service, ...action.data, generator: gen.name, path: action.path } });
    }
  }
  const partials = active.flatMap(({ gen }) => (gen.runbook ?? []).map((slot) => runbookPartial(gen.name, slot)));
  return { actions, partials };
}

/**
 * Renders the whole kit in memory: a pure function of the config and the templates. A template
 * file without `.hbs` is copied as it is.
 *
 * @example
 *   const files = await planKit({ config, kit: kitTemplates() });
 *   files.map((f) => f.path) // ['Dockerfile', '.dockerignore', 'compose.yaml', ...]
 */
export async function planKit(input: PlanInput): Promise<PlannedFile[]> {
  const { actions, partials } = planActions(input.config, input.generators ?? allGenerators);
  const render = input.kit.renderer(partials);
  const out: PlannedFile[] = [];
  for (const { action, generator, data } of actions) {
    if (!action.templateFile.endsWith('.hbs')) {
      out.push({ path: action.path, generator, content: input.kit.text(action.templateFile), copiedFrom: action.templateFile });
      continue;
    }
    out.push({ path: action.path, generator, content: formatOutput(action.path, render(action.templateFile, data)) });
  }
  return out;
}

export type { KitTemplates } from './render.js';
