import Handlebars from 'handlebars';
import { stringify } from 'yaml';

export type TemplateSource = (templateFile: string) => string;

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

function githubFilterLiteral(branch: string): string {
  return branch.replace(/[*?+[\]]/g, (c) => `\\${c}`).replace(/^!/, '\\!');
}

function yamlScalar(text: string): string {
  const out = stringify(text, { lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
  return out.includes('\n') ? JSON.stringify(text) : out;
}

/**
 * Our own Handlebars instance: helpers stay off the global one (node-plop registers its own
 * there), templates compile in strict mode so a missing variable is an error, and nothing is
 * HTML-escaped because nothing we write is HTML.
 */
export function createRenderer(source: TemplateSource, partials: Record<string, string>) {
  const hbs = Handlebars.create();
  for (const [name, fn] of Object.entries(HELPERS)) hbs.registerHelper(name, fn);
  for (const [name, text] of Object.entries(partials)) hbs.registerPartial(name, text);
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  return (templateFile: string, data: object): string => {
    let fn = compiled.get(templateFile);
    if (!fn) {
      fn = hbs.compile(source(templateFile), { strict: true, noEscape: true });
      compiled.set(templateFile, fn);
    }
    try {
      return fn(data);
    } catch (e) {
      throw new Error(`template ${templateFile}: ${(e as Error).message}`);
    }
  };
}
