// For template authors: every deploy-kit generator as a plop generator, so
// `npx plop <generator>` renders its templates into the current repo from its deploy-kit.yaml.
// The CLI does not load this file or node-plop: it renders the same actions in memory
// (src/plan), formats them and merges them safely (src/apply). Requires `npm run build`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generators } from './dist/generators/index.js';
import { parseConfig } from './dist/src/config/load.js';
import { partialsFromDisk, templatePath } from './dist/src/plan/load-templates.js';
import { projectView } from './dist/src/plan/view.js';

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
const str = (v) => (v && typeof v === 'object' && 'toHTML' in v ? v.toHTML() : v);

export default function (plop) {
  plop.setHelper('json', (v) => JSON.stringify(v, (_k, x) => str(x)));
  plop.setHelper('eq', (a, b) => str(a) === str(b));
  plop.setHelper('or', (...args) => args.slice(0, -1).some((a) => Boolean(str(a))));
  plop.setHelper('yamlList', (items) => `[${items.map((i) => JSON.stringify(str(i))).join(', ')}]`);
  // The planner's partials, stacks' own included (stacks/<stack>/...).
  for (const [name, text] of Object.entries(partialsFromDisk(here))) plop.setPartial(name, text);
  const load = () => parseConfig(readFileSync(join(plop.getDestBasePath(), 'deploy-kit.yaml'), 'utf8')).config;
  for (const gen of generators) {
    plop.setGenerator(gen.name, {
      description: gen.description,
      prompts: [],
      actions: () => {
        const config = load();
        const view = projectView(config);
        return gen.actions(config).map((a) => ({
          type: 'add',
          path: a.path,
          templateFile: templatePath(a.templateFile, here),
          force: true,
          data: raw({ ...view, service: view.services.find((s) => s.name === a.data?.serviceName) ?? null, ...a.data }),
        }));
      },
    });
  }
}
