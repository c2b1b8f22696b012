import { extname, join } from 'node:path';
import { settingsVars } from './pydantic-settings.js';
import { libraryVars } from './python-env.js';
import { readText, servicePath } from './shared.js';
import type { EnvVarFact } from './types.js';
import { GENERATED_DIRS, TEST_DIRS, compare, lineIndex, readSourceFiles } from './walk.js';

const JS_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx', '.vue', '.svelte', '.astro'];
const NAME = '[A-Za-z_][A-Za-z0-9_]*';

/** Each pattern's group 2 is the variable's name (group 1 is a quote where there is one). */
const JS_PATTERNS: RegExp[] = [
  new RegExp(`\\b(?:process\\.env|Bun\\.env)\\??\\.()(${NAME})`, 'g'),
  new RegExp(`\\b(?:process\\.env|Bun\\.env)\\??\\.?\\[\\s*(['"\`])(${NAME})\\1\\s*\\]`, 'g'),
  new RegExp(`\\bimport\\.meta\\.env\\??\\.()(${NAME})`, 'g'),
  new RegExp(`\\bimport\\.meta\\.env\\[\\s*(['"\`])(${NAME})\\1\\s*\\]`, 'g'),
  new RegExp(`\\bDeno\\.env\\.get\\(\\s*(['"\`])(${NAME})\\1`, 'g'),
  // NestJS's ConfigService (`this.configService.get<string>('APP_SECRET')`, `getOrThrow`): it reads process.env.
  // Upper-case keys only: lower-case ones name a registered namespace's settings (`database.host`).
  /\b\w*[Cc]onfig(?:Service)?\s*\.\s*(?:get|getOrThrow)\s*(?:<[^>()]*>)?\(\s*(['"`])([A-Z_][A-Z0-9_]*)\1/g,
];
/** `const { A, B: b, C = 'x', ...rest } = process.env`, possibly over several lines. */
const JS_DESTRUCTURE = /\b(?:const|let|var)\s*\{([^{}]*)\}\s*=\s*(?:process\.env|import\.meta\.env|Bun\.env)\b/g;
/** SvelteKit's `import { PUBLIC_A, PUBLIC_B as b } from '$env/static/public'`: values the build inlines. */
const SVELTEKIT_STATIC_PUBLIC = /\bimport\s*\{([^{}]*)\}\s*from\s*(['"])\$env\/static\/public\2/g;

const PY_PATTERNS: RegExp[] = [
  new RegExp(`\\b(?:os\\.)?environ\\s*(?:\\[\\s*|\\.get\\(\\s*|\\.setdefault\\(\\s*|\\.pop\\(\\s*)(['"])(${NAME})\\1`, 'g'),
  new RegExp(`\\bos\\.getenv\\(\\s*(['"])(${NAME})\\1`, 'g'),
];
const GO_PATTERNS: RegExp[] = [new RegExp(`\\bos\\.(?:Getenv|LookupEnv)\\(\\s*(")(${NAME})"`, 'g')];
/** Prisma's schema: `url = env("DATABASE_URL")` in a datasource (or a generator). */
const PRISMA_PATTERNS: RegExp[] = [new RegExp(`\\benv\\(\\s*(")(${NAME})"\\s*\\)`, 'g')];
/** Java and Kotlin: `System.getenv("X")`, `System.getenv().get("X")`. */
const JVM_PATTERNS: RegExp[] = [new RegExp(`\\bSystem\\.getenv\\(\\s*\\)?(?:\\.get(?:OrDefault)?\\(\\s*)?(")(${NAME})"`, 'g')];
/**
 * Spring, Quarkus and Micronaut config: `${NAME}` or `${NAME:default}` (upper case: lower case names
 * other properties) in the default profile's application.properties/yml; a profile's own file
 * (application-postgres.properties) is read only when that profile is switched on.
 */
const JVM_CONFIG_PATTERNS: RegExp[] = [/\$\{()([A-Z_][A-Z0-9_]*)(?::[^}]*)?\}/g];
const JVM_CONFIG_FILE = /(?:^|\/)application\.(?:properties|ya?ml)$/;
/**
 * C#: `Environment.GetEnvironmentVariable("X")`, `Configuration["Section:Key"]` (the variable is
 * `Section__Key`), `GetConnectionString("Name")` (`ConnectionStrings__Name`).
 */
const CS_PATTERNS: RegExp[] = [
  new RegExp(`\\bEnvironment\\.GetEnvironmentVariable\\(\\s*(")(${NAME})"`, 'g'),
  /\b[Cc]onfiguration\[\s*(")([A-Za-z_][\w:]*)"\s*\]/g,
  /\bGetConnectionString\(\s*(")([A-Za-z_]\w*)"\s*\)/g,
];

/** Elixir's System.get_env/fetch_env/fetch_env!, in config/runtime.exs and the code alike. */
const EX_PATTERNS: RegExp[] = [new RegExp(`\\bSystem\\.(?:get_env|fetch_env!?)\\(\\s*(")(${NAME})"`, 'g')];

/** Ruby: ENV["X"], ENV['X'], ENV.fetch("X"), ENV.key?("X"); in .rb files and in ERB inside YAML (database.yml's `<%= ENV[...] %>`). */
const RB_PATTERNS: RegExp[] = [new RegExp(`\\bENV(?:\\[\\s*|\\.fetch\\(\\s*|\\.key\\?\\(\\s*)(['"])(${NAME})\\1`, 'g')];
/** Rust: std::env::var("X"), env::var_os("X"), dotenvy::var("X"), clap's `#[arg(long, env = "X")]`. */
const RS_PATTERNS: RegExp[] = [new RegExp(`\\b(?:env|dotenvy?)::var(?:_os)?\\(\\s*(")(${NAME})"`, 'g')];
/**
 * clap's `#[clap(long, env)]` (or `#[arg(...)]`) over a field: the variable is `env = "X"`'s, else the
 * field's name in upper case; a field that is no Option and has no default must be set. Doc
 * comments and other attributes may stand between.
 */
const CLAP_ENV_FIELD = /#\[(?:clap|arg)\(([^\]]*\benv\b[^\]]*)\)\]\s*(?:(?:\/\/\/[^\n]*|#\[[^\]]*\])\s*)*(?:pub(?:\([^)]*\))?\s+)?(\w+)\s*:\s*([^,\n]+)/g;

/** The environment variable a .NET configuration key reads: `:` is `__` in a variable's name. */
function csEnvName(match: string, key: string | undefined): string | undefined {
  if (!key) return undefined;
  const name = match.includes('GetConnectionString') ? `ConnectionStrings__${key}` : key.replace(/:/g, '__');
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : undefined;
}

/** Laravel's env('X'), getenv('X'), $_ENV['X'] and $_SERVER['X'] (minus what the web server sets per request). */
const PHP_PATTERNS: RegExp[] = [
  new RegExp(`(?<![\\w$>:])(?:getenv|env)\\(\\s*(['"])(${NAME})\\1`, 'g'),
  new RegExp(`\\$_(?:ENV|SERVER)\\[\\s*(['"])(${NAME})\\1\\s*\\]`, 'g'),
];
/** Symfony's container parameters: '%env(DATABASE_URL)%', '%env(resolve:DATABASE_URL)%', '%env(bool:X)%'. */
const SYMFONY_PATTERNS: RegExp[] = [new RegExp(`%env\\((?:[a-z_]+:)*()(${NAME})\\)%`, 'g')];
/** $_SERVER keys the web server or PHP sets for each request: never the deployment's. */
const PHP_REQUEST_VARS = new RegExp(
  '^(?:HTTP_|REQUEST_|SERVER_|REMOTE_|SCRIPT_|PHP_|' +
    '(?:PATH_INFO|ORIG_PATH_INFO|QUERY_STRING|DOCUMENT_ROOT|HTTPS|CONTENT_TYPE|CONTENT_LENGTH|GATEWAY_INTERFACE|AUTH_TYPE|argv|argc)$)',
);

const PATTERNS_BY_EXT: Record<string, RegExp[]> = {
  '.py': PY_PATTERNS,
  '.go': GO_PATTERNS,
  '.java': JVM_PATTERNS,
  '.kt': JVM_PATTERNS,
  '.cs': CS_PATTERNS,
  '.prisma': PRISMA_PATTERNS,
  '.php': PHP_PATTERNS,
  '.ex': EX_PATTERNS,
  '.exs': EX_PATTERNS,
  '.properties': JVM_CONFIG_PATTERNS,
  '.rb': RB_PATTERNS,
  '.rs': RS_PATTERNS,
};

/**
 * Set by the package manager for the script it runs (npm_lifecycle_event), by the OS or the shell
 * (PATH, HOME, XDG_*, Windows' ProgramData), by Bundler (BUNDLE_GEMFILE) or by a CI runner (CI,
 * GITHUB_ACTIONS, GITLAB_CI): never the deployment's to document.
 */
const RUNTIME_SET = new RegExp(
  '^(?:[nN][pP][mM]_.*|PATH|HOME|USER|LOGNAME|PWD|OLDPWD|SHELL|TERM|HOSTNAME|TMPDIR|XDG_[A-Z_]+|BUNDLE_GEMFILE|' +
    'CI|GITHUB_ACTIONS|GITLAB_CI|ProgramData|APPDATA|LOCALAPPDATA|USERPROFILE|SystemRoot|windir)$',
);

/** Vite's built-in `import.meta.env` keys: set by the bundler, never by the deployment. */
const VITE_BUILTINS = new Set(['MODE', 'BASE_URL', 'PROD', 'DEV', 'SSR']);

/**
 * Finds the environment variables the code reads: `process.env.X`, `process.env["X"]`,
 * `import.meta.env.X`, `const { A, B } = process.env`, Python's `os.environ[...]` / `os.getenv`,
 * Go's `os.Getenv`, Prisma's `env("X")`, PHP's `env()`/`getenv()`/`$_ENV`/`$_SERVER`, Symfony's `%env(X)%`
 * in YAML, Java's `System.getenv`, C#'s configuration reads, Ruby's `ENV[...]`/`ENV.fetch` (and in
 * Rails' ERB YAML), Rust's `env::var` and clap's `env` arguments. Dependencies, build output, hidden
 * directories and tests are skipped.
 * Sorted by name; each location is `file:line`, sorted by file then line.
 *
 * @example
 *   await detectEnvVars('examples/express-api')
 *   // [{ name: 'APP_VERSION', locations: ['src/app.js:17'] }, { name: 'LOG_LEVEL', ... }, { name: 'PORT', ... }]
 */
export async function detectEnvVars(root: string): Promise<EnvVarFact[]> {
  const files = await readSourceFiles(root, {
    extensions: [...JS_EXTENSIONS, '.py', '.go', '.java', '.kt', '.cs', '.properties', '.yml', '.yaml', '.prisma', '.php', '.ex', '.exs', '.rb', '.rs'],
    // Mix's fetched dependencies and build output are not the app's code.
    skipDirs: [...GENERATED_DIRS, ...TEST_DIRS, 'deps', '_build'],
    skipTestFiles: true,
    maxFiles: 2000,
  });
  const found = new Map<string, Map<string, number[]>>();
  const providers = new Map<string, string>();
  const required = new Set<string>();
  const add = (name: string, file: string, line: number): void => {
    let byFile = found.get(name);
    if (!byFile) found.set(name, (byFile = new Map()));
    const lines = byFile.get(file) ?? [];
    if (!lines.includes(line)) lines.push(line);
    byFile.set(file, lines);
  };

  for (const file of files) {
    const ext = extname(file.path);
    if (ext === '.properties' && !JVM_CONFIG_FILE.test(file.path)) continue;
    const lineOf = lineIndex(file.text);
    const lines = file.text.split('\n');
    const yaml = ext === '.yaml' || ext === '.yml';
    const elixir = ext === '.ex' || ext === '.exs';
    // config/dev.exs and config/test.exs configure environments that are never deployed.
    if (elixir && /(?:^|\/)config\/(?:dev|test)\.exs$/.test(file.path)) continue;
    // Spring's application.yml reads ${X}; any other YAML file is Symfony's configuration (%env(X)%).
    // Rails' YAML (database.yml, queue.yml) reads variables in ERB.
    const erb = yaml && file.text.includes('<%') ? RB_PATTERNS : [];
    const patterns = yaml ? [...(JVM_CONFIG_FILE.test(file.path) ? JVM_CONFIG_PATTERNS : SYMFONY_PATTERNS), ...erb] : (PATTERNS_BY_EXT[ext] ?? JS_PATTERNS);
    const hashComments = ext === '.py' || ext === '.properties' || ext === '.rb' || yaml || elixir;
    const comment = hashComments ? /^\s*#/ : ext === '.php' ? /^\s*(?:\/\/|#(?!\[)|\/\*|\*)/ : /^\s*(?:\/\/|\/\*|\*)/;
    // The database a Prisma datasource's url points at: postgresql gets the Postgres add-on, mysql or sqlite do not.
    const provider = ext === '.prisma' ? /datasource\s+\w+\s*\{[^}]*\bprovider\s*=\s*"([\w-]+)"/.exec(file.text)?.[1] : undefined;
    const inComment = (line: number): boolean => comment.test(lines[line - 1] ?? '');

    for (const pattern of patterns) {
      for (const m of file.text.matchAll(pattern)) {
        const name = patterns === CS_PATTERNS ? csEnvName(m[0], m[2]) : m[2];
        const line = lineOf(m.index ?? 0);
        if (!name || inComment(line) || RUNTIME_SET.test(name)) continue;
        if (ext === '.php' && m[0].startsWith('$_SERVER') && PHP_REQUEST_VARS.test(name)) continue;
        if (m[0].startsWith('import.meta') && VITE_BUILTINS.has(name)) continue;
        add(name, file.path, line);
        if (provider) providers.set(name, provider);
        // fetch_env!/1 raises when it is unset, and so does `System.get_env("X") || raise ...`.
        const after = file.text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 40);
        if (elixir && (m[0].includes('fetch_env!') || /^\s*\)\s*\|\|\s*raise\b/.test(after))) required.add(name);
        // Ruby's ENV.fetch("X") with no default and no block raises KeyError; Rust's env::var("X").expect(..) panics.
        if (ext === '.rb' && m[0].includes('.fetch') && /^\)(?!\s*(?:\{|do\b))/.test(after)) required.add(name);
        if (ext === '.rs' && m[0].includes('::var') && /^\s*\)\s*(?:\.expect\(|\.unwrap\(\)|\?)/.test(after)) required.add(name);
      }
    }
    if (ext === '.py') {
      for (const v of [...settingsVars(file.text), ...libraryVars(file.text)]) {
        if (RUNTIME_SET.test(v.name)) continue;
        add(v.name, file.path, v.line);
        if (v.required) required.add(v.name);
      }
    }
    if (ext === '.rs') {
      for (const m of file.text.matchAll(CLAP_ENV_FIELD)) {
        const explicit = new RegExp(`\\benv\\s*=\\s*"(${NAME})"`).exec(m[1] ?? '')?.[1];
        const name = explicit ?? m[2]?.toUpperCase();
        if (!name || !m[2] || inComment(lineOf(m.index ?? 0))) continue;
        add(name, file.path, explicit ? lineOf(m.index ?? 0) : lineOf((m.index ?? 0) + m[0].lastIndexOf(m[2])));
        if (!/^\s*Option\s*</.test(m[3] ?? '') && !/\bdefault_value/.test(m[1] ?? '')) required.add(name);
      }
    }
    if (patterns === JS_PATTERNS) {
      for (const m of [...file.text.matchAll(JS_DESTRUCTURE), ...file.text.matchAll(SVELTEKIT_STATIC_PUBLIC)]) {
        const body = m[1] ?? '';
        const bodyStart = (m.index ?? 0) + m[0].indexOf('{') + 1;
        if (inComment(lineOf(m.index ?? 0))) continue;
        // Each entry is `NAME`, `NAME: alias`, `NAME = default` or `NAME as alias`; `...rest` names no variable.
        for (const entry of body.matchAll(new RegExp(`(?:^|,)\\s*(?:\\/\\/[^\\n]*\\n\\s*)*(${NAME})`, 'g'))) {
          const name = entry[1];
          if (!name || RUNTIME_SET.test(name)) continue;
          add(name, file.path, lineOf(bodyStart + (entry.index ?? 0) + entry[0].lastIndexOf(name)));
        }
      }
    }
  }

  // ASP.NET Core's appsettings.json beside the app's Program.cs: each connection string it names is read
  // from ConnectionStrings__<Name> too, whatever constant the code passes to GetConnectionString.
  const programDirs = new Set(files.filter((f) => /(?:^|\/)Program\.cs$/.test(f.path)).map((f) => f.path.replace(/\/?Program\.cs$/, '')));
  for (const dir of programDirs) {
    const path = dir ? `${dir}/appsettings.json` : 'appsettings.json';
    const text = await readText(join(root, path));
    for (const { name, line } of text === undefined ? [] : connectionStrings(text)) add(`ConnectionStrings__${name}`, path, line);
  }

  return [...found.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([name, byFile]) => ({
      name,
      locations: [...byFile.entries()]
        .sort(([a], [b]) => compare(a, b))
        .flatMap(([file, lines]) => lines.sort((x, y) => x - y).map((line) => `${file}:${line}`)),
      ...(providers.has(name) ? { provider: providers.get(name) } : {}),
      ...(required.has(name) ? { required: true as const } : {}),
    }));
}

/** The names in appsettings.json's top-level "ConnectionStrings" object, with their lines. */
function connectionStrings(text: string): Array<{ name: string; line: number }> {
  const start = /^\s*"ConnectionStrings"\s*:\s*\{/m.exec(text);
  if (!start) return [];
  const lineOf = lineIndex(text);
  const body = text.slice(start.index + start[0].length);
  const end = body.indexOf('}');
  const out: Array<{ name: string; line: number }> = [];
  for (const m of body.slice(0, end < 0 ? body.length : end).matchAll(/"([A-Za-z_][\w.-]*)"\s*:/g)) {
    if (/^[A-Za-z_]\w*$/.test(m[1]!)) out.push({ name: m[1]!, line: lineOf(start.index + start[0].length + (m.index ?? 0)) });
  }
  return out;
}

/**
 * The env vars one service reads: locations under `path`, minus those under a nested service's path
 * (`others`), so the root service of a monorepo does not claim what apps/api reads. Locations stay
 * repo-relative; a variable read nowhere in the service is dropped.
 *
 * @example
 *   envFor(facts.env, 'apps/api', facts.services?.map((s) => s.path))
 *   // [{ name: 'DATABASE_URL', locations: ['apps/api/main.py:4'] }]
 */
export function envFor(env: readonly EnvVarFact[], path: string, others: readonly string[] = []): EnvVarFact[] {
  const rel = servicePath(path);
  const under = (location: string, dir: string): boolean => dir === '.' || location.startsWith(`${dir}/`);
  const nested = others.map(servicePath).filter((o) => o !== rel && o !== '.' && under(o, rel));
  const out: EnvVarFact[] = [];
  for (const v of env) {
    const locations = v.locations.filter((l) => under(l, rel) && !nested.some((n) => under(l, n)));
    if (locations.length > 0) out.push({ ...v, locations });
  }
  return out;
}

/** Source files each stack's code is written in (and the config files it reads), by extension. */
const STACK_SOURCES: Record<string, readonly string[]> = {
  node: [...JS_EXTENSIONS, '.prisma'],
  bun: [...JS_EXTENSIONS, '.prisma'],
  deno: JS_EXTENSIONS,
  static: JS_EXTENSIONS,
  python: ['.py'],
  go: ['.go'],
  java: ['.java', '.kt', '.properties', '.yml', '.yaml'],
  dotnet: ['.cs', '.json'],
  php: ['.php', '.yml', '.yaml'],
  elixir: ['.ex', '.exs'],
  ruby: ['.rb', '.yml', '.yaml'],
  rust: ['.rs'],
};

/**
 * The env vars code of the given stacks reads: a variable read only in another language's files
 * (a sibling frontend's `import.meta.env.VITE_API_URL` beside a Python backend) is no deployed
 * service's. A stack with no reader of its own keeps every variable.
 *
 * @example
 *   envForStacks(facts.env, ['python']) // drops variables read only in .ts/.tsx files
 */
export function envForStacks(env: readonly EnvVarFact[], stacks: readonly string[]): EnvVarFact[] {
  if (stacks.some((s) => !STACK_SOURCES[s])) return [...env];
  const exts = new Set(stacks.flatMap((s) => STACK_SOURCES[s]!));
  return env.filter((v) => v.locations.some((l) => exts.has(extname(l.replace(/:\d+$/, '')))));
}
