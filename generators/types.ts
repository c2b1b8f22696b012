import type { DeployKitConfig, ServiceConfig } from '../src/config/types.js';

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

/** An artifact family or target: when it applies, and the files it owns. Data only, no I/O. */
export interface Generator {
  name: string;
  description: string;
  when(config: DeployKitConfig): boolean;
  actions(config: DeployKitConfig): AddAction[];
  /**
   * What in the config this generator cannot render, as messages that say where and how to fix
   * it ("targets[1] (github-pages): ..."). Run for every generator whose when() holds, before
   * anything is planned, so a refusal writes nothing.
   */
  check?(config: DeployKitConfig): string[];
}

/** Joins a service directory and a file name into a repo-relative path ("." collapses away). */
export function inService(service: Pick<ServiceConfig, 'path'>, file: string): string {
  const dir = service.path.replace(/^\.\/?/, '').replace(/\/+$/, '');
  return dir ? `${dir}/${file}` : file;
}
