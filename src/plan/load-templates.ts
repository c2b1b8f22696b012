import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import type { TemplateSource } from './render.js';

/** Reads templates from the package's templates/ folder, each at most once per process. */
export function templatesFromDisk(dir = join(packageRoot(), 'templates')): {
  templates: TemplateSource;
  partials: Record<string, string>;
} {
  const cache = new Map<string, string>();
  const templates: TemplateSource = (file) => {
    let text = cache.get(file);
    if (text === undefined) {
      text = readFileSync(join(dir, file), 'utf8');
      cache.set(file, text);
    }
    return text;
  };
  const partials: Record<string, string> = {};
  for (const f of readdirSync(join(dir, 'partials'))) {
    if (f.endsWith('.hbs')) partials[f.slice(0, -4)] = readFileSync(join(dir, 'partials', f), 'utf8');
  }
  return { templates, partials };
}
