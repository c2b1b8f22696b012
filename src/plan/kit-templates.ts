import { kitFromDisk } from './load-templates.js';
import type { KitTemplates } from './render.js';

let kit: KitTemplates | undefined;

/**
 * The package's templates, as the CLI renders them. From source (tests under tsx, the tsc build)
 * they are read and compiled from disk; the bundle (scripts/build-bundle.mjs) replaces this module
 * with one that holds every template precompiled, so a run loads only the Handlebars runtime.
 */
export function kitTemplates(): KitTemplates {
  kit ??= kitFromDisk();
  return kit;
}
