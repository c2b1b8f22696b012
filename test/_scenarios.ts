import type { DeployKitConfig, ServiceConfig } from '../src/config/types.js';

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
    { name: 'web', path: 'services/web', framework: 'koa', packageManager: 'yarn', languageVersion: '26', test: null, start: 'node index.js', port: 4000, healthPath: '/api/health' },
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
        { type: 'vps', domain: 'orders.example.org', environment: 'prod', appDir: '/opt/orders', sshUser: 'ship', bluePort: 9101, greenPort: 9102, keepReleases: 3 },
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
};
