import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPartialFile, partialName } from '../../stacks/templates.js';
import { packageRoot } from '../util/package-root.js';
import { precompileSource, sourceKit } from './compile.js';
import type { KitTemplates, PrecompiledKit, TemplateSource } from './render.js';

/**
 * Where a template id is on disk: `stacks/<stack>/templates/...` ids are paths from the package
 * root (a stack's templates live in its folder); every other id is under templates/.
 */
export function templatePath(file: string, root = packageRoot()): string {
  return file.startsWith('stacks/') ? join(root, file) : join(root, 'templates', file);
}

/** Every template file of the package, as the planner names it. */
interface TemplateFile {
  /** The template id (`compose/compose.yaml.hbs`, `stacks/node/templates/Dockerfile.hbs`, `partials/x.hbs`). */
  id: string;
  /** The partial name, for a shared or stack partial. */
  partial?: string;
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

/**
 * Every file under templates/ and stacks/<stack>/templates/: no list to keep, a new template or
 * stack is found by walking. templates/partials/<name>.hbs is the partial `<name>`; a stack's
 * `.hbs` files other than its Dockerfiles are the partials `stacks/<stack>/<name>`.
 */
export function templateFiles(root = packageRoot()): TemplateFile[] {
  const out: TemplateFile[] = filesUnder(join(root, 'templates')).map((id) => {
    const shared = /^partials\/([^/]+)\.hbs$/.exec(id);
    return shared ? { id, partial: shared[1]! } : { id };
  });
  const stacks = readdirSync(join(root, 'stacks'), { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const { name: stack } of stacks.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const dir = join(root, 'stacks', stack, 'templates');
    if (!existsSync(dir)) continue;
    for (const f of filesUnder(dir)) {
      const id = `stacks/${stack}/templates/${f}`;
      out.push(isPartialFile(f) ? { id, partial: partialName(stack, f) } : { id });
    }
  }
  return out;
}

/** Every partial by name, from disk: shared (templates/partials/) and each stack's own. */
export function partialsFromDisk(root = packageRoot()): Record<string, string> {
  const partials: Record<string, string> = {};
  for (const f of templateFiles(root)) if (f.partial) partials[f.partial] = readFileSync(templatePath(f.id, root), 'utf8');
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

/** The package's templates compiled from disk (the source path: tests, plopfile.js, the tsc build). */
export function kitFromDisk(root = packageRoot()): KitTemplates {
  const { templates, partials } = templatesFromDisk(root);
  return sourceKit(templates, partials);
}

/**
 * The JS source of a module exporting `kit`, the PrecompiledKit (render.ts) of every template
 * under `root`: each `.hbs` precompiled, the partial names, and the files copied as they are.
 * scripts/build-bundle.mjs inlines it in the bundle; nothing reads templates from disk there.
 * With `part`, a template it names a part of is left out: its spec is required from
 * `deploy-kit:part:<part>`, and `parts` gets the JS source of that part's specs (`module.exports`).
 */
export function precompiledModule(root = packageRoot(), part?: (id: string) => string | undefined, parts?: Record<string, string>): string {
  const specs: string[] = [];
  const inParts: Record<string, string[]> = {};
  const partials: PrecompiledKit['partials'] = {};
  const files: PrecompiledKit['files'] = {};
  for (const f of templateFiles(root)) {
    const text = readFileSync(templatePath(f.id, root), 'utf8');
    const id = JSON.stringify(f.id);
    const name = f.id.endsWith('.hbs') ? part?.(f.id) : undefined;
    if (name !== undefined) (inParts[name] ??= []).push(`${id}: () => (${precompileSource(text)})`);
    else if (f.id.endsWith('.hbs')) specs.push(`${id}: () => (${precompileSource(text)})`);
    else files[f.id] = text;
    if (f.partial) partials[f.partial] = f.id;
  }
  const ids: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(inParts)) {
    if (parts) parts[name] = `module.exports = {\n${list.join(',\n')}\n};\n`;
    ids[`deploy-kit:part:${name}`] = list.map((spec) => JSON.parse(spec.slice(0, spec.indexOf(': () => ('))) as string);
  }
  // The parts' specs by id, each built by its part: a table of names, not a function per template.
  const table = JSON.stringify(ids);
  const inPart = Object.keys(ids).length
    ? `for (const [part, list] of Object.entries(${table})) for (const id of list) specs[id] = () => require(part)[id]();\n`
    : '';
  const kit = `export const kit = {\nspecs,\npartials: ${JSON.stringify(partials)},\nfiles: ${JSON.stringify(files)},\n};\n`;
  return `const specs = {\n${specs.join(',\n')}\n};\n${inPart}${kit}`;
}
