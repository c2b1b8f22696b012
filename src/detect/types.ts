/**
 * What detection learned about a repository. Every fact carries the evidence that decided it,
 * so the CLI can show the user why before anything is written.
 */
export interface Fact<T> {
  value: T;
  /** Human-readable reason, e.g. "package-lock.json present" or "src/server.js:12 app.listen(PORT || 3000)". */
  evidence: string;
}

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';
export type NodeFramework = 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs';
/** Meta-frameworks and site builders; kept apart from {@link NodeFramework}, which names server libraries. */
export type NodeWebFramework = 'next' | 'nuxt' | 'remix' | 'react-router' | 'sveltekit' | 'astro' | 'vite' | 'docusaurus' | 'gatsby' | 'cra';
/**
 * How the app runs in production: 'server' (a Node process of its own: Express & co, or a plain
 * `node file.js`), 'ssr' (a framework's Node server renders pages), 'static' (the build emits files any
 * web server can serve; no Node at run time).
 */
export type NodeAppKind = 'server' | 'ssr' | 'static';

export interface NodeFacts {
  /** Relative path of the service inside the repo ("." for the root). */
  path: string;
  /** package.json "name", sanitised to a lowercase slug when possible. */
  name?: Fact<string>;
  packageManager: Fact<PackageManager>;
  /** Exact version from package.json `packageManager` ("pnpm@9.1.0" gives "9.1.0"). */
  packageManagerVersion?: Fact<string>;
  /** yarn only: "classic" (v1) or "berry" (v2+). */
  yarnFlavor?: Fact<'classic' | 'berry'>;
  /** Major Node version the app asks for, e.g. "22". */
  nodeVersion?: Fact<string>;
  framework?: Fact<NodeFramework>;
  /** The lockfile's name, when one exists. */
  lockfile?: Fact<string>;
  /** Build command, e.g. "npm run build", when package.json has a build script. */
  build?: Fact<string>;
  /** Test command, e.g. "npm test", when package.json has a real test script. */
  test?: Fact<string>;
  /** The command that starts the server in production, exec-form friendly, e.g. "node src/server.js". */
  start?: Fact<string>;
  port?: Fact<number>;
  healthPath?: Fact<string>;
  /** See {@link NodeAppKind}. Undefined for a library or anything else with nothing to run or serve. */
  kind?: Fact<NodeAppKind>;
  webFramework?: Fact<NodeWebFramework>;
  /**
   * What the build emits, relative to the service: the site for 'static' ("dist", "build", "out",
   * "public", ...), the server bundle for 'ssr' (".next/standalone", ".output", "build", "dist").
   */
  outputDir?: Fact<string>;
  /** Next.js only: `output` in next.config; 'default' when unset (the Dockerfile needs 'standalone'). */
  nextOutput?: Fact<'standalone' | 'export' | 'default'>;
  /**
   * The environment variable the SSR server reads its bind address from (HOSTNAME for Next, HOST for
   * the others): a container must set it to 0.0.0.0.
   */
  hostEnv?: Fact<string>;
  /** Workspace package directories (repo-relative, sorted) when this package.json or pnpm-workspace.yaml declares workspaces. */
  workspaces?: Fact<string[]>;
  /**
   * For a package inside a workspace: the workspace root's path ("." for the repo root). The image
   * must be built from there, where the lockfile is.
   */
  workspaceRoot?: Fact<string>;
  /**
   * What this service's detection noticed but could not decide (no lockfile, several lockfiles,
   * `lts/*` in .nvmrc, ...). detectNode always sets it; detectRepo copies it into RepoFacts.warnings.
   */
  warnings?: string[];
}

export interface EnvVarFact {
  name: string;
  /** Every place it is read, as "file:line". */
  locations: string[];
}

export interface GitFacts {
  /** The branch production deploys from: remote HEAD, else current branch, else init.defaultBranch. */
  defaultBranch?: Fact<string>;
  /** Local and remote-tracking branch names (without "origin/"). */
  branches: string[];
  isRepo: boolean;
}

export type PythonPackageManager = 'uv' | 'poetry' | 'pipenv' | 'pip';
export type PythonFramework = 'fastapi' | 'starlette' | 'django' | 'flask' | 'streamlit' | 'gradio' | 'none';
/** The process that serves the app: an ASGI or WSGI server, Streamlit's runner, or the app's own `python file.py`. */
export type PythonServer = 'uvicorn' | 'gunicorn' | 'streamlit' | 'python';

export interface DjangoFacts {
  /** e.g. "mysite.settings", from manage.py's DJANGO_SETTINGS_MODULE default. */
  settingsModule?: Fact<string>;
  /** e.g. "mysite.wsgi:application". */
  wsgiApplication?: Fact<string>;
  /** Whether the image should run `manage.py collectstatic` (STATIC_ROOT is set). */
  collectstatic: Fact<boolean>;
  /** Whether the project has migrations to run (`<app>/migrations/0001_*.py`). */
  migrations: Fact<boolean>;
}

export interface PythonFacts {
  /** Relative path of the service inside the repo ("." for the root). */
  path: string;
  /** `[project].name` or `[tool.poetry].name`. */
  name?: Fact<string>;
  packageManager: Fact<PythonPackageManager>;
  /** uv.lock, poetry.lock, Pipfile.lock or requirements.txt, when present. */
  lockfile?: Fact<string>;
  /** "3.X". From `requires-python` and the like it is a minimum, and the evidence says so. */
  pythonVersion?: Fact<string>;
  framework: Fact<PythonFramework>;
  server?: Fact<PythonServer>;
  /** What the server loads: "main:app", "pkg.api:app", "mysite.wsgi:application", "app:create_app()", or a script "app.py". */
  entrypoint?: Fact<string>;
  /** Exec-form friendly, e.g. "uvicorn main:app --host 0.0.0.0 --port 8000". */
  start?: Fact<string>;
  port?: Fact<number>;
  healthPath?: Fact<string>;
  /** Where an app started as `python file.py` binds (`launch(server_name=...)`, `app.run(host=...)`), when the code says. */
  bindHost?: Fact<string>;
  django?: DjangoFacts;
  warnings: string[];
}

export interface GoFacts {
  path: string;
  /** go.mod `module` path. */
  module?: Fact<string>;
  /** go.mod `go` line as written, e.g. "1.22" or "1.22.3". */
  goVersion?: Fact<string>;
  /** go.mod `toolchain` line without the "go" prefix, e.g. "1.22.5". */
  toolchain?: Fact<string>;
  /** The package `go build` builds, e.g. "." or "./cmd/api". */
  mainPackage?: Fact<string>;
  /** Every main package found (same form as mainPackage), sorted; more than one is warned about. */
  mainPackages: string[];
  /** A name for the binary: the cmd/<name> directory, else the module path's last element. */
  name?: Fact<string>;
  /** `import "C"` (or a dependency that needs cgo): a static CGO_ENABLED=0 build will not work. */
  cgo: Fact<boolean>;
  port?: Fact<number>;
  healthPath?: Fact<string>;
  warnings: string[];
}

/** A site with no build step: files served as they are. */
export interface StaticFacts {
  path: string;
  /** The directory to serve, relative to the service ("." when index.html sits at its top). */
  root: Fact<string>;
  warnings: string[];
}

export type Stack = 'node' | 'python' | 'go' | 'static';

interface ServiceBase<S extends Stack, F> {
  /** Relative path of the service inside the repo ("." for the root). */
  path: string;
  stack: S;
  /** Why this directory counts as a deployable service (and not a library or a tool). */
  evidence: string;
  facts: F;
}

/**
 * One deployable service of the repo; switch on `stack` to get its facts. Node sites built to static
 * files are `stack: 'node'` with `facts.kind.value === 'static'`; `stack: 'static'` has no build.
 */
export type DetectedService =
  | ServiceBase<'node', NodeFacts>
  | ServiceBase<'python', PythonFacts>
  | ServiceBase<'go', GoFacts>
  | ServiceBase<'static', StaticFacts>;

export interface RepoFacts {
  root: string;
  node?: NodeFacts;
  /** Every deployable service found (root, apps/*, services/*, packages/*, workspaces, manifests in direct subdirectories), sorted by path. */
  services?: DetectedService[];
  git: GitFacts;
  env: EnvVarFact[];
  /** Things detection noticed but could not decide; shown to the user. */
  warnings: string[];
}
