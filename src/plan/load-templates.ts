import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPartialFile, partialName } from '../../stacks/templates.js';
import { packageRoot } from '../util/package-root.js';
import type { TemplateSource } from './render.js';

/**
 * Where a template id is on disk: `stacks/<stack>/templates/...` ids are paths from the package
 * root (a stack's templates live in its folder); every other id is under templates/.
 */
export function templatePath(file: string, root = packageRoot()): string {
  return file.startsWith('stacks/') ? join(root, file) : join(root, 'templates', file);
}

/**
 * Every partial: templates/partials/<name>.hbs as `<name>`, and each stack's own as
 * `stacks/<stack>/<name>` (stacks/<stack>/templates/<name>.hbs, Dockerfiles aside).
 */
export function partialsFromDisk(root = packageRoot()): Record<string, string> {
  const partials: Record<string, string> = {};
  const shared = join(root, 'templates', 'partials');
  for (const f of readdirSync(shared)) {
    if (f.endsWith('.hbs')) partials[f.slice(0, -4)] = readFileSync(join(shared, f), 'utf8');
  }
  const stacks = readdirSync(join(root, 'stacks'), { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const { name: stack } of stacks) {
    const dir = join(root, 'stacks', stack, 'templates');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (isPartialFile(f)) partials[partialName(stack, f)] = readFileSync(join(dir, f), 'utf8');
  }
  return partials;
}

/** Reads templates from the package (templates/ and each stack's folder), each at most once per process. */
export function templatesFromDisk(root = packageRoot()): {
  templates: TemplateSource;
  partials: Record<string, string>;
} {
  const cache = new Map<string, string>();
  const templates: TemplateSource = (file) => {
    let text = cache.get(file);
    if (text === undefined) {
      text = readFileSync(templatePath(file, root), 'utf8');
      cache.set(file, text);
    }
    return text;
  };
  return { templates, partials: partialsFromDisk(root) };
}
