/**
 * Build-time public variables: a site's bundler replaces each read of such a variable with its value
 * when the site is built (`docker build`, a platform's build step), so the value must reach the build,
 * and it ends up public in the files served to every browser. Which names a framework inlines is
 * its prefix (docs/design.md, "Build-time variables").
 */
import type { EnvVarConfig, ServiceConfig } from './types.js';

/**
 * The prefixes each web framework inlines at build time. Not Nuxt: its NUXT_PUBLIC_* override the
 * runtime config when the server starts. Not SvelteKit's `$env/dynamic/public`: read per request.
 */
const BUILD_TIME_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  vite: ['VITE_'],
  sveltekit: ['PUBLIC_', 'VITE_'],
  astro: ['PUBLIC_'],
  next: ['NEXT_PUBLIC_'],
  cra: ['REACT_APP_'],
  'vue-cli': ['VUE_APP_'],
  gatsby: ['GATSBY_'],
};

/** The variables of `env` named with a prefix the service's build inlines, in `env`'s order (none for a service that builds no site). */
export function publicPrefixed(service: Pick<ServiceConfig, 'stack' | 'webFramework'>, env: readonly Pick<EnvVarConfig, 'name'>[]): string[] {
  if ((service.stack !== 'node' && service.stack !== 'bun') || !service.webFramework) return [];
  const prefixes = BUILD_TIME_PREFIXES[service.webFramework] ?? [];
  return env.map((e) => e.name).filter((name) => prefixes.some((p) => name.startsWith(p) && name.length > p.length));
}

/**
 * The build arguments of the service: its public-prefixed variables, but for one marked secret (by
 * its name or in deploy-kit.yaml), which the kit never carries into public files (init warns;
 * `secret: false` under `env:` says it is public after all).
 */
export function buildTimeVars(service: Pick<ServiceConfig, 'stack' | 'webFramework'>, env: readonly Pick<EnvVarConfig, 'name' | 'secret'>[]): string[] {
  const secret = new Set(env.filter((e) => e.secret).map((e) => e.name));
  return publicPrefixed(service, env).filter((name) => !secret.has(name));
}
