import { join } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { atPath, codeEvidence, exists, firstExisting, isRecord, readText, servicePath } from '../../src/detect/shared.js';
import { GENERATED_DIRS, TEST_DIRS, readSourceFiles } from '../../src/detect/walk.js';
import { fetchHandlerHealth } from '../bun/detect.js';
import { detectHealthPath } from '../node/detect-code.js';
import { listenPortEnv } from '../node/port-env.js';
import type { DenoFacts, DenoFramework } from './types.js';

/** Where a Deno server's entry conventionally is (deno init writes main.ts). */
const ENTRY_GUESSES = ['main.ts', 'src/main.ts', 'server.ts', 'src/server.ts', 'app.ts', 'main.js'];
/** Deno.serve({ port: 8000 }), Number(Deno.env.get("PORT") ?? 8000), oak's listen({ port: 8000 }). */
const PORT_PATTERNS = [/\bport\s*:\s*(\d{2,5})\b/, /Deno\.env\.get\(\s*['"]PORT['"]\s*\)\s*(?:\?\?|\|\|)\s*['"]?(\d{2,5})/];

/**
 * Detects a Deno service in `root/path` from deno.json(c): the start task or entry file, deno.lock,
 * Hono or Oak from the import map, port and health route. Undefined without a deno.json(c).
 *
 * @example
 *   const deno = await detectDeno('/repo')
 *   deno?.start // { value: 'deno run --allow-net --allow-env main.ts', evidence: 'deno.json tasks.start: "..."' }
 */
export async function detectDeno(root: string, path = '.'): Promise<DenoFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);
  const name = await firstExisting(dir, ['deno.json', 'deno.jsonc']);
  if (!name) return undefined;
  const text = (await readText(join(dir, name))) ?? '';
  let json: Record<string, unknown>;
  try {
    // deno.jsonc may carry comments and trailing commas.
    const parsed: unknown = JSON.parse(stripJsonc(text));
    json = isRecord(parsed) ? parsed : {};
  } catch (err) {
    throw new Error(`${at(name)} is not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const warnings: string[] = [];
  const facts: DenoFacts = { path: rel, config: { value: name, evidence: `${at(name)} present` }, warnings };
  if (await exists(join(dir, 'deno.lock'))) facts.lockfile = { value: 'deno.lock', evidence: `${at('deno.lock')} present` };
  else warnings.push(`no deno.lock in ${rel === '.' ? 'the repository root' : rel}: run \`deno install\` and commit deno.lock, so the image installs what you tested`);
  const tasks = isRecord(json.tasks) ? json.tasks : {};
  const imports = isRecord(json.imports) ? json.imports : {};
  const framework = denoFramework(imports, at(name));
  if (framework) facts.framework = framework;
  if (typeof tasks.test === 'string') facts.test = { value: 'deno task test', evidence: `${at(name)} tasks.test: ${JSON.stringify(tasks.test)}` };
  const start = await denoStart(dir, tasks, at, name);
  if (typeof start === 'string') facts.unbuilt = start;
  else if (start) facts.start = start;
  else warnings.push(`no entry file for deno: add a tasks.start "deno run --allow-net <file>" to ${at(name)}`);

  const sources = await readSourceFiles(dir, { extensions: ['.ts', '.tsx', '.js', '.mjs'], skipDirs: [...GENERATED_DIRS, ...TEST_DIRS], skipTestFiles: true, maxFiles: 200 });
  for (const file of sources) {
    const lines = file.text.split('\n');
    const i = lines.findIndex((l) => !/^\s*\/\//.test(l) && PORT_PATTERNS.some((p) => p.test(l)));
    const line = lines[i];
    if (i < 0 || line === undefined) continue;
    const port = Number(PORT_PATTERNS.map((p) => p.exec(line)?.[1]).find(Boolean));
    if (port > 0 && port < 65536) facts.port = { value: port, evidence: codeEvidence(at(file.path), i + 1, line) };
    break;
  }
  const portEnv = listenPortEnv(sources, at);
  if (portEnv) {
    facts.portEnv = portEnv.name;
    if (portEnv.port) facts.port = portEnv.port;
  }
  const health = detectHealthPath(sources, at) ?? (await fetchHandlerHealth(dir, at));
  if (health) facts.healthPath = health;
  return facts;
}

/**
 * deno.jsonc's comments and trailing commas removed, strings left whole: a glob such as
 * `"**\/tmp/*"` holds the characters that open a block comment.
 *
 * @example
 *   stripJsonc('{ "exclude": ["**\/tmp/*"], // build output\n}') // '{ "exclude": ["**\/tmp/*"] \n}'
 */
function stripJsonc(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      // A string, escapes included, copied as it is.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      out += c;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

function denoFramework(imports: Record<string, unknown>, where: string): Fact<DenoFramework> | undefined {
  for (const [key, spec] of Object.entries(imports)) {
    if (typeof spec !== 'string') continue;
    const fw: DenoFramework | undefined = /(?:npm|jsr):(?:@hono\/)?hono\b/.test(spec) ? 'hono' : /jsr:@oak\/oak\b|deno\.land\/x\/oak\b/.test(spec) ? 'oak' : undefined;
    if (fw) return { value: fw, evidence: `${where} imports.${key}: ${JSON.stringify(spec)}` };
  }
  return undefined;
}

/** `deno run|serve <flags> <file>`: group 1 the file. */
const DENO_RUN = /^deno (?:run|serve)(?: +-[-\w=,.:/]+)* +([\w./-]+\.(?:ts|tsx|js|mjs))$/;

/**
 * The server's command: tasks.start when it is `deno run|serve ... <file>` (not a `--watch` dev
 * server: then tasks.preview, Fresh 1's production command); else a conventional entry file run
 * with network and env access. A string instead of a fact: why there is no service (a start file
 * only tasks.build writes, as in Fresh 2, and the Deno image runs no build).
 */
async function denoStart(dir: string, tasks: Record<string, unknown>, at: (f: string) => string, name: string): Promise<Fact<string> | string | undefined> {
  for (const key of ['start', 'preview']) {
    const task = tasks[key];
    if (typeof task !== 'string' || /(?:^| )--watch\b/.test(task)) continue;
    const file = DENO_RUN.exec(task.trim())?.[1];
    if (!file) continue;
    if (!(await exists(join(dir, file))) && typeof tasks.build === 'string') {
      return (
        `${at(name)} tasks.${key} runs ${file}, which tasks.build (${JSON.stringify(tasks.build)}) writes: deploy-kit's Deno image runs no build ` +
        'step yet, so it writes no kit for it; build in the image yourself (RUN deno task build before the cache step) or serve a file the repository holds'
      );
    }
    return { value: task.trim().replace(/ +/g, ' '), evidence: `${at(name)} tasks.${key}: ${JSON.stringify(task)}` };
  }
  for (const file of ENTRY_GUESSES) {
    if (await exists(join(dir, file))) return { value: `deno run --allow-net --allow-env ${file}`, evidence: `${at(file)} present` };
  }
  return undefined;
}
