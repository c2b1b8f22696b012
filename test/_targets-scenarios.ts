import type { DeployKitConfig, ServiceConfig, TargetConfig } from '../src/config/types.js';

/** One service, GitHub Actions, the given targets: a platform target's scenario. */
function on(name: string, service: ServiceConfig, targets: TargetConfig[], over: Partial<DeployKitConfig> = {}): DeployKitConfig {
  const env =
    service.stack === 'static' || service.kind === 'static'
      ? []
      : [{ name: 'PORT', required: false, secret: false, description: 'Port the app listens on.', example: String(service.port) }];
  return { version: 1, name, services: [service], branches: { production: 'main', staging: null }, ci: { provider: 'github' }, targets, env, ...over };
}

/**
 * A scenario per platform target (hf-spaces, github-pages, vercel, netlify, fly, kubernetes with
 * kubectl and with Argo CD). They are GitHub-only targets: `add` refuses them under GitLab CI.
 */
export function platformScenarios(): Record<string, DeployKitConfig> {
  return {
    // FastAPI on uv as a Docker Space: uvicorn's --port 8000 becomes 7860; a card with its own title and colors.
    'fastapi-hf-spaces': on(
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
      [{ type: 'hf-spaces', space: 'acme/acme-api', title: 'Acme API', emoji: '🧪', colorFrom: 'green', colorTo: 'blue' }],
      { env: [{ name: 'HF_MODEL', required: false, secret: false, description: 'Model the API loads.', example: 'acme/small' }] },
    ),
    // A Vite single-page app on GitHub Pages; the base path comes from configure-pages.
    'vite-github-pages': on(
      'vite-dashboard',
      {
        name: 'web',
        path: '.',
        stack: 'node',
        kind: 'static',
        webFramework: 'vite',
        outputDir: 'dist',
        packageManager: 'pnpm',
        packageManagerVersion: '9.15.0',
        languageVersion: '26',
        build: 'pnpm run build',
        test: 'pnpm test',
        port: 8080,
        healthPath: '/healthz',
      },
      [{ type: 'github-pages' }],
      { env: [{ name: 'VITE_API_URL', required: false, secret: false, description: 'Read at src/api.ts:1.' }] },
    ),
    // Next.js on Vercel in a subfolder, with a staging branch and a custom domain.
    'next-vercel': on(
      'next-shop',
      {
        name: 'web',
        path: 'apps/web',
        stack: 'node',
        kind: 'ssr',
        webFramework: 'next',
        outputDir: '.next/standalone',
        packageManager: 'npm',
        packageManagerVersion: null,
        languageVersion: '22',
        build: 'npm run build',
        test: 'npm test',
        start: 'node server.js',
        port: 3000,
        healthPath: '/api/health',
      },
      [{ type: 'vercel', domain: 'shop.example.com' }],
      {
        branches: { production: 'main', staging: 'develop' },
        env: [
          { name: 'NEXT_PUBLIC_SITE_URL', required: false, secret: false, description: 'Read at app/layout.js:3.' },
          { name: 'PORT', required: false, secret: false, description: 'Port the app listens on.', example: '3000' },
        ],
      },
    ),
    // A static Astro site on Netlify, without pull request comments.
    'astro-netlify': on(
      'astro-docs',
      {
        name: 'docs',
        path: '.',
        stack: 'node',
        kind: 'static',
        webFramework: 'astro',
        outputDir: 'dist',
        packageManager: 'npm',
        packageManagerVersion: null,
        languageVersion: '26',
        build: 'npm run build',
        test: null,
        port: 8080,
        healthPath: '/healthz',
      },
      [{ type: 'netlify', prComments: false }],
      {
        branches: { production: 'trunk', staging: 'next' },
        env: [{ name: 'PUBLIC_SEARCH_URL', required: false, secret: false, description: 'Read at src/components/Search.astro:4.' }],
      },
    ),
    // Go with chi on Fly.io: blue-green deploys, staging app, scale to zero.
    'go-fly': on(
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
      [{ type: 'fly', app: 'orders-api', primaryRegion: 'ams', strategy: 'bluegreen', minMachinesRunning: 0, memoryMb: 256 }],
      { branches: { production: 'main', staging: 'develop' } },
    ),
    // Express on Kubernetes applied by kubectl: staging and production, cert-manager, compose kept.
    'express-kubernetes': on(
      'express-api',
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
      },
      [{ type: 'compose' }, { type: 'kubernetes', domain: 'api.example.com', clusterIssuer: 'letsencrypt', replicas: 3, maxReplicas: 10 }],
      // security.verifyImages: each deploy job checks the image's attestation before it applies.
      { branches: { production: 'trunk', staging: 'develop' }, security: { verifyImages: true } },
    ),
    // No health route in the code: every probe connects to the port (tcpSocket), nothing invented.
    'express-tcp-kubernetes': on(
      'tcp-api',
      {
        name: 'app',
        path: '.',
        stack: 'node',
        framework: 'express',
        packageManager: 'npm',
        packageManagerVersion: null,
        languageVersion: '22',
        build: null,
        test: null,
        start: 'node index.js',
        port: 3000,
      },
      [{ type: 'compose' }, { type: 'kubernetes', domain: 'tcp.example.com' }],
    ),
    // No health route, on Fly.io, a Hugging Face Space and a VPS: each deploy gates on the port answering.
    'express-tcp-fly-hf-vps': on(
      'tcp-web',
      {
        name: 'app',
        path: '.',
        stack: 'node',
        framework: 'express',
        packageManager: 'npm',
        packageManagerVersion: null,
        languageVersion: '22',
        build: null,
        test: null,
        start: 'node index.js',
        port: 3000,
      },
      [{ type: 'fly', app: 'tcp-web' }, { type: 'hf-spaces', space: 'acme/tcp-web' }, { type: 'vps', domain: 'tcp.example.com' }],
    ),
    // A Next.js monorepo package on Kubernetes through Argo CD: the workflow commits the image tag.
    'next-kubernetes-argocd': on(
      'acme',
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
      [
        {
          type: 'kubernetes',
          domain: 'acme.example.org',
          gitops: 'argocd',
          repoUrl: 'https://github.com/acme/acme.git',
          imageRepository: 'ghcr.io/acme/acme',
          ingressClassName: 'traefik',
        },
      ],
      {
        security: { verifyImages: true },
        env: [
          { name: 'NEXT_PUBLIC_SITE_URL', required: false, secret: false, description: 'Read at apps/web/app/layout.js:3.' },
          { name: 'PORT', required: false, secret: false, description: 'Port the app listens on.', example: '3000' },
        ],
      },
    ),
    // A Vite site whose API URL is inlined at build time: on Fly (flyctl deploy --build-arg), a Space (its
    // variables) and a VPS (the deploy workflow's image build).
    'vite-build-vars-fly': on(
      'vite-dashboard',
      {
        name: 'web',
        path: '.',
        stack: 'node',
        kind: 'static',
        webFramework: 'vite',
        outputDir: 'dist',
        packageManager: 'npm',
        packageManagerVersion: null,
        languageVersion: '26',
        build: 'npm run build',
        test: null,
        port: 8080,
        healthPath: '/healthz',
      },
      [
        { type: 'fly', app: 'vite-dashboard' },
        { type: 'hf-spaces', space: 'acme/vite-dashboard' },
        { type: 'vps', domain: 'dash.example.com' },
      ],
      { env: [{ name: 'VITE_API_URL', required: false, secret: false, description: 'Read at src/main.js:1.' }] },
    ),
  };
}
