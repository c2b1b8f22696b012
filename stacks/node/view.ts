/** A Node service's template data: its package manager's commands, its image, its probe. */
import type { NodePackageManager, ServiceConfig } from '../../src/config/types.js';
import { NGINX_IMAGE, NGINX_USER, NODE_LTS_MAJOR, nodeImage, PACKAGE_MANAGER_DEFAULTS } from '../../src/versions.js';
import { NGINX_RUNS_AS, builtSiteNginxView, siteName } from '../nginx.js';
import { inDir, probeForms } from '../shared.js';
import type { Probe, ServiceDirs, StackView } from '../types.js';
import type { NodeStackView } from './types.js';

const PNPM_WORKSPACE_PRUNE = 'CI=true pnpm install --frozen-lockfile --prod --prefer-offline';

/** How each Node package manager installs, prunes and caches inside an image and in CI. */
const NODE_PM = {
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
    // pnpm 10.16+ asks before it recreates node_modules without dev dependencies, and a build has no
    // terminal: it stops (ERR_PNPM_ABORTED_REMOVE_MODULES_DIR_NO_TTY) unless CI says not to ask.
    prune: 'CI=true pnpm prune --prod',
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

/** The installs when the repo has no lockfile: nothing to freeze against. */
const UNLOCKED = {
  npm: { installAll: 'npm install --no-audit --no-fund', installProd: 'npm install --omit=dev --no-audit --no-fund' },
  pnpm: { installAll: 'pnpm install --no-frozen-lockfile', installProd: 'pnpm install --no-frozen-lockfile --prod' },
  yarn: { installAll: 'yarn install', installProd: 'yarn install --production', prune: 'yarn install --production --ignore-scripts --prefer-offline' },
} as const;

/** `prisma generate` with the CLI the install put in node_modules (never fetched at build time). */
const PRISMA_GENERATE: Record<NodePackageManager, string> = {
  npm: 'npx --no prisma generate',
  pnpm: 'pnpm exec prisma generate',
  yarn: 'yarn prisma generate',
};

/** node's own fetch (curl and wget are often missing); PORT is read at run time so the check follows an override. */
export function nodeProbe(s: Pick<ServiceConfig, 'port' | 'healthPath'>): Probe {
  if (s.healthPath === undefined) {
    const tcp = `require('net').connect(+(process.env.PORT||${s.port}),'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`;
    return probeForms(['node', '-e', tcp], `node -e "${tcp}"`);
  }
  const js = `fetch('http://127.0.0.1:'+(process.env.PORT||${s.port})+'${s.healthPath}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return probeForms(['node', '-e', js], `node -e "${js}"`);
}

export function nodeView(s: ServiceConfig, { dir, workspaceDir }: ServiceDirs): StackView {
  const pmName = (s.packageManager ?? 'npm') as NodePackageManager;
  const locked = s.lockfile !== false;
  // No lockfile: the frozen installs (`npm ci`, --frozen-lockfile) would fail, so the plain install runs.
  const pm = locked ? NODE_PM[pmName] : { ...NODE_PM[pmName], lockfile: 'package.json', ...UNLOCKED[pmName] };
  const version = s.packageManagerVersion ?? (pmName === 'npm' ? null : PACKAGE_MANAGER_DEFAULTS[pmName]);
  const languageVersion = s.languageVersion ?? NODE_LTS_MAJOR;
  const kind = s.kind ?? 'server';
  const web = s.webFramework ?? null;
  const node: NodeStackView = {
    packageManager: pmName,
    lockfile: pm.lockfile,
    noLockfile: !locked,
    npmrc: s.npmrc === true,
    manifests: `${locked ? `package.json ${pm.lockfile}` : 'package.json'}${s.npmrc === true ? ' .npmrc' : ''}`,
    installAll: pm.installAll,
    installProd: pm.installProd,
    // pnpm prune in a workspace recreates node_modules without the members' own links (their
    // dependencies are gone at run time): a production install of the whole workspace instead, from the store.
    prune: pmName === 'pnpm' && workspaceDir !== null && locked ? PNPM_WORKSPACE_PRUNE : pm.prune,
    pruneCache: pmName === 'pnpm' && workspaceDir !== null && locked,
    cacheDir: pm.cacheDir,
    setupNodeCache: pm.setupNodeCache,
    // --force: some images already carry a yarn binary, and a plain global install would refuse to replace it.
    pmInstall: pmName === 'npm' ? null : `npm install --global --no-fund --no-audit${pmName === 'yarn' ? ' --force' : ''} ${pmName}@${version}`,
    usesPnpm: pmName === 'pnpm',
    next: kind === 'ssr' && web === 'next',
    nuxt: kind === 'ssr' && web === 'nuxt',
    prismaGenerate: s.prisma && kind !== 'static' ? PRISMA_GENERATE[pmName] : null,
    // The schema's folder (prisma/) or the file itself: a `postinstall: prisma generate` reads it during the install.
    prismaCopy: s.prisma && kind !== 'static' ? (s.prisma.endsWith('.prisma') && s.prisma.includes('/') ? s.prisma.replace(/\/[^/]*$/, '') : s.prisma) : null,
    fullInstall: Boolean(s.build) || (s.prisma !== undefined && kind !== 'static'),
    // Nitro (Nuxt's server, TanStack Start's Node build) bundles what it needs into .output.
    nitro: kind === 'ssr' && (web === 'nuxt' || web === 'tanstack-start'),
    bundleSsr: kind === 'ssr' && web !== 'next' && web !== 'nuxt' && web !== 'tanstack-start',
    copyPublic: kind === 'ssr' && (web === 'remix' || web === 'react-router'),
    hostEnv: kind === 'ssr' ? (web === 'next' ? 'HOSTNAME' : 'HOST') : null,
    manifestKeep: [
      ...['package.json', pm.lockfile, ...(pmName === 'pnpm' ? ['pnpm-workspace.yaml'] : []), '.npmrc', ...(pmName === 'yarn' ? ['.yarnrc'] : [])].map(
        (f) => `! -name ${f}`,
      ),
      // The patches the install applies stay with the manifests.
      ...(s.patches ? [`! -path './${s.patches}/*'`] : []),
    ].join(' '),
    patches: s.patches ?? null,
    skipEnvValidation: s.skipEnvValidation ?? null,
  };
  const nodeBase = nodeImage(languageVersion);
  const staticSite = kind === 'static';
  const what = staticSite
    ? `${siteName(s.webFramework)} built with Node.js ${languageVersion}, served by nginx`
    : kind === 'ssr'
      ? `${web ?? 'SSR'} on Node.js ${languageVersion}`
      : `${s.framework && s.framework !== 'none' ? s.framework : 'Node.js'} on Node.js ${languageVersion}`;
  const lockfilePath = inDir(workspaceDir ?? dir, pm.lockfile);
  return {
    // Next.js writes its image and fetch caches under .next/cache at run time.
    writable: node.next ? ['.next/cache'] : [],
    testJob: true,
    languageVersion,
    baseImage: nodeBase,
    runtimeImage: staticSite ? NGINX_IMAGE : nodeBase,
    lockfilePath,
    ciCacheFiles: [lockfilePath],
    imageSummary: what,
    runsAs: staticSite ? NGINX_RUNS_AS : 'the unprivileged `node` user under tini',
    // The official images' `node` user.
    user: staticSite ? NGINX_USER : '1000:1000',
    tiniNeeded: !staticSite,
    node,
    nginx: staticSite ? builtSiteNginxView(s, dir) : null,
  };
}
