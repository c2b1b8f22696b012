import type { DeployKitConfig, ServiceConfig } from '../src/config/types.js';
import type { ProjectView } from '../src/view/project.js';

/**
 * One file a generator owns, as a plop "add" action: the same object node-plop runs from
 * plopfile.js, and the one deploy-kit's planner renders in memory.
 */
export interface AddAction {
  type: 'add';
  /** Output path relative to the repository root. */
  path: string;
  /** Template path relative to templates/. */
  templateFile: string;
  /** Extra template data merged over the project view (e.g. the service a file is for). */
  data?: Record<string, unknown>;
}

/** What the planner hands a generator: the config, the project view (computed once) and the generator's own view. */
export interface GeneratorContext<V> {
  config: DeployKitConfig;
  project: ProjectView;
  view: V;
}

/**
 * The places in DEPLOY.md a target adds to, in the runbook's order. A generator that lists a slot
 * owns `templates/<generator>/runbook/<slot>.md.hbs`, rendered with the whole template data as its
 * context (its own view is `targets.<viewKey>`), after the slot's entries of earlier generators.
 */
export type RunbookSlot =
  | 'pipeline'
  | 'files'
  | 'secrets'
  | 'secretRows'
  | 'secretNotes'
  | 'firstDeploy'
  | 'sections'
  | 'migrations'
  | 'verify'
  | 'rollback'
  /** After every target's rollback: going back where the kit runs on its own (compose). */
  | 'localRollback'
  | 'troubleshooting';

/**
 * An artifact family or a target: when it applies, its view of the project, what it refuses and
 * the files it owns. Data only, no I/O. `V` is the generator's own view (null for generators
 * that read only the project view).
 */
export interface Generator<V = null> {
  name: string;
  description: string;
  /**
   * Where templates find this generator's view: `targets.<viewKey>` (null when the generator does
   * not apply, so every template can test any target).
   */
  viewKey?: string;
  when(config: DeployKitConfig): boolean;
  /** Its view, computed once per plan from the project view; null when it cannot be built (refusals say why). */
  view?(ctx: Omit<GeneratorContext<V>, 'view'>): V | null;
  /**
   * What in the config this generator cannot render, as messages that say where and how to fix
   * it ("targets[1] (github-pages): ..."), judged on the same view the files are rendered from.
   * Run for every generator whose when() holds, before anything is planned, so a refusal writes nothing.
   */
  refusals?(ctx: GeneratorContext<V | null>): string[];
  actions(ctx: GeneratorContext<V>): AddAction[];
  runbook?: readonly RunbookSlot[];
}

/** Any generator, whatever its view's type: the registry's element type. */
export type AnyGenerator = Generator<any>;

/** Joins a service directory and a file name into a repo-relative path ("." collapses away). */
export function inService(service: Pick<ServiceConfig, 'path'>, file: string): string {
  const dir = service.path.replace(/^\.\/?/, '').replace(/\/+$/, '');
  return dir ? `${dir}/${file}` : file;
}
