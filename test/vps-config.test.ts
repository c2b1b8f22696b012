/**
 * The vps target and the gitlab provider as config, view and rendered kit: schema accepts and
 * refuses, defaults, and the properties of the generated files the brief asks for (real branches,
 * least privilege, pinned host keys, no script injection, one deploy at a time).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { ConfigError, parseConfig } from '../src/config/load.js';
import type { VpsTargetConfig } from '../src/config/types.js';
import { renderNewConfig } from '../src/config/write.js';
import { vpsView } from '../generators/vps/view.js';
import { configProblems } from '../src/plan/index.js';
import { projectView } from '../src/view/project.js';
import type { DeployKitConfig } from '../src/config/types.js';
import { ACTIONS } from '../src/versions.js';
import { renderScenario } from './_render.js';
import { baseConfig, scenarios } from './_scenarios.js';

const vps = (over: Partial<VpsTargetConfig> = {}): VpsTargetConfig => ({ type: 'vps', domain: 'api.example.com', ...over });

function configIssues(text: string): string {
  try {
    parseConfig(text);
  } catch (e) {
    assert.instance(e, ConfigError);
    return (e as Error).message;
  }
  return '';
}

test('schema: a vps target with only a domain loads; gitlab is a CI provider', () => {
  const config = baseConfig({ targets: [vps()], ci: { provider: 'gitlab' } });
  assert.equal(parseConfig(renderNewConfig(config)).config, config);
});

test('schema: a vps target needs a domain, refuses unknown keys and bad values', () => {
  const good = renderNewConfig(baseConfig({ targets: [vps()] }));
  assert.match(configIssues(good.replace(/ {4}domain: api\.example\.com\n/, '')), /targets\[0\]: missing required key "domain"/);
  assert.match(
    configIssues(good.replace('domain: api.example.com', 'domain: api.example.com\n    domian: x')),
    /targets\[0\]\.domian: unknown key \(did you mean "domain"\?\)/,
  );
  assert.match(configIssues(good.replace('domain: api.example.com', 'domain: https://api.example.com/')), /targets\[0\]\.domain/);
  assert.match(
    configIssues(good.replace('domain: api.example.com', 'domain: api.example.com\n    bluePort: 80')),
    /targets\[0\]\.bluePort: 80 is out of range \(1024-65535\)/,
  );
  assert.match(configIssues(good.replace('provider: github', 'provider: jenkins')), /ci\.provider: "jenkins" is not allowed; allowed: github, gitlab/);
});

test('view: defaults, staging from branches.staging on its own directory, ports and domain', () => {
  const viewOf = (config: DeployKitConfig) => vpsView({ config, project: projectView(config) });
  const v = viewOf(baseConfig({ branches: { production: 'trunk', staging: 'develop' }, targets: [vps()] }))!;
  assert.is(v.production.appDir, '/srv/express-api');
  assert.equal([v.production.bluePort, v.production.greenPort], [8001, 8002]);
  assert.is(v.production.branch, 'trunk');
  assert.is(v.staging?.branch, 'develop');
  assert.is(v.staging?.domain, 'staging.api.example.com');
  assert.is(v.staging?.appDir, '/srv/express-api-staging');
  assert.equal([v.staging?.bluePort, v.staging?.greenPort], [8101, 8102]);
  assert.is(v.keepReleases, 5);
  assert.is(v.monitoring, false);
  assert.is(v.rateLimit, null);
  assert.is(viewOf(baseConfig({ targets: [vps()] }))!.staging, null, 'no staging branch, no staging');
  assert.is(v.production.githubIf, "github.ref == 'refs/heads/trunk'");
  const quoted = viewOf(baseConfig({ branches: { production: "it's", staging: null }, targets: [vps()] }))!;
  assert.is(quoted.production.githubIf, "github.ref == 'refs/heads/it''s'", 'a quote in a branch name stays inside the expression string');
  // A misspelled service is a refusal with the fix, not a crash.
  assert.equal(configProblems(baseConfig({ targets: [vps({ service: 'nope' })] })), ['targets[0] (vps): service "nope" names no service; services: app']);
  assert.match(configProblems(baseConfig({ targets: [vps({ bluePort: 9000, greenPort: 9000 })] })).join('\n'), /bluePort and greenPort are both 9000/);
});

test('deploy.yml: real branches, least privilege, pinned actions, secrets through env only, rollback on failed verification', async () => {
  const files = await renderScenario(scenarios['express-vps-github']!);
  const text = files.find((f) => f.path === '.github/workflows/deploy.yml')!.content;
  const wf = parse(text) as {
    on: { push: { branches: string[] } };
    permissions: Record<string, string>;
    jobs: Record<
      string,
      {
        permissions: Record<string, string>;
        if?: string;
        environment?: { name: string; url: string };
        concurrency?: { group: string; 'cancel-in-progress': boolean };
        uses?: string;
        steps?: { uses?: string; run?: string; if?: string; env?: Record<string, string> }[];
      }
    >;
  };
  assert.equal(wf.on.push.branches, ['trunk', 'develop']);
  assert.not.match(text, /\bmain\b/, 'no hard-coded main');
  assert.equal(wf.permissions, {});
  for (const [id, job] of Object.entries(wf.jobs)) {
    assert.is(job.permissions.packages === 'write', id === 'image', `packages: write only on the push job (${id})`);
    // The CI job calls ci.yml (a local reusable workflow): it has no steps of its own.
    if (job.uses) assert.is(job.uses, './.github/workflows/ci.yml', id);
    for (const step of job.steps ?? []) {
      if (step.uses) assert.match(step.uses, /^[\w/-]+@[0-9a-f]{40}$/, `${id}: ${step.uses} pinned by SHA`);
      assert.not.match(step.run ?? '', /\$\{\{/, `${id}: no expression inside run:`);
      for (const value of Object.values(step.env ?? {})) assert.not.match(value, /secrets\.(?!SSH_|GITHUB_TOKEN)/);
    }
  }
  for (const [id, env, branch, url] of [
    ['deploy-production', 'production', 'trunk', 'https://api.example.com'],
    ['deploy-staging', 'staging', 'develop', 'https://staging.api.example.com'],
  ] as const) {
    const job = wf.jobs[id]!;
    assert.is(job.if, `github.ref == 'refs/heads/${branch}'`);
    assert.equal(job.environment, { name: env, url });
    assert.equal(job.concurrency, { group: `deploy-${env}`, 'cancel-in-progress': false });
    const steps = job.steps ?? [];
    // Rolls back only when verification failed after this job switched traffic (deploy.sh's report).
    const rollback = steps.find((s) => /\$GATE rollback/.test(s.run ?? ''));
    assert.is(rollback?.if, "failure() && steps.deploy.outcome == 'success' && steps.deploy.outputs.switched == 'true'");
    assert.ok(steps.some((s) => /verify\.sh https:\/\//.test(s.run ?? '')));
  }
  assert.match(text, /StrictHostKeyChecking yes/);
  assert.not.match(text, /StrictHostKeyChecking[= ]no/);
  for (const name of ['docker/login-action', 'docker/metadata-action'] as const)
    assert.match(text, new RegExp(`${name}@${ACTIONS[name].sha} # ${ACTIONS[name].version}`));
});

test('.gitlab-ci.yml: stages, registry push with CI_REGISTRY credentials, resource_group, environment, rules on the real branch', async () => {
  const files = await renderScenario(scenarios['fastify-vps-gitlab']!);
  assert.not.ok(files.some((f) => f.path.startsWith('.github/')), 'no GitHub files for a GitLab project');
  const text = files.find((f) => f.path === '.gitlab-ci.yml')!.content;
  const ci = parse(text) as Record<
    string,
    { stage?: string; resource_group?: string; environment?: { name: string; url: string }; rules?: { if?: string }[] }
  > & { stages: string[] };
  assert.equal(ci.stages, ['test', 'build', 'deploy']);
  assert.match(text, /docker login --username "\$CI_REGISTRY_USER" --password-stdin "\$CI_REGISTRY"/);
  const deploy = ci['deploy-production']!;
  assert.is(deploy.resource_group, 'prod');
  assert.equal(deploy.environment, { name: 'prod', url: 'https://orders.example.org' });
  assert.equal(deploy.rules, [{ if: '$CI_COMMIT_BRANCH == "main"' }]);
  assert.match(text, /StrictHostKeyChecking yes/);
});

test('alert rules: every rule has an expression, a duration, a severity and a summary', async () => {
  const files = await renderScenario(scenarios['express-vps-github']!);
  const rules = parse(files.find((f) => f.path === 'deploy/monitoring/alerts.yml')!.content) as {
    groups: { name: string; rules: Record<string, unknown>[] }[];
  };
  assert.equal(rules.groups.map((g) => g.name), ['express-api', 'express-api-staging']);
  const names = rules.groups[0]!.rules.map((r) => r.alert);
  for (const wanted of ['InstanceDown', 'HighErrorRate', 'HighLatency', 'PublicEndpointDown']) assert.ok(names.includes(wanted), wanted);
  for (const rule of rules.groups.flatMap((g) => g.rules)) {
    assert.type(rule.expr, 'string');
    assert.match(String(rule.for), /^\d+[smh]$/);
    assert.ok((rule.labels as { severity?: string }).severity);
    assert.ok((rule.annotations as { summary?: string }).summary);
  }
  assert.not.ok(
    (await renderScenario(scenarios['fastify-vps-gitlab']!)).some((f) => f.path.startsWith('deploy/monitoring/')),
    'no monitoring files unless asked for',
  );
});

test.run();
