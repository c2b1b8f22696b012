import Handlebars from 'handlebars';
import { COMPILE_OPTIONS, environment, run, type KitTemplates, type TemplateSource } from './render.js';

/**
 * The kit's templates compiled from their sources with the full Handlebars (the compiler
 * included): what the tests, plopfile.js and the tsc build use. The shipped bundle uses
 * precompiledKit (render.ts) instead, with the same options; each template compiles once per renderer.
 *
 * @example
 *   const { templates, partials } = templatesFromDisk();
 *   const files = await planKit({ config, kit: sourceKit(templates, partials) });
 */
export function sourceKit(source: TemplateSource, partials: Record<string, string>): KitTemplates {
  return {
    renderer(runbookPartials) {
      const hbs = environment(Handlebars);
      for (const [name, text] of Object.entries(partials)) hbs.registerPartial(name, text);
      for (const name of runbookPartials) hbs.registerPartial(name, source(`${name}.md.hbs`));
      const compiled = new Map<string, HandlebarsTemplateDelegate>();
      return (templateFile, data) => {
        let fn = compiled.get(templateFile);
        if (!fn) {
          fn = hbs.compile(source(templateFile), COMPILE_OPTIONS);
          compiled.set(templateFile, fn);
        }
        return run(templateFile, fn, data);
      };
    },
    text: source,
  };
}

/** Handlebars.precompile of one template or partial with the options the CLI compiles with: the JS source of its spec. */
export function precompileSource(text: string): string {
  return Handlebars.precompile(text, COMPILE_OPTIONS) as unknown as string;
}
