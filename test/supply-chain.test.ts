/**
 * The supply chain of the deploys: images go out by digest, never by a tag; with
 * `security.verifyImages` the VPS host (the rendered deploy.sh, with a stand-in `gh` on its PATH)
 * and the Kubernetes jobs refuse an image whose build attestation does not verify; GitLab scans
 * each image with a pinned Trivy. The rendered steps and scripts run for real against stand-ins
 * for docker, gh and ssh (this machine reaches no registry and no GitHub); the VPS drill runs the
 * same deploy.sh paths on the real engine.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { ConfigError, parseConfig } from '../src/config/load.js';
import { renderNewConfig } from '../src/config/write.js';
import type { DeployKitConfig } from '../src/config/types.js';
import { RefusalError } from '../src/errors.js';
import type { PlannedFile } from '../src/plan/index.js';
import { CI_IMAGES } from '../src/versions.js';
import { renderScenario } from './_render.js';
import { baseConfig, scenarios } from './_scenarios.js';
import { gateHost } from './_ssh-gate.js';
import { platformScenarios } from './_targets-scenarios.js';

const DIGEST = `sha256:${'ef'.repeat(32)}`;
type Step = { id?: string; name?: string; uses?: string; if?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> };
type Job = { steps: Step[]; env: Record<string, string>; permissions: Record<string, string>; outputs?: Record<string, string> };

const fileOf = (files: PlannedFile[], path: string) => files.find((f) => f.path === path)!.content;
const workflow = (files: PlannedFile[], path: string) => parse(fileOf(files, path)) as { jobs: Record<string, Job> };

function bash(script: string, cwd: string, env: Record<string, string>, input = ''): { code: number | null; out: string } {
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script], { cwd, env, input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** An executable stand-in at dir/name running `body` (bash). */
function stub(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const scratch = () => mkdtempSync(join(tmpdir(), 'dk-supply-'));

test('VPS (GitHub): the image job hands the deploy jobs repository@digest; the deploy step refuses anything else', async () => {
  const files = await renderScenario(scenarios['express-vps-github']!);
  const wf = workflow(files, '.github/workflows/deploy.yml');
  assert.is(wf.jobs.image!.outputs!.image, '${{ steps.name.outputs.repository }}@${{ steps.build.outputs.digest }}');
  const job = wf.jobs['deploy-production']!;
  const step = job.steps.find((s) => s.id === 'deploy')!;
  const h = gateHost(files);
  try {
    const env = { PATH: `${h.sshBin}:${process.env.PATH}`, HOME: h.dir, GATE: job.env.GATE!, RUNNER_TEMP: h.dir, GITHUB_SHA: 'abc1234' };
    writeFileSync(join(h.dir, 'out'), '');
    const tag = bash(step.run!, h.dir, { ...env, IMAGE: 'ghcr.io/acme/express-api:abc1234', GITHUB_OUTPUT: join(h.dir, 'out') });
    assert.is(tag.code, 1);
    assert.match(tag.out, /the image job reported no digest/);
    assert.equal(h.calls(), [], 'nothing reached the host');
    const image = `ghcr.io/acme/express-api@${DIGEST}`;
    const ok = bash(step.run!, h.dir, { ...env, IMAGE: image, GITHUB_OUTPUT: join(h.dir, 'out') });
    assert.is(ok.code, 0, ok.out);
    assert.match(h.calls()[0]!, new RegExp(`^deploy\\.sh ghcr\\.io/acme/express-api@${DIGEST} \\| .* VERIFY_REPO=unset stdin=$`));
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
  // Without security.verifyImages the attestation is made where GitHub offers it (public repositories).
  const attest = wf.jobs.image!.steps.find((s) => s.uses?.startsWith('actions/attest-build-provenance@'))!;
  assert.is(attest.if, '${{ !github.event.repository.private }}');
  assert.not.ok(fileOf(files, 'deploy/scripts/ssh-gate.conf').includes('VERIFY_REPO'));
});

test('VPS with security.verifyImages: attested always, VERIFY_REPO in the gate, the job token reaches deploy.sh on stdin', async () => {
  const files = await renderScenario(scenarios['fastapi-uv']!);
  const wf = workflow(files, '.github/workflows/deploy.yml');
  const attest = wf.jobs.image!.steps.find((s) => s.uses?.startsWith('actions/attest-build-provenance@'))!;
  assert.is(attest.if, undefined, 'required, not skipped in a private repository');
  const job = wf.jobs['deploy-production']!;
  assert.equal(job.permissions, { contents: 'read', packages: 'read', attestations: 'read' });
  const conf = fileOf(files, 'deploy/scripts/ssh-gate.conf');
  assert.match(conf, /^IMAGE_PATTERN='ghcr\.io\/acme\/acme-api@sha256:\*'$/m);
  assert.match(conf, /^ENV_production='.* VERIFY_REPO=Acme\/acme-api'$/m);
  const step = job.steps.find((s) => s.id === 'deploy')!;
  const h = gateHost(files);
  try {
    const env = { PATH: `${h.sshBin}:${process.env.PATH}`, HOME: h.dir, GATE: job.env.GATE!, RUNNER_TEMP: h.dir, GITHUB_SHA: 'abc1234' };
    writeFileSync(join(h.dir, 'out'), '');
    const image = `ghcr.io/acme/acme-api@${DIGEST}`;
    const r = bash(step.run!, h.dir, { ...env, IMAGE: image, GITHUB_OUTPUT: join(h.dir, 'out'), REGISTRY_TOKEN: 'ghs_jobtoken' });
    assert.is(r.code, 0, r.out);
    assert.match(h.calls()[0]!, /^deploy\.sh ghcr\.io\/acme\/acme-api@sha256:\S+ \| .* VERIFY_REPO=Acme\/acme-api stdin=ghs_jobtoken$/);
    // Another owner's image, even attested by its own repository, never reaches deploy.sh.
    const other = h.ssh(`production deploy ghcr.io/evil/acme-api@${DIGEST}`);
    assert.is(other.code, 2);
    assert.match(other.stderr, /does not match IMAGE_PATTERN/);
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
});

/** The rendered host scripts in a scratch host: a stand-in docker that knows no image, nginx -t that passes. */
type Run = (args: string[], env: Record<string, string>, input?: string) => { code: number | null; out: string };

function scriptsHost(files: PlannedFile[]): { dir: string; run: Run } {
  const dir = scratch();
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'app', 'nginx'), { recursive: true });
  for (const f of ['deploy.sh', 'lib.sh', 'settings.sh']) writeFileSync(join(bin, f), fileOf(files, `deploy/scripts/${f}`));
  stub(dir, 'docker', `echo "docker $*" >> ${join(dir, 'docker.calls')}\nexit 1`);
  const base = { PATH: process.env.PATH!, HOME: dir, APP_DIR: join(dir, 'app'), NGINX_CMD: 'true', DOCKER: join(dir, 'docker'), PULL: 'never' };
  return {
    dir,
    run: (args, env, input = '') => {
      const r = spawnSync('bash', [join(bin, 'deploy.sh'), ...args], { env: { ...base, ...env }, input, encoding: 'utf8' });
      return { code: r.status, out: r.stdout + r.stderr };
    },
  };
}

test('deploy.sh with VERIFY_REPO: refuses an image gh cannot verify, a tag, a host without gh; passes a verified digest on', async () => {
  const h = scriptsHost(await renderScenario(scenarios['fastapi-uv']!));
  try {
    const gh = stub(h.dir, 'gh', `printf '%s GH_TOKEN=%s\\n' "$*" "\${GH_TOKEN-unset}" >> ${join(h.dir, 'gh.calls')}\n[ -e ${join(h.dir, 'gh.ok')} ]`);
    const env = { VERIFY_REPO: 'Acme/acme-api', GH: gh };
    const image = `ghcr.io/acme/acme-api@${DIGEST}`;
    const refused = h.run([image], env, 'ghs_jobtoken\n');
    assert.is(refused.code, 1);
    assert.ok(
      refused.out.includes(
        `refusing ${image}: no build attestation of it verifies as signed by Acme/acme-api/.github/workflows/deploy.yml (traffic was not touched)`,
      ),
      refused.out,
    );
    assert.equal(readFileSync(join(h.dir, 'gh.calls'), 'utf8').trim().split('\n'), [
      `attestation verify oci://${image} --repo Acme/acme-api --signer-workflow Acme/acme-api/.github/workflows/deploy.yml GH_TOKEN=ghs_jobtoken`,
    ]);
    assert.not.ok(existsSync(join(h.dir, 'docker.calls')), 'docker never ran: nothing pulled or started');

    const tag = h.run(['ghcr.io/acme/acme-api:abc1234'], env);
    assert.is(tag.code, 1);
    assert.match(tag.out, /VERIFY_REPO is set, so the image must be named by its digest \(REPOSITORY@sha256:\.\.\.\), not ghcr\.io\/acme\/acme-api:abc1234/);
    const noGh = h.run([image], { ...env, GH: join(h.dir, 'no-gh') });
    assert.is(noGh.code, 1);
    assert.match(noGh.out, /VERIFY_REPO is set, but \S*no-gh \(the GitHub CLI\) is not installed on this host: install it as in DEPLOY\.md \(host setup\)/);

    writeFileSync(join(h.dir, 'gh.ok'), '');
    const passed = h.run([image], env);
    assert.match(passed.out, /attestation verified: Acme\/acme-api\/\.github\/workflows\/deploy\.yml built /);
    // On to the deploy itself: the stand-in docker has no image, so it stops there.
    assert.match(passed.out, /is not on this host and PULL=never/);
    // Without VERIFY_REPO nothing is checked and stdin is never read.
    const plain = h.run([image], { GH: gh });
    assert.not.match(plain.out, /attestation/);
    assert.is(readFileSync(join(h.dir, 'gh.calls'), 'utf8').trim().split('\n').length, 2);
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
});

test('Kubernetes with security.verifyImages: attested in the image job, verified before each apply or commit', async () => {
  const targets = platformScenarios();
  for (const name of ['express-kubernetes', 'next-kubernetes-argocd']) {
    const files = await renderScenario(targets[name]!);
    const wf = workflow(files, '.github/workflows/kubernetes.yml');
    const image = wf.jobs.image!;
    assert.equal(image.permissions, { contents: 'read', packages: 'write', 'id-token': 'write', attestations: 'write' }, name);
    const build = image.steps.findIndex((s) => s.id === 'build');
    const attest = image.steps.findIndex((s) => s.uses?.startsWith('actions/attest-build-provenance@'));
    assert.ok(attest > build, `${name}: attested after the push`);
    assert.is(image.steps[attest]!.with?.['subject-digest'], '${{ steps.build.outputs.digest }}');
    const job = wf.jobs['deploy-production']!;
    assert.is(job.permissions.attestations, 'read', name);
    const verify = job.steps.findIndex((s) => /Verify the image's build attestation/.test(s.name ?? ''));
    const acts = job.steps.findIndex((s) => s.id === 'apply' || /^Pin /.test(s.name ?? ''));
    assert.ok(verify >= 0 && verify < acts, `${name}: verified before it deploys`);
    const dir = scratch();
    try {
      stub(dir, 'gh', `echo "$*" > ${join(dir, 'gh.args')}\n[ -e ${join(dir, 'gh.ok')} ]`);
      const env = { PATH: `${dir}:${process.env.PATH}`, IMAGE: 'ghcr.io/acme/acme:abc1234', DIGEST, GITHUB_REPOSITORY: 'Acme/acme', GH_TOKEN: 'x' };
      const refused = bash(job.steps[verify]!.run!, dir, env);
      assert.is(refused.code, 1, name);
      assert.match(refused.out, /has no build attestation signed by this repository's kubernetes\.yml: not deployed/);
      const args = `attestation verify oci://ghcr.io/acme/acme@${DIGEST} --repo Acme/acme --signer-workflow Acme/acme/.github/workflows/kubernetes.yml`;
      assert.is(readFileSync(join(dir, 'gh.args'), 'utf8').trim(), args);
      writeFileSync(join(dir, 'gh.ok'), '');
      assert.is(bash(job.steps[verify]!.run!, dir, env).code, 0, name);
      assert.is(bash(job.steps[verify]!.run!, dir, { ...env, DIGEST: '' }).code, 1, `${name}: no digest, no deploy`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // Off by default: no verify step, no extra permissions on the deploy jobs.
  const plain = workflow(await renderScenario(targets['express-tcp-kubernetes']!), '.github/workflows/kubernetes.yml');
  assert.equal(plain.jobs['deploy-production']!.permissions, { contents: 'read' });
});

test('security.verifyImages: refused under GitLab CI and, for a VPS, without security.repository; the schema checks the name', async () => {
  const refusal = async (config: DeployKitConfig) => {
    try {
      await renderScenario(config);
    } catch (e) {
      assert.instance(e, RefusalError);
      return (e as Error).message;
    }
    return '';
  };
  const gitlab = { ...scenarios['fastify-vps-gitlab']!, security: { verifyImages: true } };
  assert.match(await refusal(gitlab), /security\.verifyImages: the deploys check GitHub artifact attestations, which only GitHub Actions makes/);
  const noRepo = { ...scenarios['express-vps-github']!, security: { verifyImages: true } };
  assert.match(await refusal(noRepo), /security\.verifyImages: .* set security\.repository to owner\/name/);
  const issues = (config: DeployKitConfig) => {
    try {
      parseConfig(renderNewConfig(config));
      return '';
    } catch (e) {
      assert.instance(e, ConfigError);
      return (e as Error).message;
    }
  };
  assert.is(issues(baseConfig({ security: { verifyImages: true, repository: 'acme/shop' } })), '');
  assert.match(issues(baseConfig({ security: { verifyImages: true, repository: 'acme/shop; id' } })), /security\.repository/);
});

test('GitLab: each image is scanned by a pinned Trivy and the job fails when it finds a fixable critical; ci.imageScan: false turns it off', async () => {
  assert.match(CI_IMAGES.trivy, /^aquasec\/trivy:\d+\.\d+\.\d+$/, 'pinned to a release, never latest');
  const files = await renderScenario(scenarios['fastify-vps-gitlab']!);
  const job = (parse(fileOf(files, '.gitlab-ci.yml')) as Record<string, { script: string[] }>)['image-api']!;
  const scan = job.script.findIndex((l) => l.includes('Image scan'));
  const smoke = job.script.findIndex((l) => l.includes('Smoke test'));
  assert.ok(scan > smoke, 'scanned after the smoke test');
  const run = `docker create --name trivy ${CI_IMAGES.trivy} image --input /tmp/image.tar --severity CRITICAL --ignore-unfixed --exit-code 1`;
  assert.ok(job.script[scan]!.includes(run), job.script[scan]);
  const dir = scratch();
  try {
    // The scan block with a stand-in docker whose Trivy run exits as told.
    stub(dir, 'docker', `echo "$*" >> ${join(dir, 'docker.calls')}\nif [ "$1" = start ]; then exit "$(cat ${join(dir, 'verdict')})"; fi`);
    const env = { PATH: `${dir}:${process.env.PATH}`, IMAGE: 'registry.gitlab.com/acme/orders', CI_COMMIT_SHA: 'abc1234' };
    writeFileSync(join(dir, 'verdict'), '1');
    const found = spawnSync('sh', ['-ec', job.script[scan]!], { cwd: dir, env, encoding: 'utf8' });
    assert.is(found.status, 1);
    assert.match(found.stdout, /Trivy found critical vulnerabilities with a fix in api's image/);
    assert.match(readFileSync(join(dir, 'docker.calls'), 'utf8'), /^rm --force trivy$/m, 'the scanner container is removed either way');
    writeFileSync(join(dir, 'verdict'), '0');
    assert.is(spawnSync('sh', ['-ec', job.script[scan]!], { cwd: dir, env }).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const off = await renderScenario({ ...scenarios['fastify-vps-gitlab']!, ci: { provider: 'gitlab', imageScan: false } });
  assert.not.match(fileOf(off, '.gitlab-ci.yml'), /trivy/);
});

test('GitLab: the push records the image by digest for the deploy job, which refuses to deploy without one', async () => {
  const files = await renderScenario(scenarios['fastify-vps-gitlab']!);
  const ci = parse(fileOf(files, '.gitlab-ci.yml')) as Record<string, { script: string[]; artifacts?: unknown }>;
  const image = ci['image-api']!;
  assert.equal(image.artifacts, { reports: { dotenv: 'deploy-image.env' } });
  const push = image.script.find((l) => l.includes('docker push'))!;
  const dir = scratch();
  try {
    stub(dir, 'docker', `if [ "$1" = inspect ]; then echo "registry.gitlab.com/acme/orders@${DIGEST}"; fi`);
    const env = { PATH: `${dir}:${process.env.PATH}`, IMAGE: 'registry.gitlab.com/acme/orders', CI_COMMIT_SHA: 'abc1234', PUSH: 'true' };
    const r = spawnSync('sh', ['-ec', push], { cwd: dir, env, encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    assert.is(readFileSync(join(dir, 'deploy-image.env'), 'utf8'), `DEPLOY_IMAGE=registry.gitlab.com/acme/orders@${DIGEST}\n`);
    const deploy = ci['deploy-production']!.script;
    const check = deploy.find((l) => l.includes('DEPLOY_IMAGE') && l.includes('exit 1'))!;
    assert.is(bash(check, dir, { PATH: process.env.PATH! }).code, 1);
    assert.is(bash(check, dir, { PATH: process.env.PATH!, DEPLOY_IMAGE: `registry.gitlab.com/acme/orders@${DIGEST}` }).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const HAND_WORKFLOW = `name: Deploy
on:
  push:
    branches: [main]
permissions: {}
concurrency:
  group: deploy
  cancel-in-progress: false
jobs:
  deploy:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    environment: production
    steps:
      - run: |
          echo "rolling out"
          kubectl set image deployment/app app=ghcr.io/acme/app:\${{ github.sha }}
      - run: kubectl set image deployment/app app=ghcr.io/acme/app
      - run: ssh deploy@host "deploy.sh ghcr.io/acme/app:latest"
      - run: kubectl set image deployment/app app=ghcr.io/acme/app@\${{ needs.image.outputs.digest }}
      - run: ssh deploy@host "deploy.sh $IMAGE $GITHUB_SHA"
`;

const HAND_GITLAB = `stages: [build, deploy]
scan:
  stage: build
  image: docker:29-cli
  services:
    - docker:dind
  script:
    - docker run --rm aquasec/trivy image --exit-code 1 "$IMAGE"
    - docker run --rm aquasec/trivy:0.74.0 image "$IMAGE"
deploy:
  stage: deploy
  image:
    name: bitnami/kubectl
  script:
    - |
      kubectl config use-context prod
      kubectl set image deployment/app app=$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA
    - ssh deploy@host "deploy.sh $DEPLOY_IMAGE"
`;

test('doctor rules for hand-written pipelines: deploy by a movable tag, an unpinned job or scanner image', async () => {
  const { validateFile } = await import('../src/validate/index.js');
  const rules = (findings: { rule: string; line?: number }[], rule: string) => findings.filter((f) => f.rule === rule).map((f) => f.line);
  const wf = await validateFile('.github/workflows/deploy.yml', HAND_WORKFLOW);
  assert.equal(rules(wf.findings, 'deploy/mutable-tag'), [18, 19, 20], JSON.stringify(wf.findings, null, 1));
  const gl = await validateFile('.gitlab-ci.yml', HAND_GITLAB);
  assert.equal(rules(gl.findings, 'gitlab/unpinned-image'), [8, 13], JSON.stringify(gl.findings, null, 1));
  assert.equal(rules(gl.findings, 'deploy/mutable-tag'), [17]);
  assert.match(gl.findings.find((f) => f.line === 8)!.message, /runs the scanner aquasec\/trivy unpinned/);
  assert.match(gl.findings.find((f) => f.line === 13)!.message, /deploy's image: bitnami\/kubectl has no tag/);
  // doctor runs them on a repository it did not write.
  const dir = scratch();
  try {
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, '.github', 'workflows', 'deploy.yml'), HAND_WORKFLOW);
    writeFileSync(join(dir, '.gitlab-ci.yml'), HAND_GITLAB);
    const { doctor } = await import('../src/doctor/index.js');
    const found = (await doctor(dir)).findings.filter((f) => /^(deploy|gitlab)\//.test(f.rule)).map((f) => `${f.file}:${f.line} ${f.rule}`);
    assert.equal(found.sort(), [
      '.github/workflows/deploy.yml:18 deploy/mutable-tag',
      '.github/workflows/deploy.yml:19 deploy/mutable-tag',
      '.github/workflows/deploy.yml:20 deploy/mutable-tag',
      '.gitlab-ci.yml:13 gitlab/unpinned-image',
      '.gitlab-ci.yml:17 deploy/mutable-tag',
      '.gitlab-ci.yml:8 gitlab/unpinned-image',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
