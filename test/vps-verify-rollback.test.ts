/**
 * What the VPS pipelines do when verification fails after deploy.sh, run for real: the rendered
 * GitHub steps and GitLab script, their ssh going through the host's forced command (the
 * rendered ssh-gate.sh, see _ssh-gate.ts) to stand-in host scripts, and verify.sh failing.
 * A deploy that changed nothing (the image was already live) must not roll back; one that
 * switched rolls back to exactly the release it replaced.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';
import { gateHost, type GateHost } from './_ssh-gate.js';
import type { PlannedFile } from '../src/plan/index.js';

const NOOP = 'switched=false\nprevious_release=\n';
const SWITCHED = 'switched=true\nprevious_release=7\n';

/** The gate's stand-in host, and a checkout whose deploy/scripts/verify.sh fails. */
function sandbox(files: PlannedFile[], deployOut: string): GateHost {
  const h = gateHost(files, deployOut);
  mkdirSync(join(h.dir, 'deploy', 'scripts'), { recursive: true });
  writeFileSync(join(h.dir, 'deploy', 'scripts', 'verify.sh'), 'echo "verify: /healthz answered 503" >&2\nexit 1\n');
  return h;
}

const rollbacks = (h: GateHost) => h.calls().filter((c) => c.startsWith('rollback.sh')).map((c) => c.slice(0, c.indexOf(' |')));

function bash(script: string, cwd: string, env: Record<string, string>): { code: number | null; out: string } {
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** The GitLab deploy job's script from the deploy.sh call on, run as the runner does (one shell, -e). */
async function gitlabAfterVerifyFails(deployOut: string): Promise<{ code: number | null; rollbacks: string[]; out: string }> {
  const files = await renderScenario(scenarios['fastify-vps-gitlab']!);
  const ci = parse(files.find((f) => f.path === '.gitlab-ci.yml')!.content) as Record<string, { script: string[]; variables: Record<string, string> }>;
  const job = ci['deploy-production']!;
  const from = job.script.findIndex((l) => l.includes('DEPLOY_IMAGE'));
  assert.ok(from >= 0, 'the job deploys');
  const h = sandbox(files, deployOut);
  try {
    const body = job.script.slice(from).join('\n').replaceAll('/tmp/deploy-ssh', join(h.dir, 'ssh-dir'));
    mkdirSync(join(h.dir, 'ssh-dir'));
    // What the image job's dotenv report hands the deploy job: the pushed image by its digest.
    const image = `registry.gitlab.com/acme/orders@sha256:${'cd'.repeat(32)}`;
    const env = { PATH: `${h.sshBin}:${process.env.PATH}`, HOME: h.dir, ...job.variables, DEPLOY_IMAGE: image, CI_COMMIT_SHA: 'abc1234' };
    const r = bash(body, h.dir, env);
    return { code: r.code, rollbacks: rollbacks(h), out: r.out };
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
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
async function githubAfterVerifyFails(deployOut: string): Promise<{ rollbacks: string[]; ran: string[]; out: string }> {
  const files = await renderScenario(scenarios['express-vps-github']!);
  const wf = parse(files.find((f) => f.path === '.github/workflows/deploy.yml')!.content) as {
    jobs: Record<string, { steps: Step[]; env: Record<string, string> }>;
  };
  const job = wf.jobs['deploy-production']!;
  const steps = job.steps;
  const at = steps.findIndex((st) => st.id === 'deploy');
  const verify = steps.findIndex((st) => st.run?.includes('bash deploy/scripts/verify.sh'));
  assert.ok(at >= 0 && verify > at, 'a deploy step, then verify');
  const h = sandbox(files, deployOut);
  try {
    const output = join(h.dir, 'github-output');
    writeFileSync(output, '');
    const env = {
      PATH: `${h.sshBin}:${process.env.PATH}`,
      HOME: h.dir,
      GATE: job.env.GATE!,
      IMAGE: `ghcr.io/acme/express-api@sha256:${'cd'.repeat(32)}`,
      RUNNER_TEMP: h.dir,
      GITHUB_OUTPUT: output,
      GITHUB_SHA: 'abc1234',
      SSH_CONFIG: join(h.dir, 'config'),
    };
    const deploy = bash(steps[at]!.run!, h.dir, env);
    assert.is(deploy.code, 0, `deploy step: ${deploy.out}`);
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
      out += bash(st.run, h.dir, { ...env, ...stepEnv }).out;
    }
    return { rollbacks: rollbacks(h), ran, out };
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
}

test('GitLab: verification fails after a no-op deploy: no rollback, the job fails', async () => {
  const r = await gitlabAfterVerifyFails(NOOP);
  assert.is(r.code, 1, r.out);
  assert.equal(r.rollbacks, [], 'no rollback');
  assert.match(r.out, /the deploy changed nothing, so nothing was rolled back/);
});

test('GitLab: verification fails after a switch: rollback to exactly the release it replaced', async () => {
  const r = await gitlabAfterVerifyFails(SWITCHED);
  assert.is(r.code, 1, r.out);
  assert.equal(r.rollbacks, ['rollback.sh 7'], r.out);
});

test('GitHub: verification fails after a no-op deploy: no rollback step runs', async () => {
  const r = await githubAfterVerifyFails(NOOP);
  assert.equal(r.rollbacks, [], 'no rollback');
  assert.ok(r.ran.some((n) => /nothing was switched/.test(n)), r.ran.join(', '));
});

test('GitHub: verification fails after a switch: rollback to exactly the release it replaced', async () => {
  const r = await githubAfterVerifyFails(SWITCHED);
  assert.equal(r.rollbacks, ['rollback.sh 7'], r.out);
});

test.run();
