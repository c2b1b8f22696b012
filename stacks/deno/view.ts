/** A Deno service's template data: its entry, its image, its probe. */
import type { ServiceConfig } from '../../src/config/types.js';
import { DENO_DEFAULT, DENO_USER, denoImage } from '../../src/versions.js';
import { inDir, probeForms } from '../shared.js';
import type { Probe, ServiceDirs, StackView } from '../types.js';
import type { DenoStackView } from './types.js';

/** `deno eval` (which has every permission) fetches the route: the image has no curl. */
export function denoProbe(s: Pick<ServiceConfig, 'port' | 'healthPath'>): Probe {
  if (s.healthPath === undefined) {
    // No route in the code: connect to the port.
    const tcp = `Deno.connect({hostname:'127.0.0.1',port:+(Deno.env.get('PORT')??${s.port})}).then(c=>{c.close();Deno.exit(0)},()=>Deno.exit(1))`;
    return probeForms(['deno', 'eval', tcp], `deno eval "${tcp}"`);
  }
  const js =
    `fetch('http://127.0.0.1:'+(Deno.env.get('PORT')??${s.port})+'${s.healthPath}',{signal:AbortSignal.timeout(4000)})` +
    '.then(r=>Deno.exit(r.ok?0:1),()=>Deno.exit(1))';
  return probeForms(['deno', 'eval', js], `deno eval "${js}"`);
}

export function denoView(s: ServiceConfig, { dir }: ServiceDirs): StackView {
  const languageVersion = s.languageVersion ?? DENO_DEFAULT;
  const words = (s.start ?? 'deno run main.ts').split(/ +/);
  // "deno run <flags> <file>": the image's entrypoint is `tini -- docker-entrypoint.sh`, which runs
  // `deno run ...`; --cached-only keeps start-up off the network (the build stage fetched everything).
  const [, sub = 'run', ...rest] = words;
  // `deno serve` listens on its --port (8000 by default), never on $PORT: the kit's port is passed.
  if (sub === 'serve' && !rest.some((w) => w.startsWith('--port'))) rest.unshift(`--port=${s.port}`);
  const deno: DenoStackView = {
    entry: rest[rest.length - 1] ?? 'main.ts',
    cmd: JSON.stringify([sub, '--cached-only', ...rest]),
    user: DENO_USER,
  };
  return {
    testJob: true,
    languageVersion,
    baseImage: denoImage(languageVersion),
    runtimeImage: denoImage(languageVersion),
    lockfilePath: inDir(dir, 'deno.lock'),
    ciCacheFiles: [inDir(dir, 'deno.lock')],
    imageSummary: `Deno ${languageVersion} on the official Debian image`,
    runsAs: `the image's unprivileged \`deno\` user (uid ${DENO_USER.split(':')[0]})`,
    user: DENO_USER,
    tiniNeeded: false,
    deno,
  };
}
