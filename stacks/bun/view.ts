/** A Bun service's template data: its manifests, its image, its probe. */
import type { ServiceConfig } from '../../src/config/types.js';
import { BUN_DEFAULT, BUN_USER, bunImage, NGINX_IMAGE, NGINX_USER } from '../../src/versions.js';
import { builtSiteNginxView, NGINX_RUNS_AS, siteName } from '../nginx.js';
import { inDir, probeForms } from '../shared.js';
import type { Probe, ServiceDirs, StackView } from '../types.js';
import type { BunStackView } from './types.js';

/** Where `bun install` keeps its global cache when it runs as root in the build stage. */
const BUN_CACHE = '/root/.bun/install/cache';

/** bun's own fetch (the slim image has no curl); PORT is read at run time so the check follows an override. */
export function bunProbe(s: Pick<ServiceConfig, 'port' | 'healthPath'>): Probe {
  if (s.healthPath === undefined) {
    // No route in the code: connect to the port (bun implements node:net).
    const tcp = `require('net').connect(+(process.env.PORT||${s.port}),'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`;
    return probeForms(['bun', '-e', tcp], `bun -e "${tcp}"`);
  }
  const js =
    `fetch('http://127.0.0.1:'+(process.env.PORT||${s.port})+'${s.healthPath}',{signal:AbortSignal.timeout(4000)})` +
    '.then(r=>process.exit(r.ok?0:1),()=>process.exit(1))';
  return probeForms(['bun', '-e', js], `bun -e "${js}"`);
}

export function bunView(s: ServiceConfig, { dir, workspaceDir }: ServiceDirs): StackView {
  const languageVersion = s.languageVersion ?? BUN_DEFAULT;
  // `bun.lock*` matches the text lockfile and the binary one; bunfig.toml* copies it only when it exists.
  const bun: BunStackView = {
    manifests: 'package.json bun.lock* bunfig.toml*',
    startArgs: JSON.stringify((s.start ?? 'bun run index.ts').split(/ +/)),
    cacheDir: BUN_CACHE,
    user: BUN_USER,
    manifestKeep: ['package.json', 'bun.lock', 'bun.lockb', 'bunfig.toml'].map((f) => `! -name ${f}`).join(' '),
  };
  const image = bunImage(languageVersion);
  // A workspace member's lockfile is the workspace root's.
  const lockfilePath = inDir(workspaceDir ?? dir, 'bun.lock');
  if (s.kind === 'static') {
    return {
      testJob: true,
      languageVersion,
      baseImage: image,
      runtimeImage: NGINX_IMAGE,
      lockfilePath,
      ciCacheFiles: [inDir(workspaceDir ?? dir, 'package.json'), lockfilePath],
      imageSummary: `${siteName(s.webFramework)} built with Bun ${languageVersion}, served by nginx`,
      runsAs: NGINX_RUNS_AS,
      user: NGINX_USER,
      tiniNeeded: false,
      bun,
      nginx: builtSiteNginxView(s, dir),
    };
  }
  return {
    testJob: true,
    languageVersion,
    baseImage: image,
    runtimeImage: image,
    lockfilePath,
    ciCacheFiles: [inDir(dir, 'package.json'), lockfilePath],
    imageSummary: `Bun ${languageVersion} on the official slim image`,
    runsAs: `the image's unprivileged \`bun\` user (uid ${BUN_USER.split(':')[0]})`,
    user: BUN_USER,
    tiniNeeded: true,
    bun,
  };
}
