import type { WebFacts, WebInput } from './types.js';
import { find, readConfig } from './config-file.js';

/** The packages that make a TanStack Start app (React, Solid, and the pre-1.0 name). */
export const TANSTACK_START = ['@tanstack/react-start', '@tanstack/solid-start', '@tanstack/start'];

/**
 * TanStack Start renders on a server. Its Node server is Nitro's: the `nitro()` Vite plugin
 * (or vinxi, before 1.0) builds .output/server/index.mjs, self-contained like Nuxt's. Without
 * Nitro the build is a fetch handler for a platform, not a server a container can run: said so,
 * and no kind is set (init then asks for the start command).
 */
export async function tanstackStart(input: WebInput, evidence: string, warnings: string[]): Promise<WebFacts> {
  const { dir, at, deps } = input;
  const facts: WebFacts = { webFramework: { value: 'tanstack-start', evidence } };
  const vite = await readConfig(dir, 'vite.config');
  const app = await readConfig(dir, 'app.config');
  const plugin = find(vite, /(nitro)(?:\/vite['"`]|\s*\()/, at);
  const nitroDep = ['nitro', 'nitropack', 'vinxi'].find((d) => d in deps);
  const why = plugin?.evidence ?? (nitroDep ? `${at('package.json')} ${input.depField(nitroDep)}.${nitroDep}` : undefined);
  if (!why) {
    warnings.push(
      `${evidence}: TanStack Start without Nitro builds a fetch handler for a hosting platform, not a Node server; add Nitro ` +
        "(`nitro` with the `nitro()` plugin from 'nitro/vite' in vite.config) to run it in a container",
    );
    return facts;
  }
  const preset = find(vite, /\bpreset\s*:\s*['"`]([\w-]+)['"`]/, at) ?? find(app, /\bpreset\s*:\s*['"`]([\w-]+)['"`]/, at);
  if (preset && !['node', 'node-server', 'node_server'].includes(preset.value)) {
    warnings.push(`${preset.evidence}: the Nitro preset ${JSON.stringify(preset.value)} does not build a Node server; a container needs node-server (the default)`);
  }
  facts.kind = { value: 'ssr', evidence: `${why} (TanStack Start renders on Nitro's Node server)` };
  facts.outputDir = { value: '.output', evidence: 'Nitro writes the server to .output/ (self-contained, no node_modules needed)' };
  facts.start = { value: 'node .output/server/index.mjs', evidence: 'Nitro emits .output/server/index.mjs' };
  facts.port = { value: 3000, evidence: 'the Nitro server listens on $NITRO_PORT or $PORT, default 3000' };
  facts.hostEnv = { value: 'HOST', evidence: 'the Nitro server binds to $NITRO_HOST or $HOST' };
  return facts;
}
