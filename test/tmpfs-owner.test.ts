/**
 * The directories an app writes at run time (a stack's `writable`) are tmpfs mounts only the app's
 * uid can use: every target that mounts them passes `uid=`/`gid=`/`mode=0700` (compose, the
 * systemd unit, settings.sh's APP_TMPFS), deploy.sh rewrites those for podman (which refuses them
 * and takes `U`), and the images no longer make those directories world-writable (1777).
 * test/e2e-more-stacks.test.ts and test/e2e-stacks.test.ts prove the same on the engine.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import type { PlannedFile } from '../src/plan/index.js';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';
import { platformScenarios } from './_targets-scenarios.js';
import { scratch } from './_scratch.js';

const temp = scratch('tmpfs');
test.after(temp.cleanup);

const fileOf = (files: PlannedFile[], path: string): string => {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in the kit`);
  return file.content;
};
const render = async (name: string) => renderScenario(scenarios[name] ?? platformScenarios()[name]!);
const OWNED = 'uid=1000,gid=1000,mode=0700';

test('Laravel: compose, the systemd unit and APP_TMPFS mount storage/ and bootstrap/cache as the app uid, mode 0700; /tmp as it is', async () => {
  const files = await render('laravel-shop');
  const compose = parse(fileOf(files, 'compose.yaml')) as { services: Record<string, { tmpfs: string[] }> };
  assert.equal(compose.services['app']!.tmpfs, ['/tmp', `/app/storage:${OWNED}`, `/app/bootstrap/cache:${OWNED}`]);
  const unit = fileOf(files, 'deploy/systemd/shop-laravel@.service');
  assert.ok(unit.includes(`--tmpfs /tmp --tmpfs /app/storage:${OWNED} --tmpfs /app/bootstrap/cache:${OWNED} `), unit);
  const settings = fileOf(files, 'deploy/scripts/settings.sh');
  assert.ok(settings.includes(`: "\${APP_TMPFS:="/tmp /app/storage:${OWNED} /app/bootstrap/cache:${OWNED}"}"`), settings);
});

test('PHP and Rails images: the tmpfs directories are the app user\'s, mode 0700, never sticky and world-writable', async () => {
  for (const name of ['laravel-shop', 'symfony-api']) {
    const dockerfile = fileOf(await render(name), 'Dockerfile');
    assert.not.match(dockerfile, /1777|chmod [0-7]*[2367]\b/, `${name}: nothing world-writable`);
    const laravel = /chown -R app:app storage bootstrap\/cache \\\n && chmod 0700 storage bootstrap\/cache$/m;
    assert.match(dockerfile, name === 'laravel-shop' ? laravel : /chown -R app:app var \\\n && chmod 0700 var$/m);
  }
  const rails = await render('rails-shop');
  assert.match(fileOf(rails, 'Dockerfile'), /chown -R app:app db log storage tmp \\\n && chmod 0700 tmp$/m);
  assert.equal((parse(fileOf(rails, 'compose.yaml')) as { services: Record<string, { tmpfs: string[] }> }).services['app']!.tmpfs, [
    '/tmp',
    `/app/tmp:${OWNED}`,
  ]);
});

test('Next.js: .next/cache of a workspace package is mounted as the node uid; Kubernetes keeps plain emptyDirs and says why', async () => {
  const compose = parse(fileOf(await render('monorepo-web-api'), 'compose.yaml')) as { services: Record<string, { tmpfs: string[] }> };
  assert.equal(compose.services['web']!.tmpfs, ['/tmp', `/app/apps/web/.next/cache:${OWNED}`]);
  assert.equal(compose.services['api']!.tmpfs, ['/tmp'], 'a service without writable paths: /tmp only, no options');
  const deployment = fileOf(await render('next-kubernetes-argocd'), 'deploy/kubernetes/base/deployment.yaml');
  assert.match(deployment, /mountPath: \/app\/apps\/web\/\.next\/cache\n/);
  assert.match(deployment, /# root-owned with mode 0777 \(no field sets either\); every container of the pod runs as uid 1000\.\n\s+volumes:/);
});

/** lib.sh's dk_start_color against a stand-in engine that answers `version` as `engine` does and logs `run`. */
function startColor(files: PlannedFile[], engine: 'Docker Engine - Community' | 'Podman Engine', tmpfs?: string): string[] {
  const dir = temp.copy();
  mkdirSync(join(dir, 'app'));
  for (const f of ['lib.sh', 'settings.sh']) writeFileSync(join(dir, f), fileOf(files, `deploy/scripts/${f}`));
  const docker = join(dir, 'docker');
  writeFileSync(
    docker,
    [
      '#!/usr/bin/env bash',
      'case $1 in',
      `  version) printf 'Server: %s\\n' '${engine}' ;;`,
      `  run) printf '%s\\n' "$@" > ${join(dir, 'run.args')} ;;`,
      '  *) exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(docker, 0o755);
  const env: Record<string, string> = { PATH: process.env.PATH!, APP_DIR: join(dir, 'app'), DOCKER: docker };
  if (tmpfs !== undefined) env['APP_TMPFS'] = tmpfs;
  const r = spawnSync('bash', ['-c', `source ${join(dir, 'lib.sh')}; dk_init; dk_start_color blue sha256:abc shop:1 r1`], { env, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const args = readFileSync(join(dir, 'run.args'), 'utf8').trim().split('\n');
  return args.flatMap((a, i) => (a === '--tmpfs' ? [args[i + 1]!] : []));
}

test('deploy.sh (lib.sh): Docker gets uid=/gid= as settings.sh has them; podman gets U in their place', async () => {
  const files = await render('laravel-shop');
  assert.equal(startColor(files, 'Docker Engine - Community'), ['/tmp', `/app/storage:${OWNED}`, `/app/bootstrap/cache:${OWNED}`]);
  assert.equal(startColor(files, 'Podman Engine'), ['/tmp', '/app/storage:U,mode=0700', '/app/bootstrap/cache:U,mode=0700']);
  // An APP_TMPFS of the operator's own: options other than the owner are kept, in order; paths without options as they are.
  assert.equal(startColor(files, 'Podman Engine', '/tmp /data:size=64m,uid=1001,gid=1001,mode=0750 /cache:mode=0700'), [
    '/tmp',
    '/data:U,size=64m,mode=0750',
    '/cache:mode=0700',
  ]);
});

test.run();
