/**
 * The VPS drill: the generated deploy.sh / rollback.sh, unmodified, on this machine's real engine
 * behind a real nginx, while a client keeps sending requests through nginx.
 *   1. deploy v1, then v2 under traffic: zero failed requests, v2 serves;
 *   2. a broken v3 (health never passes): non-zero exit, v2 keeps serving, no v3 container;
 *   3. rollback.sh: v1 serves again; --list shows the releases;
 *   4. two deploys at once: one waits (or, with LOCK_TIMEOUT=0, fails) on the lock; the log stays whole;
 * and bad input (missing image, unknown release, nginx -t failing before and during the switch,
 * a host without its directories): a clear message, non-zero exit, traffic on the last good release.
 * Each case starts from a fresh host (its own directory, release log, nginx, ports and containers)
 * and deploys the releases it needs first, so any case can run alone or in any order; the
 * images are built once and only read (a case that removes an image builds its own).
 * Skips with a printed reason without an engine, a base image or nginx, except under CI, where it fails.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeImage } from '../src/versions.js';
import { baseImages } from './_engine.js';
import { cli, EXAMPLE, exampleRepo } from './_repo.js';
import { docker, dockerBuildFrom, get, Host, missingPrerequisite, sleep, Traffic, type RunResult } from './_vps-host.js';

// The example's image builds from the Node major its .nvmrc pins.
const BASE_IMAGE = nodeImage(readFileSync(join(EXAMPLE, '.nvmrc'), 'utf8').trim().replace(/^v/, '').split('.')[0]!);
const missing = missingPrerequisite([BASE_IMAGE]);
if (missing) {
  const why = `vps-drill: skipped: ${missing}`;
  if (process.env.CI) throw new Error(`${why}; CI must not skip the drill`);
  console.log(why);
}
const drill = missing ? test.skip : test;

/** deploy/scripts of the example's kit, made once: the cases only run these scripts. */
let scripts: string;
/** This case's host (see test.before.each). */
let host: Host;
const repo = `deploy-kit-drill-${process.pid}/express-api`;
const image = (v: string) => `${repo}:${v}`;
const timings: string[] = [];
let totalSent = 0;
let totalFailed = 0;
const upstreamErrors: string[] = [];
/** Images a case built for itself (to remove), beyond the shared ones. */
const extraImages = new Set<string>();

async function serving(): Promise<string | undefined> {
  return (await get(`${host.url}/`)).version;
}

/** Deploys `versions` in order on this case's host: the releases a case starts from. */
async function deployed(...versions: string[]): Promise<void> {
  for (const v of versions) {
    const r = await host.run('deploy.sh', [image(v)]);
    assert.is(r.code, 0, `setting up: deploy ${v}\n${r.stderr}`);
  }
  // nginx applies a reload by starting new workers: the first deploy on a host is seen a moment later,
  // and a poll that meets an old worker (only the placeholder upstream) is logged as "no live upstreams".
  let live: string | undefined;
  for (let t0 = Date.now(); (live = await serving()) !== versions.at(-1) && Date.now() - t0 < 5000; ) await sleep(100);
  assert.is(live, versions.at(-1), 'setting up: the last deployed release serves');
}

/** Runs an action while traffic flows through nginx; asserts no request failed. */
async function underTraffic(label: string, action: () => Promise<RunResult>): Promise<RunResult> {
  const traffic = new Traffic(`${host.url}/`).start();
  await sleep(300);
  const result = await action();
  await sleep(500);
  await traffic.stop();
  totalSent += traffic.sent;
  totalFailed += traffic.failed;
  console.log(`  drill: ${label}: ${(result.ms / 1000).toFixed(1)} s; ${traffic.summary()}`);
  timings.push(`${label} ${(result.ms / 1000).toFixed(1)} s`);
  assert.is(traffic.failed, 0, `${label}: ${traffic.summary()}\n${result.stderr}`);
  assert.ok(traffic.sent > 20, `${label}: the client kept sending (${traffic.sent})`);
  return result;
}

test.before(async () => {
  if (missing) return;
  // The example's kit, as a user makes it: init, then add the vps target.
  const dir = exampleRepo();
  assert.is(cli('create-deploy-kit', ['--yes'], dir).code, 0);
  const add = cli('deploy-kit', ['add', 'vps', '--domain', 'drill.example.test'], dir);
  assert.is(add.code, 0, add.stderr);
  assert.equal(baseImages(readFileSync(join(dir, 'Dockerfile'), 'utf8')), [BASE_IMAGE], 'the Dockerfile builds only from the image checked for');
  scripts = join(dir, 'deploy', 'scripts');
  const t0 = Date.now();
  docker('build', '--quiet', '--tag', image('base'), dir);
  // v1 and v2 differ only by APP_VERSION; v3 starts but never answers (a dependency it waits for is down).
  dockerBuildFrom(image('v1'), `FROM ${image('base')}\nENV APP_VERSION=v1\n`);
  dockerBuildFrom(image('v2'), `FROM ${image('base')}\nENV APP_VERSION=v2\n`);
  dockerBuildFrom(image('v4'), `FROM ${image('base')}\nENV APP_VERSION=v4\n`);
  dockerBuildFrom(
    image('v3'),
    `FROM ${image('base')}\nENV APP_VERSION=v3\nCMD ["node", "-e", "console.error('v3: waiting for the database at db:5432'); setInterval(() => {}, 1000)"]\n`,
  );
  console.log(`  drill: images built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});

test.before.each(async () => {
  if (missing) return;
  host = await Host.create(scripts);
  host.startNginx();
});

test.after.each(async () => {
  if (missing || !host) return;
  upstreamErrors.push(...host.upstreamErrors());
  await host.cleanup();
});

test.after(() => {
  if (missing) return;
  console.log(
    `  drill: nginx logged ${upstreamErrors.length} upstream errors${upstreamErrors.length ? `, e.g. ${upstreamErrors.slice(0, 3).join(' | ')}` : ''}`,
  );
  for (const ref of [...['v1', 'v2', 'v3', 'v4', 'base'].map(image), ...extraImages]) {
    try {
      docker('rmi', '--force', ref);
    } catch {
      /* already gone */
    }
  }
  console.log(`  drill: ${totalSent} requests through nginx during switches, ${totalFailed} failed; ${timings.join(', ')}`);
});

drill('1. deploy v1, then v2 under traffic: zero failed requests, v2 serves afterwards', async () => {
  const first = await host.run('deploy.sh', [image('v1')]);
  assert.is(first.code, 0, first.stderr);
  timings.push(`first deploy ${(first.ms / 1000).toFixed(1)} s`);
  await sleep(300);
  assert.is(await serving(), 'v1');
  const second = await underTraffic('switch v1 -> v2', () => host.run('deploy.sh', [image('v2')]));
  assert.is(second.code, 0, second.stderr);
  assert.is(await serving(), 'v2');
  assert.equal(host.containers(), [`${host.appName}-green`], 'the old color is stopped and removed');
  const log = host.releaseLog();
  assert.is(log.length, 2);
  assert.match(log[1]!, new RegExp(`^2\\t\\S+\\tdeploy\\t${image('v2')}\\tsha256:[0-9a-f]{64}\\t-\\tgreen\\t2$`));
  // Idempotent: the live image again changes nothing.
  const again = await host.run('deploy.sh', [image('v2')]);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, /already live on green/);
  assert.is(host.releaseLog().length, 2);
});

drill('2. a broken v3 never passes health: exit 1 with its logs, v2 keeps serving, no v3 container', async () => {
  await deployed('v1', 'v2');
  const before = readFileSync(host.upstreamFile, 'utf8');
  const r = await underTraffic('broken v3 refused', () => host.run('deploy.sh', [image('v3')], { HEALTH_TIMEOUT: '8' }));
  assert.is(r.code, 1);
  assert.match(r.stderr, /never passed its health check; traffic stays on green \(release 2\)/);
  assert.match(r.stderr, /v3: waiting for the database at db:5432/, 'the container\'s last log lines are shown');
  assert.is(await serving(), 'v2');
  assert.equal(host.containers(), [`${host.appName}-green`], 'no v3 container left');
  assert.is(readFileSync(host.upstreamFile, 'utf8'), before, 'nginx untouched');
  assert.is(host.releaseLog().length, 2, 'a failed deploy is not a release');
});

drill('3. rollback.sh goes back to v1 under traffic; --list shows the releases', async () => {
  await deployed('v1', 'v2');
  const r = await underTraffic('rollback v2 -> v1', () => host.run('rollback.sh', []));
  assert.is(r.code, 0, r.stderr);
  assert.is(await serving(), 'v1');
  const list = await host.run('rollback.sh', ['--list']);
  assert.is(list.code, 0, list.stderr);
  console.log(list.stdout.replace(/^/gm, '  drill: | '));
  assert.match(list.stdout, /RELEASE\s+TIME\s+ACTION/);
  assert.match(list.stdout, new RegExp(`^  1 .* deploy .*${image('v1')}$`, 'm'));
  assert.match(list.stdout, new RegExp(`^  2 .* deploy .*${image('v2')}$`, 'm'));
  assert.match(list.stdout, new RegExp(`^\\* 3 .* rollback .*${image('v1')} \\(release 1\\)$`, 'm'));
  // Nothing before release 1: a second plain rollback refuses, traffic stays.
  const none = await host.run('rollback.sh', []);
  assert.is(none.code, 1);
  assert.match(none.stderr, /no release before the live one \(release 1\)/);
  assert.is(await serving(), 'v1');
});

drill('4. two deploys at once: the second waits for the lock, both land, the release log stays whole', async () => {
  await deployed('v1');
  const r = await underTraffic('two concurrent deploys', async () => {
    const t0 = Date.now();
    // Neither image is live (v1 is), so both are real switches whichever gets the lock first.
    const [a, b] = await Promise.all([host.run('deploy.sh', [image('v2')]), sleep(50).then(() => host.run('deploy.sh', [image('v4')]))]);
    assert.is(a.code, 0, a.stderr);
    assert.is(b.code, 0, b.stderr);
    assert.match(a.stderr + b.stderr, /another deploy or rollback is running; waiting/);
    return { code: 0, stdout: '', stderr: '', ms: Date.now() - t0 };
  });
  assert.is(r.code, 0);
  const log = host.releaseLog();
  assert.is(log.length, 3, log.join('\n'));
  log.forEach((line, i) =>
    assert.match(line, new RegExp(`^${i + 1}\\t\\S+\\t(deploy|rollback)\\t\\S+\\tsha256:[0-9a-f]{64}\\t\\S+\\t(blue|green)\\t\\d+$`), `line ${i + 1}`),
  );
  const last = log[2]!.split('\t')[3]!;
  assert.is(await serving(), last.slice(last.lastIndexOf(':') + 1), 'the last recorded release is the one serving');

  // With LOCK_TIMEOUT=0 the second fails at once instead of waiting, and changes nothing.
  let started!: () => void;
  const lockHeld = new Promise<void>((resolve) => (started = resolve));
  const first = host.run('deploy.sh', [image('v1')], {}, (err) => {
    if (/release 4: starting/.test(err)) started();
  });
  await lockHeld;
  const busy = await host.run('deploy.sh', [image('v3')], { LOCK_TIMEOUT: '0' });
  assert.is(busy.code, 1);
  assert.match(busy.stderr, /another deploy or rollback holds .*\.deploy\.lock; try again when it has finished/);
  assert.is((await first).code, 0);
  assert.is(host.releaseLog().length, 4);
  assert.not.ok(host.containers().some((c) => c.includes('v3')));
});

/**
 * An NGINX_RELOAD that, the first time, kills deploy.sh (its parent) with SIGNAL right after the
 * upstream file was replaced, before nginx loads it; later calls (the exit trap's) really reload.
 */
function reloadThatKills(signal: 'TERM' | 'KILL'): string {
  const path = join(host.root, `reload-kills-${signal}`);
  const once = join(host.root, `killed-${signal}`);
  const reload = ['nginx', ...host.nginxArgs(), '-s', 'reload'].join(' ');
  writeFileSync(path, `#!/usr/bin/env bash\nif [ ! -e ${once} ]; then touch ${once}; kill -${signal} "$PPID"; exit 0; fi\nexec ${reload}\n`);
  chmodSync(path, 0o755);
  return path;
}

drill('killed mid-switch (SIGTERM before the reload): the trap puts the upstream back; the next deploy switches cleanly', async () => {
  await deployed('v1');
  const before = readFileSync(host.upstreamFile, 'utf8');
  const killed = await underTraffic('deploy killed mid-switch', () => host.run('deploy.sh', [image('v2')], { NGINX_RELOAD: reloadThatKills('TERM') }));
  assert.is.not(killed.code, 0);
  assert.match(killed.stderr, /stopped during the switch: putting the previous upstream back and reloading nginx/);
  assert.is(readFileSync(host.upstreamFile, 'utf8'), before, 'the previous upstream is back');
  assert.is(await serving(), 'v1');
  assert.equal(host.containers(), [`${host.appName}-blue`], 'the new color that never served is gone, the live one stays');
  // Before the fix the next deploy read the rewritten file, took blue for idle and removed it: 502s.
  const next = await underTraffic('deploy after a killed switch', () => host.run('deploy.sh', [image('v4')]));
  assert.is(next.code, 0, next.stderr);
  assert.is(await serving(), 'v4');
});

drill('killed mid-switch by SIGKILL (no trap): the next deploy puts nginx back on the color that runs and never removes it', async () => {
  await deployed('v1');
  const killed = await host.run('deploy.sh', [image('v2')], { NGINX_RELOAD: reloadThatKills('KILL') });
  assert.is(killed.code, null, 'killed by a signal');
  assert.match(readFileSync(host.upstreamFile, 'utf8'), /live color is green/, 'the file names the color nginx never loaded');
  assert.is(await serving(), 'v1');
  // A broken next image: it never passes health, and v1 (blue) must still be serving afterwards.
  const broken = await underTraffic('broken deploy after a SIGKILLed switch', () => host.run('deploy.sh', [image('v3')], { HEALTH_TIMEOUT: '6' }));
  assert.is(broken.code, 1);
  assert.match(broken.stderr, /an earlier switch was interrupted \(from blue to green\)/);
  assert.match(broken.stderr, /nginx is put back on blue, the color that runs/);
  assert.match(broken.stderr, /traffic stays on blue \(release 1\)/);
  assert.is(await serving(), 'v1');
  assert.ok(host.containers().includes(`${host.appName}-blue`), 'the serving color was never removed');
  assert.match(readFileSync(host.upstreamFile, 'utf8'), /live color is blue/);
  const next = await underTraffic('deploy after a SIGKILLed switch', () => host.run('deploy.sh', [image('v2')]));
  assert.is(next.code, 0, next.stderr);
  assert.is(await serving(), 'v2');
});

drill('deploy.sh reports whether it switched and from which release; a no-op deploy reports no switch and leaves production alone', async () => {
  await deployed('v1', 'v2');
  const noop = await host.run('deploy.sh', [image('v2')]);
  assert.is(noop.code, 0, noop.stderr);
  assert.is(noop.stdout, 'switched=false\nprevious_release=\n');
  // The pipeline rolls back only on switched=true, so a failed verification now changes nothing:
  // production stays on release 2 (before the fix, rollback.sh moved it back to v1).
  assert.is(await serving(), 'v2');
  assert.is(host.releaseLog().length, 2);
  const moved = await host.run('deploy.sh', [image('v4')]);
  assert.is(moved.code, 0, moved.stderr);
  assert.is(moved.stdout, 'switched=true\nprevious_release=2\n');
  // Verification failed after that switch: the pipeline rolls back to exactly the release it replaced.
  const back = await underTraffic('rollback to the reported release', () => host.run('rollback.sh', ['2']));
  assert.is(back.code, 0, back.stderr);
  assert.is(await serving(), 'v2');
});

/**
 * A stand-in for the GitHub CLI on the host's PATH (this machine reaches no GitHub): it records
 * each call and answers `gh attestation verify` with the verdict written in `gh.verdict`, so the
 * drill shows deploy.sh's refuse and accept paths; the real check is gh's.
 */
function fakeGh(): { path: string; calls: () => string[]; verdict: (ok: boolean) => void } {
  const path = join(host.root, 'gh');
  const log = join(host.root, 'gh.calls');
  const verdict = join(host.root, 'gh.verdict');
  writeFileSync(
    path,
    `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> ${log}\n` +
      `if [ "$(cat ${verdict})" = ok ]; then echo "All attestations have been successfully verified!"; exit 0; fi\n` +
      `echo "Error: failed to verify the artifact: no attestations found" >&2\nexit 1\n`,
  );
  chmodSync(path, 0o755);
  return {
    path,
    calls: () => readFileSync(log, 'utf8').trim().split('\n'),
    verdict: (ok) => writeFileSync(verdict, ok ? 'ok' : 'no'),
  };
}

drill('by digest, VERIFY_REPO set: an unverified image never runs, a verified one deploys, rollback returns to the digest it replaced', async () => {
  // The engine's own digest of each image (what a registry push reports): REPOSITORY@sha256:...
  const digest = (v: string) => docker('image', 'inspect', '--format', '{{index .RepoDigests 0}}', image(v)).trim();
  const [v1, v2] = [digest('v1'), digest('v2')];
  assert.match(v1, /@sha256:[0-9a-f]{64}$/);
  const gh = fakeGh();
  const verify = { VERIFY_REPO: 'acme/express-api', GH: gh.path };
  gh.verdict(true);
  const first = await host.run('deploy.sh', [v1], verify);
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stderr, /attestation verified: acme\/express-api\/\.github\/workflows\/deploy\.yml built /);
  for (let t0 = Date.now(); (await serving()) !== 'v1' && Date.now() - t0 < 5000; ) await sleep(100);
  assert.is(await serving(), 'v1');
  const containers = host.containers();

  gh.verdict(false);
  const refused = await underTraffic('unattested image refused', () => host.run('deploy.sh', [v2], verify));
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /no attestations found/, "gh's own reason is shown");
  const why = `refusing ${v2}: no build attestation of it verifies as signed by acme/express-api/.github/workflows/deploy.yml (traffic was not touched)`;
  assert.ok(refused.stderr.includes(why), refused.stderr);
  assert.equal(gh.calls().at(-1), `attestation verify oci://${v2} --repo acme/express-api --signer-workflow acme/express-api/.github/workflows/deploy.yml`);
  assert.is(await serving(), 'v1');
  assert.equal(host.containers(), containers, 'nothing was started');
  assert.is(host.releaseLog().length, 1);

  const tag = await host.run('deploy.sh', [image('v2')], verify);
  assert.is(tag.code, 1);
  assert.match(tag.stderr, /VERIFY_REPO is set, so the image must be named by its digest/);
  const noGh = await host.run('deploy.sh', [v2], { ...verify, GH: join(host.root, 'no-such-gh') });
  assert.is(noGh.code, 1);
  assert.match(noGh.stderr, /the GitHub CLI\) is not installed on this host: install it as in DEPLOY\.md/);
  assert.is(await serving(), 'v1');

  gh.verdict(true);
  const moved = await underTraffic('attested image by digest', () => host.run('deploy.sh', [v2], verify));
  assert.is(moved.code, 0, moved.stderr);
  assert.is(moved.stdout, 'switched=true\nprevious_release=1\n');
  assert.is(await serving(), 'v2');
  const log = host.releaseLog();
  assert.is(log[1]!.split('\t')[3], v2, 'the release log names the image by its digest');
  // Verification failed after that switch: the pipeline rolls back to release 1, by the digest it recorded.
  const back = await underTraffic('rollback to the digest it replaced', () => host.run('rollback.sh', ['1']));
  assert.is(back.code, 0, back.stderr);
  assert.ok(back.stderr.includes(`rolling back to release 1 (${v1})`), back.stderr);
  assert.is(await serving(), 'v1');
});

drill('bad input: a clear message, a non-zero exit, traffic still on the last good release', async () => {
  await deployed('v1');
  const live = 'v1';
  const containers = host.containers();
  const upstream = readFileSync(host.upstreamFile, 'utf8');
  const unchanged = async (what: string) => {
    assert.is(await serving(), live, `${what}: still serving ${live}`);
    assert.equal(host.containers(), containers, `${what}: containers unchanged`);
    assert.is(readFileSync(host.upstreamFile, 'utf8'), upstream, `${what}: upstream unchanged`);
    assert.is(host.releaseLog().length, 1, `${what}: no release recorded`);
  };

  const noImage = await host.run('deploy.sh', []);
  assert.is(noImage.code, 2);
  assert.match(noImage.stderr, /deploy\.sh: missing IMAGE: the image to deploy/);
  assert.match(noImage.stderr, /Run deploy\.sh --help for usage/);
  const help = await host.run('deploy.sh', ['--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /Usage: deploy\.sh IMAGE/);
  assert.match(help.stdout, /NGINX_UPSTREAM_FILE/);
  await unchanged('missing image');

  const unknownImage = await host.run('deploy.sh', [`${repo}:does-not-exist`]);
  assert.is(unknownImage.code, 1);
  assert.match(unknownImage.stderr, /is not on this host and PULL=never/);
  await unchanged('unknown image');

  const unknown = await host.run('rollback.sh', ['99']);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /no release 99 in .*releases\.log \(rollback\.sh --list shows them\); traffic was not touched/);
  const notNumber = await host.run('rollback.sh', ['v1']);
  assert.is(notNumber.code, 2);
  assert.match(notNumber.stderr, /RELEASE must be a release number/);
  await unchanged('unknown release');

  // nginx -t already failing: refused before anything starts.
  host.breakNginx();
  try {
    const broken = await host.run('deploy.sh', [image('v3')]);
    assert.is(broken.code, 1);
    assert.match(broken.stderr, /this_is_not_a_directive/);
    assert.match(broken.stderr, /nginx -t fails before any change: fix the nginx configuration first \(traffic was not touched\)/);
  } finally {
    host.healNginx();
  }
  await unchanged('nginx -t failing before the deploy');

  // nginx -t failing at the switch itself (config broken while the new color was starting):
  // through NGINX_CMD, a wrapper that breaks the config just before `nginx -T` runs.
  const wrapper = join(host.root, 'nginx-breaks-at-switch');
  const breakConf = `printf 'this_is_not_a_directive on;\\n' > ${join(host.nginxPrefix, 'extra-broken.conf')}`;
  writeFileSync(wrapper, `#!/usr/bin/env bash\nif [ "\${1:-}" = -T ]; then ${breakConf}; fi\nexec nginx ${host.nginxArgs().join(' ')} "$@"\n`);
  chmodSync(wrapper, 0o755);
  try {
    const atSwitch = await host.run('deploy.sh', [image('v2')], { NGINX_CMD: wrapper });
    assert.is(atSwitch.code, 1);
    assert.match(atSwitch.stderr, /nginx -t rejected the switch to (blue|green); the previous upstream is back in place/);
    assert.match(atSwitch.stderr, /could not switch nginx to (blue|green); traffic stays on (blue|green) \(release 1\)/);
  } finally {
    host.healNginx();
  }
  await unchanged('nginx -t failing at the switch');

  const noDir = await host.run('deploy.sh', [image('v3')], { APP_DIR: join(host.root, 'not-set-up'), NGINX_UPSTREAM_FILE: host.upstreamFile });
  assert.is(noDir.code, 1);
  assert.match(noDir.stderr, /APP_DIR .*not-set-up does not exist: create it as in DEPLOY\.md \(host setup\), or set APP_DIR/);
  const noUpstreamDir = await host.run('deploy.sh', [image('v3')], { NGINX_UPSTREAM_FILE: join(host.root, 'no-such-dir', 'upstream.conf') });
  assert.is(noUpstreamDir.code, 1);
  assert.match(noUpstreamDir.stderr, /the directory of NGINX_UPSTREAM_FILE \(.*no-such-dir\) does not exist/);
  const badPort = await host.run('deploy.sh', [image('v3')], { BLUE_PORT: 'eighty' });
  assert.is(badPort.code, 2);
  assert.match(badPort.stderr, /BLUE_PORT must be a whole number, got "eighty"/);
  await unchanged('host without its directories');
});

drill('RUNTIME=systemd: deploy.sh writes the color env file and drives <app>@<color> through SYSTEMCTL', async () => {
  await deployed('v1');
  // No systemd here: SYSTEMCTL points at a stand-in that does what the generated unit does
  // (ExecStartPre removes a leftover, ExecStart runs the image from the env file), and logs its calls.
  const calls = join(host.root, 'systemctl.calls');
  const fake = join(host.root, 'fake-systemctl');
  writeFileSync(
    fake,
    `#!/usr/bin/env bash
set -euo pipefail
echo "$*" >> ${calls}
unit=\${@: -1}; color=\${unit#*@}; color=\${color%.service}; name=${host.appName}-$color
case $1 in
  enable) ;;
  restart)
    set -a; . ${host.appDir}/$color.env; set +a
    docker rm --force "$name" > /dev/null 2>&1 || true
    docker run --detach --name "$name" --publish "127.0.0.1:$PORT:3000" --label deploy-kit.app=${host.appName} "$IMAGE" > /dev/null ;;
  disable) docker rm --force "$name" > /dev/null 2>&1 || true ;;
esac
`,
  );
  chmodSync(fake, 0o755);
  const r = await underTraffic('switch under RUNTIME=systemd', () => host.run('deploy.sh', [image('v2')], { RUNTIME: 'systemd', SYSTEMCTL: fake }));
  assert.is(r.code, 0, r.stderr);
  assert.is(await serving(), 'v2');
  const log = readFileSync(calls, 'utf8').trim().split('\n');
  const color = host.releaseLog().at(-1)!.split('\t')[6]!;
  const other = color === 'blue' ? 'green' : 'blue';
  assert.equal(log, [`enable ${host.appName}@${color}.service`, `restart ${host.appName}@${color}.service`, `disable --now ${host.appName}@${other}.service`]);
  assert.match(readFileSync(join(host.appDir, `${color}.env`), 'utf8'), /^IMAGE=sha256:[0-9a-f]{64}\nPORT=\d+\nRELEASE=2\n$/);
});

drill('KEEP_RELEASES: older images are removed; rolling back to one says so and leaves traffic alone', async () => {
  // This case removes an image, so it deploys one of its own (the shared ones stay for the other cases).
  const retired = image(`retired-${Date.now()}`);
  extraImages.add(retired);
  dockerBuildFrom(retired, `FROM ${image('base')}\nENV APP_VERSION=retired\n`);
  await deployed(retired.slice(retired.lastIndexOf(':') + 1), 'v1', 'v2');
  // Live is release 3 (v2), before it 2 (v1): rolling back with two releases kept frees release 1's image.
  const r = await host.run('rollback.sh', ['2'], { KEEP_RELEASES: '2' });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`removed old image ${retired}`));
  assert.throws(() => docker('image', 'inspect', retired));
  assert.not.throws(() => docker('image', 'inspect', image('v2')), 'the image of a kept release stays');
  const gone = await host.run('rollback.sh', ['1']);
  assert.is(gone.code, 1);
  assert.match(gone.stderr, new RegExp(`the image of release 1 \\(${retired}\\) is no longer on this host and PULL=never`));
  assert.is(await serving(), 'v1');
});

test.run();
