import HandlebarsRuntime from 'handlebars/runtime.js';
import { stringify } from 'yaml';

/** A template's source by its id (`compose/compose.yaml.hbs`, `stacks/node/templates/Dockerfile.hbs`). */
export type TemplateSource = (templateFile: string) => string;

/** Renders the template `templateFile` with `data`; a failure names the template. */
export type Render = (templateFile: string, data: object) => string;

/**
 * The templates a plan renders with, however they were loaded: compiled from their sources
 * (compile.ts: tests, plopfile.js, the tsc build) or precompiled at build time (the bundle ships
 * only the Handlebars runtime). Both give the same bytes; test/precompiled.test.ts proves it.
 */
export interface KitTemplates {
  /** A renderer whose partials are the shared and stack partials plus the named runbook ones (`<generator>/runbook/<slot>`). */
  renderer(runbookPartials: readonly string[]): Render;
  /** The text of a template file copied as it is (no `.hbs`). */
  text(templateFile: string): string;
}

/** The template helpers, registered on our own instance here and on node-plop's by plopfile.js. */
export const HELPERS = {
  json: (v: unknown) => JSON.stringify(v),
  eq: (a: unknown, b: unknown) => a === b,
  // Handlebars passes its options object last.
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  yamlList: (items: unknown[]) => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`,
  // Branch names as a GitHub Actions `branches:` filter, each matching only itself: the filter
  // characters git allows in a name (`+`, `]`, a leading `!`) are escaped with a backslash.
  branchFilters: (branches: string | string[]) => `[${[branches].flat().map((b) => JSON.stringify(githubFilterLiteral(b))).join(', ')}]`,
  // A value from the user (a command) as one YAML scalar: plain where YAML reads it back as the
  // same string, else double-quoted. Never a mapping, a second step or a broken file.
  yamlScalar: (v: unknown) => yamlScalar(String(v)),
} as const;

/**
 * The options every template and partial is compiled with, at build time and from sources alike:
 * strict (a missing variable is an error), nothing HTML-escaped, and only our helpers and the
 * built-in ones (each `{{name}}` is then a plain lookup, which compiles to less, faster code).
 */
export const COMPILE_OPTIONS = {
  strict: true,
  noEscape: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true])),
  knownHelpersOnly: true,
} as const;

function githubFilterLiteral(branch: string): string {
  return branch.replace(/[*?+[\]]/g, (c) => `\\${c}`).replace(/^!/, '\\!');
}

function yamlScalar(text: string): string {
  const out = stringify(text, { lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
  return out.includes('\n') ? JSON.stringify(text) : out;
}

type Handlebars = typeof import('handlebars');
type Template = (data: object) => string;
type Partial = (context: unknown, options?: object) => string;

/**
 * Our own Handlebars environment (`Handlebars` is the full one or the runtime): helpers stay off
 * the global one (node-plop registers its own there). Templates are compiled in strict mode, so
 * a missing variable is an error, and nothing is HTML-escaped because nothing we write is HTML.
 */
export function environment(base: Handlebars): Handlebars {
  const hbs = base.create();
  for (const [name, fn] of Object.entries(HELPERS)) hbs.registerHelper(name, fn);
  return hbs;
}

/** Runs a compiled template; an error names the template file. */
export function run(templateFile: string, fn: Template, data: object): string {
  try {
    return fn(data);
  } catch (e) {
    throw new Error(`template ${templateFile}: ${(e as Error).message}`);
  }
}

/** The templates as scripts/build-bundle.mjs precompiles them: every spec by template id, partial names, copied files. */
export interface PrecompiledKit {
  /**
   * Handlebars.precompile's output for every `.hbs` file, by template id, each behind a function:
   * V8 only pre-parses a function it does not call, so a run builds the specs of the templates
   * its kit renders and skips the rest (most of the package's templates).
   */
  specs: Record<string, () => object>;
  /** Partial name -> the template id whose spec it is (shared and stack partials). */
  partials: Record<string, string>;
  /** Files copied as they are, by template id. */
  files: Record<string, string>;
}

type Spec = Parameters<Handlebars['template']>[0];

/** The kit's templates from build-time specs: only the Handlebars runtime runs, no template is compiled. */
export function precompiledKit(kit: PrecompiledKit): KitTemplates {
  const runtime = HandlebarsRuntime as unknown as Handlebars;
  const specs = new Map<string, Spec>();
  const spec = (id: string): Spec => {
    let s = specs.get(id);
    if (s === undefined) {
      const build = Object.hasOwn(kit.specs, id) ? kit.specs[id] : undefined;
      if (build === undefined) throw new Error(`template ${id}: not in the package`);
      s = build() as Spec;
      specs.set(id, s);
    }
    return s;
  };
  return {
    renderer(runbookPartials) {
      const hbs = environment(runtime);
      // A partial is built on its first use: Handlebars calls a function partial as it is.
      const partial = (id: string): Partial => {
        let fn: Partial | undefined;
        return (context, options) => (fn ??= hbs.template(spec(id)))(context, options);
      };
      for (const [name, id] of Object.entries(kit.partials)) hbs.registerPartial(name, partial(id));
      for (const name of runbookPartials) hbs.registerPartial(name, partial(`${name}.md.hbs`));
      const compiled = new Map<string, Template>();
      return (templateFile, data) => {
        let fn = compiled.get(templateFile);
        if (!fn) {
          fn = hbs.template(spec(templateFile));
          compiled.set(templateFile, fn);
        }
        return run(templateFile, fn, data);
      };
    },
    text(templateFile) {
      const text = kit.files[templateFile];
      if (text === undefined) throw new Error(`template ${templateFile}: not in the package`);
      return text;
    },
  };
}
