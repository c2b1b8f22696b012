// For template authors: every deploy-kit generator as a plop generator, so
// `npx plop <generator>` renders its templates into the current repo from its deploy-kit.yaml.
// The CLI does not load this file or node-plop: it renders the same actions in memory
// (src/plan) and merges them safely (src/apply). This file only adapts the
// planner's own actions, data, helpers and partials to node-plop. Requires `npm run build`.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generators } from './dist/generators/index.js';
import { parseConfig } from './dist/src/config/load.js';
import { planActions } from './dist/src/plan/index.js';
import { templatePath, templatesFromDisk } from './dist/src/plan/load-templates.js';
import { HELPERS } from './dist/src/plan/render.js';

const here = new URL('.', import.meta.url).pathname;

/**
 * plop's Handlebars HTML-escapes output; ours does not (nothing we write is HTML). Strings that
 * carry toHTML() are emitted as they are, so plop renders the same bytes as the planner.
 */
function raw(value) {
  if (typeof value === 'string') return value === '' ? value : { toHTML: () => value, toString: () => value };
  if (Array.isArray(value)) return value.map(raw);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, raw(v)]));
  return value;
}

/** The inverse of raw(), so the planner's helpers see the values they were written for. */
function plain(value) {
  if (value && typeof value === 'object' && 'toHTML' in value) return value.toHTML();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

export default function (plop) {
  // The last argument is Handlebars' options object: passed on untouched.
  for (const [name, fn] of Object.entries(HELPERS)) plop.setHelper(name, (...args) => fn(...args.slice(0, -1).map(plain), args.at(-1)));
  const { templates, partials } = templatesFromDisk(here);
  for (const [name, text] of Object.entries(partials)) plop.setPartial(name, text);
  // Template files without .hbs are copied as they are, never rendered.
  plop.setActionType('copy', (answers, action) => {
    mkdirSync(dirname(action.path), { recursive: true });
    copyFileSync(action.templateFile, action.path);
    return action.path;
  });
  const load = () => parseConfig(readFileSync(join(plop.getDestBasePath(), 'deploy-kit.yaml'), 'utf8')).config;
  for (const gen of generators) {
    plop.setGenerator(gen.name, {
      description: gen.description,
      prompts: [],
      actions: () => {
        const planned = planActions(load());
        for (const name of planned.partials) plop.setPartial(name, templates(`${name}.md.hbs`));
        return planned.actions
          .filter((a) => a.generator === gen.name)
          .map(({ action, data }) =>
            action.templateFile.endsWith('.hbs')
              ? { type: 'add', path: action.path, templateFile: templatePath(action.templateFile, here), force: true, data: raw(data) }
              : { type: 'copy', path: join(plop.getDestBasePath(), action.path), templateFile: templatePath(action.templateFile, here) },
          );
      },
    });
  }
}
