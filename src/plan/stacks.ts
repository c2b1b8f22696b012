/**
 * Per-stack template data: how each stack builds, runs, probes its health and is tested in CI.
 * Pure functions of one service's config; view.ts merges the result into the service view.
 * Every field is always defined (null or false when it does not apply): templates compile in
 * strict mode, where a missing field is an error.
 */
import type { NodePackageManager, PythonPackageManagerName, ServiceConfig, WebFramework } from '../config/types.js';
import {
  DISTROLESS_NONROOT,
  DISTROLESS_STATIC_IMAGE,
  GO_DEFAULT,
  goImage,
  NGINX_IMAGE,
  NGINX_USER,
  NODE_LTS_MAJOR,
  nodeImage,
  PACKAGE_MANAGER_DEFAULTS,
  PYTHON_DEFAULT,
  PYTHON_TOOLS,
  pythonImage,
} from '../versions.js';

/** How each Node package manager installs, prunes and caches inside an image and in CI. */
export const NODE_PM = {
  npm: {
    lockfile: 'package-lock.json',
    installAll: 'npm ci',
    installProd: 'npm ci --omit=dev',
    prune: 'npm prune --omit=dev',
    cacheDir: '/root/.npm',
    setupNodeCache: 'npm',
  },
  pnpm: {
    lockfile: 'pnpm-lock.yaml',
    installAll: 'pnpm install --frozen-lockfile',
    installProd: 'pnpm install --frozen-lockfile --prod',
    prune: 'pnpm prune --prod',
    cacheDir: '/root/.local/share/pnpm/store',
    setupNodeCache: 'pnpm',
  },
  yarn: {
    lockfile: 'yarn.lock',
    installAll: 'yarn install --frozen-lockfile',
    installProd: 'yarn install --frozen-lockfile --production',
    // yarn classic has no prune: a production-only reinstall over the same tree does it.
    prune: 'yarn install --frozen-lockfile --production --ignore-scripts --prefer-offline',
    cacheDir: '/usr/local/share/.cache/yarn',
    setupNodeCache: 'yarn',
  },
} as const;

/**
 * How each Python package manager installs into the image's virtualenv (/opt/venv) and in CI.
 * `image` installs production dependencies only, from the lockfile, refusing a stale one.
 */
const PY_PM: Record<PythonPackageManagerName, { lockfile: string; manifests: string; cacheDir: string; ciCache: string | null; ciInstall: string; runPrefix: string }> = {
  uv: { lockfile: 'uv.lock', manifests: 'pyproject.toml uv.lock', cacheDir: '/root/.cache/uv', ciCache: null, ciInstall: 'uv sync --frozen', runPrefix: 'uv run ' },
  poetry: { lockfile: 'poetry.lock', manifests: 'pyproject.toml poetry.lock', cacheDir: '/root/.cache/pypoetry', ciCache: 'poetry', ciInstall: 'poetry install --no-interaction --no-root', runPrefix: 'poetry run ' },
  pipenv: { lockfile: 'Pipfile.lock', manifests: 'Pipfile Pipfile.lock', cacheDir: '/root/.cache/pip', ciCache: 'pipenv', ciInstall: 'pipenv install --deploy --dev', runPrefix: 'pipenv run ' },
  pip: { lockfile: 'requirements.txt', manifests: 'requirements*.txt', cacheDir: '/root/.cache/pip', ciCache: 'pip', ciInstall: 'python -m pip install -r requirements.txt', runPrefix: '' },
};

/** Directories whose files carry a content hash in their names, per site builder: safe to cache for a year. */
const IMMUTABLE_PATHS: Record<WebFramework, string[]> = {
  vite: ['/assets/'],
  docusaurus: ['/assets/'],
  cra: ['/static/'],
  gatsby: ['/static/'],
  astro: ['/_astro/'],
  next: ['/_next/static/'],
  nuxt: ['/_nuxt/'],
  sveltekit: ['/_app/immutable/'],
  remix: ['/assets/'],
  'react-router': ['/assets/'],
};

/** Site builders whose output is a single-page app: unknown paths are the app's routes. */
const SPA_FRAMEWORKS = new Set<WebFramework>(['vite', 'cra', 'remix', 'react-router']);

/** The runtime an image ends with; it decides the probe, the user and the signal handling. */
export type Runtime = 'node' | 'python' | 'go' | 'nginx';

export function runtimeOf(s: Pick<ServiceConfig, 'stack' | 'kind'>): Runtime {
  if (s.stack === 'static' || (s.stack === 'node' && s.kind === 'static')) return 'nginx';
  return s.stack === 'node' ? 'node' : s.stack;
}

/** The same health probe in three forms: HEALTHCHECK, compose `test` and a `docker exec` command line. */
export interface Probe {
  healthCheckArgs: string;
  composeHealthTest: string;
  healthProbeShell: string;
}

/**
 * A probe that needs nothing the runtime image lacks (curl and wget are often missing):
 * node's fetch, python's urllib, a static Go binary built beside the app (distroless has no
 * shell), and for nginx bash's /dev/tcp (bash, head and grep are Essential in every Debian image).
 * Node and Python read PORT at run time so the check follows a port override.
 */
export function probe(s: Pick<ServiceConfig, 'stack' | 'kind' | 'port' | 'healthPath'>): Probe {
  const forms = (argv: string[], shell: string): Probe => ({
    healthCheckArgs: JSON.stringify(argv),
    composeHealthTest: JSON.stringify(['CMD', ...argv]),
    healthProbeShell: shell,
  });
  switch (runtimeOf(s)) {
    case 'node': {
      const js = `fetch('http://127.0.0.1:'+(process.env.PORT||${s.port})+'${s.healthPath}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
      return forms(['node', '-e', js], `node -e "${js}"`);
    }
    case 'python': {
      // urlopen raises on a refused connection, a timeout and any 4xx/5xx: a non-zero exit.
      const py = `import os,urllib.request as u;u.urlopen('http://127.0.0.1:'+os.environ.get('PORT','${s.port}')+'${s.healthPath}',timeout=4)`;
      return forms(['python', '-c', py], `python -c "${py}"`);
    }
    case 'go':
      return forms([GO_PROBE_PATH], GO_PROBE_PATH);
    case 'nginx': {
      const sh = `exec 3<>/dev/tcp/127.0.0.1/${s.port} && printf "GET ${s.healthPath} HTTP/1.0\\r\\n\\r\\n" >&3 && head -n 1 <&3 | grep -q " 200 "`;
      return forms(['bash', '-c', sh], `bash -c '${sh}'`);
    }
  }
}

const GO_PROBE_PATH = '/usr/local/bin/healthcheck';

/** The Go health probe's source, one printf argument per line (single-quoted for the shell). */
function goProbeLines(port: number, healthPath: string): string[] {
  return [
    'package main',
    'import ("net/http"; "os"; "time")',
    'func main() {',
    'port := os.Getenv("PORT")',
    `if port == "" { port = "${port}" }`,
    'client := http.Client{Timeout: 4 * time.Second}',
    `resp, err := client.Get("http://127.0.0.1:" + port + "${healthPath}")`,
    'if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 { os.Exit(1) }',
    '}',
  ];
}

export interface NodeStackView {
  packageManager: NodePackageManager;
  lockfile: string;
  manifests: string;
  installAll: string;
  installProd: string;
  prune: string;
  cacheDir: string;
  setupNodeCache: string;
  pmInstall: string | null;
  usesPnpm: boolean;
  next: boolean;
  nuxt: boolean;
  /** SvelteKit, Astro, Remix, React Router: their server bundle plus production node_modules. */
  bundleSsr: boolean;
  /** Remix / React Router serve public/ beside the build. */
  copyPublic: boolean;
  /** The variable the SSR server reads its bind address from (HOSTNAME for Next.js, HOST for the others). */
  hostEnv: string | null;
  /** Files `find` keeps in the workspace manifests stage. */
  manifestKeep: string;
}

export interface PythonStackView {
  packageManager: PythonPackageManagerName;
  lockfile: string;
  manifests: string;
  cacheDir: string;
  uv: boolean;
  poetry: boolean;
  pipenv: boolean;
  pip: boolean;
  /** Exact tool version installed in the build stage and CI (uv, poetry, pipenv); null for pip. */
  toolVersion: string | null;
  ciInstall: string;
  /** setup-python's `cache:` (setup-uv caches uv's own). */
  ciCache: string | null;
  server: string;
  django: boolean;
  streamlit: boolean;
  gradio: boolean;
  collectstatic: boolean;
  /** Describes the entrypoint for comments: "main:app", or the script. */
  entrypoint: string | null;
}

export interface GoStackView {
  mainPackage: string;
  binary: string;
  binaryPath: string;
  /** CMD after the ENTRYPOINT binary (JSON array), or null. */
  args: string | null;
  probeLines: string[];
  probePath: string;
  /** distroless's nonroot uid:gid. */
  user: string;
}

export interface NginxStackView {
  /** Repo path of the generated nginx.conf. */
  confFile: string;
  immutablePaths: string[];
  spa: boolean;
  user: string;
}

export interface StackFields {
  runtime: Runtime;
  runtimeNode: boolean;
  runtimePython: boolean;
  runtimeGo: boolean;
  runtimeNginx: boolean;
  /** The service has a test job in CI (a static site without a build has nothing to test). */
  testJob: boolean;
  languageVersion: string;
  /** Image of the build stage (and of GitLab's test job). */
  baseImage: string;
  /** Image of the final stage. */
  runtimeImage: string;
  /** Repo path of the lockfile CI keys its cache on, or null. */
  lockfilePath: string | null;
  /** Human summary of the image for the runbook. */
  imageSummary: string;
  /** What the app runs as, for the runbook. */
  runsAs: string;
  tiniNeeded: boolean;
  node: NodeStackView | null;
  python: PythonStackView | null;
  go: GoStackView | null;
  nginx: NginxStackView | null;
}

function join(dir: string, file: string): string {
  return dir ? `${dir}/${file}` : file;
}

/**
 * Everything stack-specific about one service. `dir` is its directory in the repo ("" for the
 * root); `workspaceDir` the Node workspace root it builds from, when it has one.
 */
export function stackFields(s: ServiceConfig, dir: string, workspaceDir: string | null): StackFields {
  const runtime = runtimeOf(s);
  const base = {
    runtime,
    runtimeNode: runtime === 'node',
    runtimePython: runtime === 'python',
    runtimeGo: runtime === 'go',
    runtimeNginx: runtime === 'nginx',
    testJob: s.stack !== 'static',
    node: null,
    python: null,
    go: null,
    nginx: null,
  };
  const nginx = (spaDefault: boolean, immutablePaths: string[]): NginxStackView => ({
    confFile: join(dir, 'nginx.conf'),
    immutablePaths,
    spa: s.spa ?? spaDefault,
    user: NGINX_USER,
  });
  switch (s.stack) {
    case 'node': {
      const pmName = (s.packageManager ?? 'npm') as NodePackageManager;
      const pm = NODE_PM[pmName];
      const version = s.packageManagerVersion ?? (pmName === 'npm' ? null : PACKAGE_MANAGER_DEFAULTS[pmName]);
      const languageVersion = s.languageVersion ?? NODE_LTS_MAJOR;
      const kind = s.kind ?? 'server';
      const web = s.webFramework ?? null;
      const node: NodeStackView = {
        packageManager: pmName,
        lockfile: pm.lockfile,
        manifests: `package.json ${pm.lockfile}`,
        installAll: pm.installAll,
        installProd: pm.installProd,
        prune: pm.prune,
        cacheDir: pm.cacheDir,
        setupNodeCache: pm.setupNodeCache,
        // --force: some images already carry a yarn binary, and a plain global install would refuse to replace it.
        pmInstall: pmName === 'npm' ? null : `npm install --global --no-fund --no-audit${pmName === 'yarn' ? ' --force' : ''} ${pmName}@${version}`,
        usesPnpm: pmName === 'pnpm',
        next: kind === 'ssr' && web === 'next',
        nuxt: kind === 'ssr' && web === 'nuxt',
        bundleSsr: kind === 'ssr' && web !== 'next' && web !== 'nuxt',
        copyPublic: kind === 'ssr' && (web === 'remix' || web === 'react-router'),
        hostEnv: kind === 'ssr' ? (web === 'next' ? 'HOSTNAME' : 'HOST') : null,
        manifestKeep: ['package.json', pm.lockfile, ...(pmName === 'pnpm' ? ['pnpm-workspace.yaml'] : []), '.npmrc', ...(pmName === 'yarn' ? ['.yarnrc'] : [])]
          .map((f) => `! -name ${f}`)
          .join(' '),
      };
      const nodeBase = nodeImage(languageVersion);
      const staticSite = kind === 'static';
      const what = staticSite
        ? `a ${web ?? 'static'} site built with Node.js ${languageVersion}, served by nginx`
        : kind === 'ssr'
          ? `${web ?? 'SSR'} on Node.js ${languageVersion}`
          : `${s.framework && s.framework !== 'none' ? s.framework : 'Node.js'} on Node.js ${languageVersion}`;
      return {
        ...base,
        languageVersion,
        baseImage: nodeBase,
        runtimeImage: staticSite ? NGINX_IMAGE : nodeBase,
        lockfilePath: join(workspaceDir ?? dir, pm.lockfile),
        imageSummary: what,
        runsAs: staticSite ? `the unprivileged nginx user (uid ${NGINX_USER.split(':')[0]})` : 'the unprivileged `node` user under tini',
        tiniNeeded: !staticSite,
        node,
        nginx: staticSite ? nginx(web !== null && SPA_FRAMEWORKS.has(web), web ? IMMUTABLE_PATHS[web] : []) : null,
      };
    }
    case 'python': {
      const pmName = (s.packageManager ?? 'pip') as PythonPackageManagerName;
      const pm = PY_PM[pmName];
      const languageVersion = s.languageVersion ?? PYTHON_DEFAULT;
      const tool = pmName === 'pip' ? null : (s.packageManagerVersion ?? PYTHON_TOOLS[pmName]);
      const server = s.server ?? 'python';
      const framework = s.framework ?? 'none';
      const python: PythonStackView = {
        packageManager: pmName,
        lockfile: pm.lockfile,
        manifests: pm.manifests,
        cacheDir: pm.cacheDir,
        uv: pmName === 'uv',
        poetry: pmName === 'poetry',
        pipenv: pmName === 'pipenv',
        pip: pmName === 'pip',
        toolVersion: tool,
        ciInstall: pm.ciInstall,
        ciCache: pm.ciCache,
        server,
        django: framework === 'django',
        streamlit: framework === 'streamlit',
        gradio: framework === 'gradio',
        collectstatic: s.collectstatic ?? false,
        entrypoint: s.entrypoint ?? null,
      };
      const image = pythonImage(languageVersion);
      // A plain `python app.py` (and Gradio, which is one) ignores SIGTERM as PID 1; the servers handle it.
      const tiniNeeded = server === 'python';
      return {
        ...base,
        languageVersion,
        baseImage: image,
        runtimeImage: image,
        lockfilePath: join(dir, pm.lockfile),
        imageSummary: `${framework === 'none' ? 'Python' : framework} on Python ${languageVersion}, served by ${server}`,
        runsAs: `the unprivileged \`app\` user (uid 1000)${tiniNeeded ? ' under tini' : ''}`,
        tiniNeeded,
        python,
      };
    }
    case 'go': {
      const languageVersion = s.languageVersion ?? GO_DEFAULT;
      const words = (s.start ?? s.name).split(/ +/);
      const binary = words[0] ?? s.name;
      const go: GoStackView = {
        mainPackage: s.mainPackage ?? '.',
        binary,
        binaryPath: `/usr/local/bin/${binary}`,
        args: words.length > 1 ? JSON.stringify(words.slice(1)) : null,
        probeLines: goProbeLines(s.port, s.healthPath),
        probePath: GO_PROBE_PATH,
        user: DISTROLESS_NONROOT,
      };
      return {
        ...base,
        languageVersion,
        baseImage: goImage(languageVersion),
        runtimeImage: DISTROLESS_STATIC_IMAGE,
        lockfilePath: null,
        imageSummary: `a static Go ${languageVersion} binary on distroless`,
        runsAs: `distroless's unprivileged \`nonroot\` user (uid ${DISTROLESS_NONROOT.split(':')[0]})`,
        tiniNeeded: false,
        go,
      };
    }
    case 'static':
      return {
        ...base,
        languageVersion: '',
        baseImage: NGINX_IMAGE,
        runtimeImage: NGINX_IMAGE,
        lockfilePath: null,
        imageSummary: 'static files served by nginx',
        runsAs: `the unprivileged nginx user (uid ${NGINX_USER.split(':')[0]})`,
        tiniNeeded: false,
        nginx: nginx(false, []),
      };
  }
}

/** The go.mod `go` line is a minimum: the newest Go builds it, unless it asks for something newer still. */
export function goVersionFor(detected: string | undefined): string {
  const minor = detected?.split('.').slice(0, 2).join('.');
  if (!minor || !/^1\.\d+$/.test(minor)) return GO_DEFAULT;
  return Number(minor.split('.')[1]) > Number(GO_DEFAULT.split('.')[1]) ? minor : GO_DEFAULT;
}
