import { join } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { HEALTH_SEGMENT, healthRank } from '../../src/detect/shared.js';
import { walkFiles } from '../../src/detect/walk.js';

/** Health routes that web frameworks define by a file's name and place (file-system routing), per framework. */

export type RouteStyle = 'next' | 'nuxt' | 'remix' | 'sveltekit' | 'astro';

/** Route directories per framework, and how a file under them maps to a URL (undefined: not a route). */
const ROUTE_ROOTS: Record<RouteStyle, ReadonlyArray<readonly [dir: string, toUrl: (file: string) => string | undefined]>> = {
  next: [
    ['app', appRouter],
    ['src/app', appRouter],
    ['pages/api', (f) => `/api/${stripIndex(stripExt(f))}`],
    ['src/pages/api', (f) => `/api/${stripIndex(stripExt(f))}`],
  ],
  nuxt: [
    ['server/api', (f) => `/api/${stripIndex(stripMethod(stripExt(f)))}`],
    ['server/routes', (f) => `/${stripIndex(stripMethod(stripExt(f)))}`],
  ],
  remix: [['app/routes', flatRoute]],
  sveltekit: [['src/routes', (f) => (/(?:^|\/)\+server\.[jt]s$/.test(f) ? `/${dropGroups(f.split('/').slice(0, -1)).join('/')}` : undefined)]],
  astro: [['src/pages', (f) => (/\.[cm]?[jt]s$/.test(f) ? `/${stripIndex(stripExt(f))}` : undefined)]],
};

function appRouter(file: string): string | undefined {
  if (!/(?:^|\/)route\.[cm]?[jt]sx?$/.test(file)) return undefined;
  const parts = file.split('/').slice(0, -1);
  if (parts.some((p) => p.startsWith('_'))) return undefined; // private folders
  return `/${dropGroups(parts).join('/')}`;
}

/** Remix / React Router flat routes: `api.health.ts` or `healthz/route.tsx`. */
function flatRoute(file: string): string | undefined {
  const parts = file.split('/');
  const name = parts.length > 1 && /^route\.[jt]sx?$/.test(parts[parts.length - 1] ?? '') ? parts.slice(0, -1).join('/') : stripExt(file);
  if (name.includes('/')) return undefined;
  return `/${name
    .split('.')
    .filter((s) => !s.startsWith('_'))
    .join('/')}`;
}

function dropGroups(parts: string[]): string[] {
  return parts.filter((p) => !/^\(.*\)$/.test(p));
}
function stripExt(file: string): string {
  return file.replace(/\.[cm]?[jt]sx?$/, '');
}
function stripIndex(path: string): string {
  return path.replace(/(?:^|\/)index$/, '');
}
function stripMethod(path: string): string {
  return path.replace(/\.(?:get|head|post|put|patch|delete|options)$/, '');
}

const HEALTH_URL = new RegExp(`/${HEALTH_SEGMENT}$`);

/** A health route defined by a file: cheap (names only, no reads) and exactly what the framework serves. */
export async function routeHealth(input: { dir: string; at: (file: string) => string }, style: RouteStyle): Promise<Fact<string> | undefined> {
  let top: { path: string; rank: number; evidence: string } | undefined;
  for (const [dir, toUrl] of ROUTE_ROOTS[style]) {
    const files = await walkFiles(join(input.dir, dir), {
      extensions: ['.js', '.mjs', '.cjs', '.ts', '.mts', '.jsx', '.tsx'],
      maxFiles: 500,
      skipTestFiles: true,
    });
    for (const file of files) {
      const url = toUrl(file);
      if (url === undefined || !HEALTH_URL.test(url) || /[[\]]/.test(url)) continue;
      const rank = healthRank(url);
      if (!top || rank < top.rank) top = { path: url, rank, evidence: `${input.at(`${dir}/${file}`)} (route file)` };
    }
  }
  return top && { value: top.path, evidence: top.evidence };
}
