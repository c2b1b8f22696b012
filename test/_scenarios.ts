import type { DeployKitConfig, EnvVarConfig, ServiceConfig } from '../src/config/types.js';
import { platformScenarios } from './_targets-scenarios.js';

/** A complete config for tests; override only what a test is about. */
export function baseConfig(over: Partial<DeployKitConfig> = {}, svc: Partial<ServiceConfig> = {}): DeployKitConfig {
  return {
    version: 1,
    name: 'express-api',
    services: [
      {
        name: 'app',
        path: '.',
        stack: 'node',
        framework: 'express',
        packageManager: 'npm',
        packageManagerVersion: null,
        languageVersion: '22',
        build: null,
        test: 'npm test',
        start: 'node src/server.js',
        port: 3000,
        healthPath: '/health',
        ...svc,
      },
    ],
    branches: { production: 'trunk', staging: null },
    ci: { provider: 'github' },
    targets: [{ type: 'compose' }],
    env: [
      { name: 'APP_VERSION', required: false, secret: false, description: 'Read at src/app.js:16.' },
      { name: 'PORT', required: false, secret: false, description: 'Port the app listens on.', example: '3000' },
    ],
    ...over,
  };
}

/**
 * Every snapshot scenario: stack x options. A new target or stack adds one here, then
 * `UPDATE_SNAPSHOTS=1 npm test` writes snapshots/<name>/ for review.
 */
export const scenarios: Record<string, DeployKitConfig> = {
  // The bundled example, as `init --yes` configures it.
  'express-npm': baseConfig(),
  // A TypeScript Fastify service: build step, pinned pnpm, staging branch, secrets.
  'fastify-pnpm-build': baseConfig(
    {
      name: 'orders',
      branches: { production: 'main', staging: 'develop' },
      env: [
        { name: 'DATABASE_URL', required: true, secret: true, description: 'PostgreSQL connection string.' },
        { name: 'LOG_LEVEL', required: false, secret: false, description: 'pino log level.', example: 'info' },
        { name: 'PORT', required: false, secret: false, description: 'Port the app listens on.', example: '8080' },
      ],
    },
    {
      name: 'api',
      framework: 'fastify',
      packageManager: 'pnpm',
      packageManagerVersion: '9.15.0',
      languageVersion: '26',
      build: 'pnpm run build',
      test: 'pnpm test',
      start: 'node --enable-source-maps dist/main.js',
      port: 8080,
      healthPath: '/healthz',
    },
  ),
  // Yarn classic Koa app in a subfolder, without tests, on the default LTS, no compose target.
  'koa-yarn-subdir': baseConfig(
    { name: 'web', branches: { production: 'master', staging: null }, targets: [], env: [] },
    {
      name: 'web',
      path: 'services/web',
      framework: 'koa',
      packageManager: 'yarn',
      languageVersion: '26',
      test: null,
      start: 'node index.js',
      port: 4000,
      healthPath: '/api/health',
    },
  ),
  // The example on a VPS through GitHub Actions: staging from `develop` (default staging domain),
  // monitoring, rate limiting and an extra smoke test; compose kept alongside.
  'express-vps-github': baseConfig({
    branches: { production: 'trunk', staging: 'develop' },
    targets: [
      { type: 'compose' },
      { type: 'vps', domain: 'api.example.com', monitoring: true, rateLimit: 20, smokeTests: [{ path: '/', status: 200 }] },
    ],
  }),
  // A pnpm-built Fastify service on a VPS through GitLab CI: production only, its own host
  // directory, ports, account and release count; no monitoring.
  'fastify-vps-gitlab': baseConfig(
    {
      name: 'orders',
      branches: { production: 'main', staging: null },
      ci: { provider: 'gitlab' },
      targets: [
        {
          type: 'vps',
          domain: 'orders.example.org',
          environment: 'prod',
          appDir: '/opt/orders',
          sshUser: 'ship',
          bluePort: 9101,
          greenPort: 9102,
          keepReleases: 3,
        },
      ],
      env: [
        { name: 'DATABASE_URL', required: true, secret: true, description: 'PostgreSQL connection string.' },
        { name: 'PORT', required: false, secret: false, description: 'Port the app listens on.', example: '8080' },
      ],
    },
    {
      name: 'api',
      framework: 'fastify',
      packageManager: 'pnpm',
      packageManagerVersion: '9.15.0',
      languageVersion: '26',
      build: 'pnpm run build',
      test: 'pnpm test',
      start: 'node dist/main.js',
      port: 8080,
      healthPath: '/healthz',
    },
  ),
  ...stackScenarios(),
  ...platformScenarios(),
};

/** A config with one service of any stack (no Node defaults mixed in). */
function single(name: string, service: ServiceConfig, over: Partial<DeployKitConfig> = {}): DeployKitConfig {
  const env: EnvVarConfig[] =
    service.stack === 'static' || service.kind === 'static'
      ? []
      : [{ name: 'PORT', required: false, secret: false, description: 'Port the app listens on.', example: String(service.port) }];
  return {
    version: 1,
    name,
    services: [service],
    branches: { production: 'main', staging: null },
    ci: { provider: 'github' },
    targets: [{ type: 'compose' }],
    env,
    ...over,
  };
}

/**
 * One scenario per stack and framework family, shaped like the fixture repos in test/fixtures
 * as `init --yes` configures them. They vary the CI provider and targets on purpose, so every
 * template meets every stack at least once.
 */
function stackScenarios(): Record<string, DeployKitConfig> {
  return {
    // Next.js with output: 'standalone' (test/fixtures/next-standalone).
    'next-standalone': single('next-shop', {
      name: 'app',
      path: '.',
      stack: 'node',
      kind: 'ssr',
      webFramework: 'next',
      outputDir: '.next/standalone',
      packageManager: 'npm',
      packageManagerVersion: null,
      languageVersion: '22',
      build: 'npm run build',
      test: null,
      start: 'node server.js',
      port: 3000,
      healthPath: '/api/health',
    }, {
      // NEXT_PUBLIC_* is inlined at build time (a build argument); the rest stays run-time env.
      env: [
        { name: 'NEXT_PUBLIC_SITE_URL', required: false, secret: false, description: 'Read at app/layout.js:3.' },
        { name: 'PORT', required: false, secret: false, description: 'Port the app listens on.', example: '3000' },
        { name: 'SHOP_API_TOKEN', required: true, secret: true, description: 'Read at app/api/cart/route.js:2.' },
      ],
    }),
    // Nuxt on pnpm: the Nitro server in .output needs no node_modules (test/fixtures/nuxt-ssr); GitLab CI.
    'nuxt-ssr': single(
      'nuxt-blog',
      {
        name: 'app',
        path: '.',
        stack: 'node',
        kind: 'ssr',
        webFramework: 'nuxt',
        outputDir: '.output',
        packageManager: 'pnpm',
        packageManagerVersion: '9.15.0',
        languageVersion: '26',
        build: 'pnpm run build',
        test: 'pnpm test',
        start: 'node .output/server/index.mjs',
        port: 3000,
        healthPath: '/api/healthz',
      },
      { ci: { provider: 'gitlab' } },
    ),
    // SvelteKit with adapter-node writing server-build/ (test/fixtures/sveltekit-node).
    'sveltekit-node': single('svelte-shop', {
      name: 'app',
      path: '.',
      stack: 'node',
      kind: 'ssr',
      webFramework: 'sveltekit',
      outputDir: 'server-build',
      packageManager: 'npm',
      packageManagerVersion: null,
      languageVersion: '26',
      build: 'npm run build',
      test: null,
      start: 'node server-build',
      port: 3000,
      healthPath: '/healthz',
    }),
    // Astro with @astrojs/node standalone on port 4000 (test/fixtures/astro-ssr), on a VPS.
    'astro-ssr': single(
      'astro-news',
      {
        name: 'app',
        path: '.',
        stack: 'node',
        kind: 'ssr',
        webFramework: 'astro',
        outputDir: 'dist',
        packageManager: 'npm',
        packageManagerVersion: null,
        languageVersion: '26',
        build: 'npm run build',
        test: null,
        start: 'node ./dist/server/entry.mjs',
        port: 4000,
        healthPath: '/api/health',
      },
      { targets: [{ type: 'compose' }, { type: 'vps', domain: 'news.example.com' }] },
    ),
    // React Router (framework mode) on Yarn classic, served by react-router-serve (test/fixtures/react-router-serve).
    'react-router-serve': single('rr-app', {
      name: 'app',
      path: '.',
      stack: 'node',
      kind: 'ssr',
      webFramework: 'react-router',
      outputDir: 'build',
      packageManager: 'yarn',
      packageManagerVersion: null,
      languageVersion: '26',
      build: 'yarn build',
      test: null,
      start: 'node_modules/.bin/react-router-serve ./build/server/index.js',
      port: 3000,
      healthPath: '/healthz',
    }),
    // A Vite single-page app built to www/ and served by nginx (test/fixtures/vite-spa); GitLab CI and a VPS.
    'vite-static': single(
      'vite-dashboard',
      {
        name: 'web',
        path: '.',
        stack: 'node',
        kind: 'static',
        webFramework: 'vite',
        outputDir: 'www',
        packageManager: 'npm',
        packageManagerVersion: null,
        languageVersion: '26',
        build: 'npm run build',
        test: 'npm test',
        port: 8080,
        healthPath: '/healthz',
      },
      {
        ci: { provider: 'gitlab' },
        targets: [{ type: 'compose' }, { type: 'vps', domain: 'dash.example.com' }],
        // Inlined by Vite at build time: a build argument (compose, GitLab's docker build), never run-time env.
        env: [{ name: 'VITE_API_URL', required: false, secret: false, description: 'Read at src/main.tsx:1.' }],
      },
    ),
    // VitePress docs built by `vitepress build docs` under docs:build (the scaffold's name) into docs/.vitepress/dist
    // for the base path /handbook, also published to GitHub Pages (its base path as `--base`).
    'vitepress-docs': single(
      'handbook',
      {
        name: 'docs',
        path: '.',
        stack: 'node',
        kind: 'static',
        webFramework: 'vitepress',
        outputDir: 'docs/.vitepress/dist',
        // Its config's `base: '/handbook/'`: the image serves the site there, and / redirects to it.
        basePath: '/handbook',
        packageManager: 'pnpm',
        packageManagerVersion: '10.12.1',
        languageVersion: '22',
        build: 'pnpm run docs:build',
        test: null,
        port: 8080,
        healthPath: '/healthz',
      },
      { targets: [{ type: 'compose' }, { type: 'github-pages' }] },
    ),
    // An Eleventy blog: real pages and a 404.html in _site/, no hashed assets (nothing cached for a year).
    'eleventy-blog': single('notes', {
      name: 'site',
      path: '.',
      stack: 'node',
      kind: 'static',
      webFramework: 'eleventy',
      outputDir: '_site',
      packageManager: 'npm',
      packageManagerVersion: null,
      languageVersion: '22',
      build: 'npm run build',
      test: null,
      port: 8080,
      healthPath: '/healthz',
    }),
    // A plain HTML site: nginx serves the repository's files (test/fixtures/static-site).
    'static-html': single('brochure', { name: 'site', path: '.', stack: 'static', port: 8080, healthPath: '/healthz' }),
    // FastAPI on uv, src layout (test/fixtures/py-uv-fastapi), on a VPS with staging.
    'fastapi-uv': single(
      'acme-api',
      {
        name: 'api',
        path: '.',
        stack: 'python',
        framework: 'fastapi',
        server: 'uvicorn',
        entrypoint: 'acme_api.api:app',
        packageManager: 'uv',
        packageManagerVersion: null,
        languageVersion: '3.12',
        test: 'uv run pytest',
        start: 'uvicorn acme_api.api:app --host 0.0.0.0 --port 8000 --app-dir src',
        port: 8000,
        healthPath: '/healthz',
      },
      {
        branches: { production: 'main', staging: 'develop' },
        targets: [{ type: 'compose' }, { type: 'vps', domain: 'api.acme.example' }],
        // The host runs only an image the repository's deploy workflow attested.
        security: { verifyImages: true, repository: 'Acme/acme-api' },
      },
    ),
    // A FastAPI member of a uv workspace whose uv.lock is at the root (test/fixtures/uv-workspace-root): built from the root.
    'fastapi-uv-workspace': single(
      'items',
      {
        name: 'api',
        path: 'backend',
        stack: 'python',
        framework: 'fastapi',
        server: 'uvicorn',
        entrypoint: 'app.main:app',
        packageManager: 'uv',
        workspaceRoot: '.',
        packageManagerVersion: null,
        languageVersion: '3.13',
        test: 'uv run pytest',
        start: 'uvicorn app.main:app --host 0.0.0.0 --port 8000',
        port: 8000,
        healthPath: '/api/v1/utils/health-check/',
      },
      { ci: { provider: 'gitlab' }, addons: { postgres: true } },
    ),
    // Django on Poetry with collectstatic, migrations as a release step and PostgreSQL (test/fixtures/py-poetry-django); GitLab CI.
    'django-poetry': single(
      'mysite',
      {
        name: 'web',
        path: '.',
        stack: 'python',
        framework: 'django',
        server: 'gunicorn',
        entrypoint: 'mysite.wsgi:application',
        collectstatic: true,
        migrate: 'python manage.py migrate --noinput',
        packageManager: 'poetry',
        packageManagerVersion: null,
        languageVersion: '3.11',
        test: null,
        start: 'gunicorn --bind 0.0.0.0:8000 mysite.wsgi:application',
        port: 8000,
        healthPath: '/healthz/',
      },
      {
        ci: { provider: 'gitlab' },
        addons: { postgres: true },
        env: [
          {
            name: 'ALLOWED_HOSTS',
            required: true,
            secret: false,
            description: 'Read at mysite/settings.py:7. Include 127.0.0.1 for the container health check.',
            example: 'example.com,127.0.0.1',
          },
          { name: 'DJANGO_SECRET_KEY', required: true, secret: true, description: 'Read at mysite/settings.py:5.' },
          { name: 'PORT', required: false, secret: false, description: 'Port the app listens on.', example: '8000' },
        ],
      },
    ),
    // Flask on Pipenv with Redis (test/fixtures/py-pipenv-flask).
    'flask-pipenv': single(
      'flask-app',
      {
        name: 'app',
        path: '.',
        stack: 'python',
        framework: 'flask',
        server: 'gunicorn',
        entrypoint: 'app:app',
        packageManager: 'pipenv',
        packageManagerVersion: null,
        languageVersion: '3.12',
        test: 'pipenv run pytest',
        start: 'gunicorn --bind 0.0.0.0:8080 app:app',
        port: 8080,
        healthPath: '/health',
      },
      { addons: { redis: true } },
    ),
    // Streamlit on pip (test/fixtures/py-streamlit).
    streamlit: single('dashboard', {
      name: 'app',
      path: '.',
      stack: 'python',
      framework: 'streamlit',
      server: 'streamlit',
      entrypoint: 'streamlit_app.py',
      packageManager: 'pip',
      packageManagerVersion: null,
      languageVersion: '3.14',
      test: null,
      start: 'streamlit run streamlit_app.py --server.port 8501 --server.address 0.0.0.0',
      port: 8501,
      healthPath: '/_stcore/health',
    }),
    // Gradio started as `python app.py` under tini (test/fixtures/py-gradio).
    gradio: single('demo', {
      name: 'app',
      path: '.',
      stack: 'python',
      framework: 'gradio',
      server: 'python',
      entrypoint: 'app.py',
      packageManager: 'pip',
      packageManagerVersion: null,
      languageVersion: '3.14',
      test: null,
      start: 'python app.py',
      port: 7860,
      healthPath: '/',
    }),
    // A dependency-free http.server script (test/fixtures/py-plain).
    'python-plain': single('hello-py', {
      name: 'app',
      path: '.',
      stack: 'python',
      framework: 'none',
      server: 'python',
      entrypoint: 'app.py',
      packageManager: 'pip',
      packageManagerVersion: null,
      languageVersion: '3.14',
      test: null,
      start: 'python app.py',
      port: 8000,
      healthPath: '/health',
    }),
    // No lockfile in the repo (test/fixtures/no-lockfile): a plain npm install, no npm ci, no copy of a missing lockfile.
    'node-no-lockfile': single(
      'no-lock',
      {
        name: 'app',
        path: '.',
        stack: 'node',
        framework: 'none',
        lockfile: false,
        packageManager: 'npm',
        packageManagerVersion: null,
        languageVersion: '26',
        build: null,
        test: null,
        start: 'node index.js',
        port: 5000,
      },
      { branches: { production: 'main', staging: null } },
    ),
    // A Go and a Python service that serve no health route: TCP probes, GitLab's smoke test runs the image's own probe.
    'go-python-tcp-gitlab': {
      version: 1,
      name: 'tcp',
      services: [
        { name: 'api', path: 'api', stack: 'go', mainPackage: '.', languageVersion: '1.27', test: 'go test ./...', start: 'api', port: 8080 },
        {
          name: 'worker',
          path: 'worker',
          stack: 'python',
          framework: 'flask',
          server: 'gunicorn',
          installServer: true,
          entrypoint: 'app:app',
          lockfile: false,
          packageManager: 'pip',
          packageManagerVersion: null,
          languageVersion: '3.12',
          test: null,
          start: 'gunicorn app:app --bind 0.0.0.0:8000',
          port: 8000,
        },
      ],
      branches: { production: 'main', staging: null },
      ci: { provider: 'gitlab' },
      targets: [{ type: 'compose' }],
      env: [],
    },
    // Go with chi, main package in cmd/api, on a VPS through GitLab (test/fixtures/go-chi).
    'go-chi': single(
      'orders',
      {
        name: 'api',
        path: '.',
        stack: 'go',
        mainPackage: './cmd/api',
        languageVersion: '1.27',
        test: 'go test ./...',
        start: 'api',
        port: 9090,
        healthPath: '/healthz',
      },
      { ci: { provider: 'gitlab' }, targets: [{ type: 'compose' }, { type: 'vps', domain: 'orders.example.com' }] },
    ),
    // Elysia on Bun with a build step and bunfig.toml, on a VPS through GitHub Actions (test/fixtures/bun-elysia).
    'bun-elysia': single(
      'orders-bun',
      {
        name: 'app',
        path: '.',
        stack: 'bun',
        framework: 'elysia',
        languageVersion: '1.3',
        build: 'bun run build',
        test: 'bun run test',
        start: 'bun run src/server.ts',
        port: 8080,
        healthPath: '/healthz',
      },
      { targets: [{ type: 'compose' }, { type: 'vps', domain: 'orders.example.com' }] },
    ),
    // A Vite site whose packages bun installs: built with bun, served by nginx (test/fixtures/e2e/bun-vite-site).
    'bun-vite-site': single('bun-site', {
      name: 'app',
      path: '.',
      stack: 'bun',
      kind: 'static',
      webFramework: 'vite',
      outputDir: 'dist',
      languageVersion: '1.3',
      build: 'bun run build',
      test: null,
      port: 8080,
      healthPath: '/healthz',
    }),
    // A Vite site in a bun workspace (bun.lock at the root, built from there) beside a FastAPI backend; GitLab CI
    // (test/fixtures/e2e/bun-vite-workspace).
    'bun-workspace-site': {
      version: 1,
      name: 'full-stack',
      services: [
        {
          name: 'backend',
          path: 'backend',
          stack: 'python',
          framework: 'fastapi',
          server: 'uvicorn',
          entrypoint: 'app.main:app',
          packageManager: 'uv',
          packageManagerVersion: null,
          languageVersion: '3.14',
          test: null,
          start: 'uvicorn app.main:app --host 0.0.0.0 --port 8000',
          port: 8000,
          healthPath: '/api/v1/utils/health-check/',
        },
        {
          name: 'frontend',
          path: 'frontend',
          stack: 'bun',
          kind: 'static',
          webFramework: 'vite',
          outputDir: 'dist',
          workspaceRoot: '.',
          languageVersion: '1.3',
          build: 'bun run build',
          test: null,
          port: 8080,
          healthPath: '/healthz',
        },
      ],
      branches: { production: 'main', staging: null },
      ci: { provider: 'gitlab' },
      targets: [{ type: 'compose' }],
      env: [{ name: 'PORT', required: false, secret: false, description: 'Port each service listens on (set per service by compose).' }],
    },
    // Rails 8 with Puma, bootsnap, propshaft and Postgres, to a VPS through GitHub Actions (test/fixtures/rails-shop).
    'rails-shop': single(
      'shop-rails',
      {
        name: 'app',
        path: '.',
        stack: 'ruby',
        framework: 'rails',
        languageVersion: '3.4',
        gems: ['bootsnap', 'pg'],
        build: 'bin/rails assets:precompile',
        test: 'bin/rails test',
        start: 'bundle exec puma -C config/puma.rb',
        migrate: 'bin/rails db:prepare',
        port: 3000,
        healthPath: '/up',
      },
      { targets: [{ type: 'compose' }, { type: 'vps', domain: 'shop.example.com' }] },
    ),
    // Phoenix 1.8 with Bandit, Ecto on PostgreSQL, esbuild assets and a Release module, to a VPS through GitHub Actions (test/fixtures/phoenix-shop).
    'phoenix-shop': single(
      'shop-phoenix',
      {
        name: 'app',
        path: '.',
        stack: 'elixir',
        framework: 'phoenix',
        languageVersion: '1.19',
        otpVersion: '28',
        compileConfig: ['config/config.exs', 'config/prod.exs'],
        build: 'mix assets.deploy',
        test: 'mix test',
        start: 'bin/shop start',
        migrate: 'bin/shop eval Shop.Release.migrate',
        port: 4000,
        healthPath: '/api/health',
      },
      {
        targets: [{ type: 'compose' }, { type: 'vps', domain: 'shop.example.com' }],
        addons: { postgres: true },
        env: [
          { name: 'DATABASE_URL', required: false, secret: true, description: 'Read at config/runtime.exs:9.' },
          { name: 'PHX_HOST', required: false, secret: false, description: 'The public host name Phoenix builds URLs with. Read at config/runtime.exs:17.' },
          { name: 'PORT', required: false, secret: false, description: 'Port the app listens on.', example: '4000' },
          { name: 'SECRET_KEY_BASE', required: true, secret: true, description: 'Signs and encrypts cookies and tokens. Read at config/runtime.exs:16.' },
        ],
      },
    ),
    // Phoenix with Ecto on PostgreSQL in a subdirectory, through GitLab CI: the test job's PostgreSQL service, reached on localhost.
    'phoenix-gitlab': single(
      'blog-phoenix',
      {
        name: 'blog',
        path: 'apps/blog',
        stack: 'elixir',
        framework: 'phoenix',
        languageVersion: '1.19',
        otpVersion: '28',
        compileConfig: ['config/config.exs', 'config/prod.exs'],
        build: 'mix assets.deploy',
        test: 'mix test',
        start: 'bin/blog start',
        migrate: 'bin/blog eval Blog.Release.migrate',
        port: 4000,
        healthPath: '/health',
      },
      { ci: { provider: 'gitlab' }, addons: { postgres: true } },
    ),
    // Phoenix reading its port and database URL under its own names (LEDGER_PORT, LEDGER_DATABASE_URL; test/fixtures/phoenix-own-env):
    // the kit sets them where it sets PORT and DATABASE_URL, on compose, a VPS and Kubernetes.
    'phoenix-own-env': single(
      'ledger-phoenix',
      {
        name: 'app',
        path: '.',
        stack: 'elixir',
        framework: 'phoenix',
        languageVersion: '1.20',
        otpVersion: '29',
        lockfile: false,
        compileConfig: ['config/config.exs', 'config/prod.exs'],
        build: null,
        test: 'mix test',
        start: 'bin/ledger start',
        migrate: 'bin/ledger eval Ledger.Release.migrate',
        port: 4000,
        portEnv: 'LEDGER_PORT',
        databaseUrlEnv: 'LEDGER_DATABASE_URL',
      },
      {
        targets: [{ type: 'compose' }, { type: 'vps', domain: 'ledger.example.com' }, { type: 'kubernetes', domain: 'ledger.example.com' }],
        addons: { postgres: true },
        env: [
          { name: 'LEDGER_DATABASE_URL', required: false, secret: true, description: 'Read at lib/ledger/repo.ex:9.' },
          { name: 'LEDGER_PORT', required: false, secret: false, description: 'Read at config/runtime.exs:6.' },
          { name: 'LEDGER_SECRET_KEY_BASE', required: true, secret: true, description: 'Read at config/runtime.exs:11.' },
        ],
      },
    ),
    // A Plug app under Bandit in a subdirectory, without mix.lock, probed over TCP, through GitLab CI.
    'plug-bandit': single(
      'hello-plug',
      {
        name: 'api',
        path: 'services/api',
        stack: 'elixir',
        framework: 'plug',
        languageVersion: '1.17',
        otpVersion: '27',
        lockfile: false,
        build: null,
        test: 'mix test',
        start: 'bin/hello_api start',
        port: 4001,
      },
      { ci: { provider: 'gitlab' } },
    ),
    // axum on Rust with a rust-toolchain.toml channel, to a VPS through GitHub Actions (test/fixtures/rust-axum).
    'rust-axum': single(
      'orders-rust',
      {
        name: 'app',
        path: '.',
        stack: 'rust',
        framework: 'axum',
        languageVersion: '1.90.0',
        test: 'cargo test --locked',
        start: 'orders-api',
        port: 3000,
        healthPath: '/livez',
      },
      { targets: [{ type: 'compose' }, { type: 'vps', domain: 'orders.example.com' }] },
    ),
    // Spring Boot 3.5 on Maven with Actuator and PostgreSQL, to a VPS through GitHub Actions (test/fixtures/spring-maven).
    'spring-orders': single(
      'orders-spring',
      {
        name: 'app',
        path: '.',
        stack: 'java',
        framework: 'spring-boot',
        frameworkVersion: '3.5.6',
        packageManager: 'maven',
        languageVersion: '21',
        test: './mvnw -B verify',
        port: 8081,
        healthPath: '/actuator/health',
      },
      { targets: [{ type: 'compose' }, { type: 'vps', domain: 'orders.example.com' }], addons: { postgres: true } },
    ),
    // Quarkus on Gradle in a monorepo folder, no health module: the probes connect over TCP (services/catalog), through GitLab CI.
    'quarkus-gradle': single(
      'catalog-quarkus',
      {
        name: 'catalog',
        path: 'services/catalog',
        stack: 'java',
        framework: 'quarkus',
        frameworkVersion: '3.15.1',
        packageManager: 'gradle',
        languageVersion: '25',
        test: './gradlew test --no-daemon',
        port: 8080,
      },
      { ci: { provider: 'gitlab' } },
    ),
    // An ASP.NET Core minimal API in a solution with a lock file and MapHealthChecks, through GitLab CI (test/fixtures/aspnet-minimal).
    'aspnet-orders': single(
      'orders-dotnet',
      {
        name: 'app',
        path: '.',
        stack: 'dotnet',
        framework: 'aspnetcore',
        project: 'src/Orders.Api/Orders.Api.csproj',
        lockfile: true,
        languageVersion: '9.0',
        test: 'dotnet test Orders.sln',
        start: 'dotnet Orders.Api.dll',
        port: 8080,
        healthPath: '/healthz',
      },
      { ci: { provider: 'gitlab' }, targets: [{ type: 'compose' }, { type: 'vps', domain: 'orders.example.com' }] },
    ),
    // Laravel 12 with Vite assets, intl and PostgreSQL, to a VPS through GitHub Actions (test/fixtures/laravel-app).
    'laravel-shop': single(
      'shop-laravel',
      {
        name: 'app',
        path: '.',
        stack: 'php',
        framework: 'laravel',
        languageVersion: '8.5',
        extensions: ['intl', 'pdo_pgsql'],
        build: 'npm run build',
        test: 'php artisan test',
        migrate: 'php artisan migrate --force',
        port: 8080,
        healthPath: '/up',
      },
      { targets: [{ type: 'compose' }, { type: 'vps', domain: 'shop.example.com' }], addons: { postgres: true } },
    ),
    // Symfony 7 on PHP 8.4 with AssetMapper, Doctrine Migrations and zip, through GitLab CI (test/fixtures/symfony-app).
    'symfony-api': single(
      'api-symfony',
      {
        name: 'app',
        path: '.',
        stack: 'php',
        framework: 'symfony',
        languageVersion: '8.4',
        extensions: ['pdo_pgsql', 'zip'],
        build: 'php bin/console importmap:install && php bin/console asset-map:compile',
        test: 'vendor/bin/phpunit',
        migrate: 'php bin/console doctrine:migrations:migrate --no-interaction --allow-no-migration',
        port: 8080,
        healthPath: '/healthz',
      },
      { ci: { provider: 'gitlab' }, targets: [{ type: 'compose' }, { type: 'vps', domain: 'api.example.com' }], addons: { postgres: true } },
    ),
    // Slim 4 laid out like the Slim skeleton, no health route (TCP), its log switched to stdout by `docker` (test/fixtures/slim-app).
    'slim-notes': single(
      'notes-slim',
      {
        name: 'app',
        path: '.',
        stack: 'php',
        framework: 'slim',
        languageVersion: '8.5',
        stdoutLogEnv: 'docker',
        build: null,
        test: 'composer test',
        port: 8080,
      },
      {
        env: [
          { name: 'PORT', required: false, secret: false, description: 'Port the app listens on inside the container.', example: '8080' },
          { name: 'docker', required: false, secret: false, description: 'The image sets it to true, so the app logs to stdout. Read at app/settings.php:15.' },
        ],
      },
    ),
    // Oak on Deno with scoped env permissions and PostgreSQL, through GitLab CI (test/fixtures/deno-oak).
    'deno-oak': single(
      'orders-deno',
      {
        name: 'app',
        path: '.',
        stack: 'deno',
        framework: 'oak',
        languageVersion: '2.5',
        test: 'deno task test',
        start: 'deno run --allow-net --allow-env=PORT,DATABASE_URL src/main.ts',
        port: 8080,
        healthPath: '/livez',
      },
      { ci: { provider: 'gitlab' }, addons: { postgres: true } },
    ),
    // A monorepo: Next.js in an npm workspace (built from the root) and a FastAPI API, with PostgreSQL and Redis (test/fixtures/monorepo).
    'monorepo-web-api': {
      version: 1,
      name: 'acme',
      services: [
        {
          name: 'web',
          path: 'apps/web',
          stack: 'node',
          kind: 'ssr',
          webFramework: 'next',
          outputDir: '.next/standalone',
          workspaceRoot: '.',
          packageManager: 'npm',
          packageManagerVersion: null,
          languageVersion: '22',
          build: 'npm run build',
          test: null,
          start: 'node server.js',
          port: 3000,
          healthPath: '/api/health',
        },
        {
          name: 'api',
          path: 'apps/api',
          stack: 'python',
          framework: 'fastapi',
          server: 'uvicorn',
          entrypoint: 'main:app',
          packageManager: 'pip',
          packageManagerVersion: null,
          languageVersion: '3.14',
          test: null,
          start: 'uvicorn main:app --host 0.0.0.0 --port 8000',
          port: 8000,
          healthPath: '/health',
        },
      ],
      branches: { production: 'main', staging: null },
      ci: { provider: 'github' },
      targets: [{ type: 'compose' }],
      addons: { postgres: true, redis: true },
      env: [{ name: 'PORT', required: false, secret: false, description: 'Port each service listens on (set per service by compose).' }],
    },
  };
}

