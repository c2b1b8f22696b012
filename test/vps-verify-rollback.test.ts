/**
 * What the VPS pipelines do when verification fails after deploy.sh, run for real: the rendered
 * GitHub steps and GitLab script, with `ssh` a stand-in that answers as deploy.sh does (its
 * stdout) and records the commands sent to the host, and verify.sh failing.
 * A deploy that changed nothing (the image was already live) must not roll back; one that
 * switched rolls back to exactly the release it replaced.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';

const NOOP = 'switched=false\nprevious_release=\n';
const SWITCHED = 'switched=true\nprevious_release=7\n';

interface Sandbox {
  dir: string;
  calls: string;
  env: Record<string, string>;
}

/** A directory with deploy/scripts/verify.sh that fails, and an `ssh` on PATH that prints DEPLOY_OUT for deploy.sh. */
function sandbox(deployOut: string): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'dk-verify-rollback-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'deploy', 'scripts'), { recursive: true });
  writeFileSync(join(dir, 'deploy', 'scripts', 'verify.sh'), 'echo "verify: /healthz answered 503" >&2\nexit 1\n');
  const calls = join(dir, 'ssh.calls');
  writeFileSync(join(dir, 'deploy.out.fixture'), deployOut);
  writeFileSync(
    join(bin, 'ssh'),
    `#!/usr/bin/env bash\nprintf '%s\\n' "\${@: -1}" >> ${calls}\ncase "\${@: -1}" in *deploy.sh*) cat ${join(dir, 'deploy.out.fixture')} ;; esac\n`,
  );
  chmodSync(join(bin, 'ssh'), 0o755);
  const env = { PATH: `${bin}:${process.env.PATH}`, HOME: dir, APP_DIR: '/srv/app', SCRIPT_ENV: '', IMAGE: 'registry/app:abc1234' };
  return { dir, calls, env };
}

function sshCalls(s: Sandbox): string[] {
  return existsSync(s.calls) ? readFileSync(s.calls, 'utf8').trim().split('\n') : [];
}

function bash(script: string, cwd: string, env: Record<string, string>): { code: number | null; out: string } {
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** The GitLab deploy job's script from the deploy.sh call on, run as the runner does (one shell, -e). */
async function gitlabAfterVerifyFails(deployOut: string): Promise<{ code: number | null; calls: string[]; out: string }> {
  const files = await renderScenario(scenarios['fastify-vps-gitlab']!);
  const ci = parse(files.find((f) => f.path === '.gitlab-ci.yml')!.content) as Record<string, { script: string[] }>;
  const script = ci['deploy-production']!.script;
  const from = script.findIndex((l) => l.includes('deploy.sh'));
  assert.ok(from >= 0, 'the job runs deploy.sh');
  const s = sandbox(deployOut);
  try {
    const body = script.slice(from).join('\n').replaceAll('/tmp/deploy-ssh', join(s.dir, 'ssh-dir'));
    mkdirSync(join(s.dir, 'ssh-dir'));
    const r = bash(body, s.dir, { ...s.env, CI_COMMIT_SHA: 'abc1234' });
    return { code: r.code, calls: sshCalls(s), out: r.out };
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
}

interface Step {
  id?: string;
  name: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
}

/** `if:` of the steps after a failure: the only forms the deploy job uses, anything else fails the test. */
function holds(condition: string, outcome: string, outputs: Record<string, string>): boolean {
  return condition.split('&&').every((raw) => {
    const term = raw.trim();
    if (term === 'failure()') return true;
    if (term === "always() && env.SSH_CONFIG != ''") return true;
    let m = /^steps\.deploy\.outcome == '(\w+)'$/.exec(term);
    if (m) return outcome === m[1];
    m = /^steps\.deploy\.outputs\.(\w+) == '(\w*)'$/.exec(term);
    if (m) return (outputs[m[1]!] ?? '') === m[2];
    if (term === 'always()' || term === "env.SSH_CONFIG != ''") return true;
    throw new Error(`unexpected condition term: ${term}`);
  });
}

/** The GitHub deploy job: the deploy step for real, then every step that runs after verify.sh fails. */
async function githubAfterVerifyFails(deployOut: string): Promise<{ calls: string[]; ran: string[]; out: string }> {
  const files = await renderScenario(scenarios['express-vps-github']!);
  const wf = parse(files.find((f) => f.path === '.github/workflows/deploy.yml')!.content) as { jobs: Record<string, { steps: Step[] }> };
  const steps = wf.jobs['deploy-production']!.steps;
  const at = steps.findIndex((st) => st.id === 'deploy');
  const verify = steps.findIndex((st) => st.run?.includes('verify.sh'));
  assert.ok(at >= 0 && verify > at, 'a deploy step, then verify');
  const s = sandbox(deployOut);
  try {
    const output = join(s.dir, 'github-output');
    writeFileSync(output, '');
    const env = { ...s.env, RUNNER_TEMP: s.dir, GITHUB_OUTPUT: output, GITHUB_SHA: 'abc1234', SSH_CONFIG: join(s.dir, 'config') };
    const deploy = bash(steps[at]!.run!, s.dir, env);
    assert.is(deploy.code, 0, deploy.out);
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    let out = '';
    const ran: string[] = [];
    for (const st of steps.slice(verify + 1)) {
      if (!st.if || !st.run || !holds(st.if, 'success', outputs)) continue;
      ran.push(st.name);
      const stepEnv = Object.fromEntries(
        Object.entries(st.env ?? {}).map(([k, v]) => [
          k,
          String(v).replace(/\$\{\{ steps\.deploy\.outputs\.(\w+) \}\}/, (_, key: string) => outputs[key] ?? ''),
        ]),
      );
      out += bash(st.run, s.dir, { ...env, ...stepEnv }).out;
    }
    return { calls: sshCalls(s), ran, out };
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
}

test('GitLab: verification fails after a no-op deploy: no rollback, the job fails', async () => {
  const r = await gitlabAfterVerifyFails(NOOP);
  assert.is(r.code, 1, r.out);
  assert.is(r.calls.filter((c) => c.includes('rollback.sh')).length, 0, `rollback ran: ${r.calls.join(' | ')}`);
  assert.match(r.out, /the deploy changed nothing, so nothing was rolled back/);
});

test('GitLab: verification fails after a switch: rollback to exactly the release it replaced', async () => {
  const r = await gitlabAfterVerifyFails(SWITCHED);
  assert.is(r.code, 1, r.out);
  assert.equal(
    r.calls.filter((c) => c.includes('rollback.sh')),
    [' /srv/app/bin/rollback.sh 7'],
  );
});

test('GitHub: verification fails after a no-op deploy: no rollback step runs', async () => {
  const r = await githubAfterVerifyFails(NOOP);
  assert.is(r.calls.filter((c) => c.includes('rollback.sh')).length, 0, `rollback ran: ${r.calls.join(' | ')}`);
  assert.ok(r.ran.some((n) => /nothing was switched/.test(n)), r.ran.join(', '));
});

test('GitHub: verification fails after a switch: rollback to exactly the release it replaced', async () => {
  const r = await githubAfterVerifyFails(SWITCHED);
  assert.equal(
    r.calls.filter((c) => c.includes('rollback.sh')),
    [' /srv/app/bin/rollback.sh 7'],
    r.out,
  );
});

test.run();
