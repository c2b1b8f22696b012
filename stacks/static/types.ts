/** What detection learns about a site served as it is. */
import type { Fact } from '../../src/detect/fact.js';

/** A site with no build step: files served as they are. */
export interface StaticFacts {
  path: string;
  /** The directory to serve, relative to the service ("." when index.html sits at its top). */
  root: Fact<string>;
  warnings: string[];
}
