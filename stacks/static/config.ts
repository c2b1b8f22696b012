/** What `init` takes from a plain site's facts: the directory to serve; nginx fixes the rest. */
import type { ServiceConfig } from '../../src/config/types.js';
import type { ServiceAnswers } from '../types.js';
import type { StaticFacts } from './types.js';

export function staticConfig(f: StaticFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  return { ...base, stack: 'static', ...(f.root.value !== '.' ? { outputDir: f.root.value } : {}), port: a.port, ...(a.healthPath !== undefined ? { healthPath: a.healthPath } : {}) };
}
