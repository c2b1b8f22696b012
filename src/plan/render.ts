import Handlebars from 'handlebars';

export type TemplateSource = (templateFile: string) => string;

/**
 * Our own Handlebars instance: helpers stay off the global one (node-plop registers its own
 * there), templates compile in strict mode so a missing variable is an error, and nothing is
 * HTML-escaped because nothing we write is HTML.
 */
export function createRenderer(source: TemplateSource, partials: Record<string, string>) {
  const hbs = Handlebars.create();
  hbs.registerHelper('json', (v: unknown) => JSON.stringify(v));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('yamlList', (items: unknown[]) => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`);
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
