/**
 * The kubernetes target's manifests against the Kubernetes API schemas (kubernetes-models,
 * offline), and each overlay built by the real `kubectl kustomize`. Without kubectl (with
 * kustomize v5) the kustomize cases are skipped, with why; under CI they fail, since the
 * project's machines ship kubectl (Debian's kubernetes-client is 1.20, with a kustomize too old
 * for these overlays, so it is no substitute).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import type { DeployKitConfig } from '../src/config/types.js';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';

type Resource = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, any> };
type Model = { validate(): void };
const MODELS: Record<string, (r: Resource) => Model> = {
  'apps/v1/Deployment': (r) => new Deployment(r as never),
  'v1/Service': (r) => new Service(r as never),
  'networking.k8s.io/v1/Ingress': (r) => new Ingress(r as never),
  'autoscaling/v2/HorizontalPodAutoscaler': (r) => new HorizontalPodAutoscaler(r as never),
  'policy/v1/PodDisruptionBudget': (r) => new PodDisruptionBudget(r as never),
  'networking.k8s.io/v1/NetworkPolicy': (r) => new NetworkPolicy(r as never),
};
const KINDS = ['Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'NetworkPolicy', 'NetworkPolicy', 'PodDisruptionBudget', 'Service'];

/** Validates one resource against its API schema; throws with the resource named. */
function validate(r: Resource, where: string): void {
  const make = MODELS[`${r.apiVersion}/${r.kind}`];
  assert.ok(make, `${where}: ${r.apiVersion} ${r.kind} is not a kind the kit should write`);
  try {
    make!(r).validate();
  } catch (e) {
    assert.unreachable(`${where}: ${r.kind} ${r.metadata.name} does not validate against the Kubernetes API schema: ${(e as Error).message}`);
  }
}

const k8sScenarios = Object.entries(scenarios).filter(([, c]) => c.targets.some((t) => t.type === 'kubernetes'));

/** A scenario's kit written to a temporary directory. */
async function writeKit(config: DeployKitConfig): Promise<{ dir: string; files: Map<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'dk-k8s-'));
  const files = new Map<string, string>();
  for (const f of await renderScenario(config)) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
    files.set(f.path, f.content);
  }
  return { dir, files };
}

/** kubectl with kustomize v5+, or why not. */
function kustomizeTool(): { ok: true } | { ok: false; why: string } {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { ok: false, why: 'kubectl is not installed' };
  const v = /Kustomize Version: v(\d+)/.exec(r.stdout)?.[1];
  if (!v || Number(v) < 5) return { ok: false, why: `kubectl's kustomize is ${v ? `v${v}` : 'unknown'}, older than v5` };
  return { ok: true };
}
const tool = kustomizeTool();
// Without the tool the kustomize cases are registered as skipped (and counted so), not passed;
// under CI they run and fail, since CI must have the tool.
const withKustomize = tool.ok || process.env.CI ? test : test.skip;
if (!tool.ok && !process.env.CI) console.log(`targets-kubernetes: skipped kubectl kustomize: ${tool.why}`);

test('there are kubernetes scenarios (with kubectl and with Argo CD)', () => {
  assert.ok(k8sScenarios.length >= 2);
  assert.ok(k8sScenarios.some(([, c]) => c.targets.some((t) => t.type === 'kubernetes' && t.gitops === 'argocd')));
});

for (const [name, config] of k8sScenarios) {
  test(`${name}: every base resource validates against the Kubernetes API schemas`, async () => {
    const { files } = await writeKit(config);
    const base = [...files.keys()].filter((p) => p.startsWith('deploy/kubernetes/base/') && !p.endsWith('kustomization.yaml'));
    assert.equal(base.length, 6);
    const kinds = base.flatMap((p) =>
      parseAllDocuments(files.get(p)!).map((d) => {
        const r = d.toJS() as Resource;
        validate(r, p);
        return r.kind;
      }),
    );
    assert.equal(kinds.sort(), KINDS);
  });

  withKustomize(`${name}: kubectl kustomize builds each overlay into valid, locked-down resources`, async () => {
    if (!tool.ok) assert.unreachable(`${tool.why}: the kustomize check cannot run (CI must have kubectl with kustomize v5)`);
    const { dir, files } = await writeKit(config);
    const overlays = [...files.keys()].filter((p) => /^deploy\/kubernetes\/overlays\/[^/]+\/kustomization\.yaml$/.test(p)).map((p) => dirname(p));
    const expected = config.branches.staging ? 2 : 1;
    assert.is(overlays.length, expected);
    const namespaces = new Set<string>();
    for (const overlay of overlays) {
      const r = spawnSync('kubectl', ['kustomize', join(dir, overlay)], { encoding: 'utf8' });
      assert.is(r.status, 0, `kubectl kustomize ${overlay}: ${r.stderr}`);
      const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Resource);
      assert.equal(docs.map((d) => d.kind).sort(), KINDS);
      const overlayDoc = parse(files.get(`${overlay}/kustomization.yaml`)!) as { namespace: string };
      for (const d of docs) {
        validate(d, overlay);
        assert.is(d.metadata.namespace, overlayDoc.namespace, `${overlay}: ${d.kind} is in the overlay's namespace`);
      }
      namespaces.add(overlayDoc.namespace);
      const deploy = docs.find((d) => d.kind === 'Deployment')!;
      const target = config.targets.find((t) => t.type === 'kubernetes')!;
      const pod = deploy.spec.template.spec;
      const c = pod.containers[0];
      assert.is(deploy.spec.replicas, undefined, 'the HPA owns the replica count');
      assert.is(pod.securityContext.runAsNonRoot, true);
      assert.ok(Number.isInteger(pod.securityContext.runAsUser) && pod.securityContext.runAsUser > 0, 'a numeric non-root uid');
      assert.is(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
      assert.equal(c.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      assert.ok(c.volumeMounts.some((m: { mountPath: string }) => m.mountPath === '/tmp'), '/tmp is writable');
      const healthPath = config.services.find((s) => s.name === c.name)?.healthPath;
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        if (healthPath === undefined) assert.equal(c[probe].tcpSocket, { port: 'http' }, `${probe}: no route, a TCP probe`);
        else assert.is(c[probe].httpGet.path, healthPath, probe);
      }
      assert.ok(c.resources.requests.cpu && c.resources.limits.memory, 'requests and limits');
      // The app never starts without its Secret (optional: true started it silently without).
      assert.equal(c.envFrom, [{ secretRef: { name: `${deploy.metadata.name}-env` } }]);
      // Default deny for every pod of the namespace, then only the ingress controller to the app's port.
      const policies = docs.filter((d) => d.kind === 'NetworkPolicy');
      const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0)!;
      assert.ok(deny, 'a default-deny policy selects every pod');
      assert.equal(deny.spec.policyTypes, ['Ingress']);
      assert.is(deny.spec.ingress, undefined, 'it allows nothing');
      const allow = policies.find((p) => p !== deny)!;
      assert.equal(allow.spec.podSelector.matchLabels, deploy.spec.selector.matchLabels, 'the allow selects the app\'s pods');
      assert.is(allow.spec.ingress.length, 1);
      const ingressClass = (target as { ingressClassName?: string }).ingressClassName ?? 'nginx';
      const controller = ingressClass === 'nginx' ? 'ingress-nginx' : ingressClass;
      assert.equal(allow.spec.ingress[0].from, [{ namespaceSelector: {}, podSelector: { matchLabels: { 'app.kubernetes.io/name': controller } } }]);
      assert.equal(allow.spec.ingress[0].ports, [{ protocol: 'TCP', port: 'http' }]);
      assert.ok(c.ports.some((p: { name: string }) => p.name === 'http'), 'the allowed port is the container\'s');
      const hpa = docs.find((d) => d.kind === 'HorizontalPodAutoscaler')!;
      assert.ok(hpa.spec.minReplicas <= hpa.spec.maxReplicas);
      const ingress = docs.find((d) => d.kind === 'Ingress')!;
      assert.is(ingress.spec.tls[0].hosts[0], ingress.spec.rules[0].host, 'the certificate covers the host');
      if (target.type === 'kubernetes' && target.imageRepository) assert.match(c.image, new RegExp(`^${target.imageRepository}:`));
    }
    assert.is(namespaces.size, overlays.length, 'each environment has its own namespace');
  });
}

test('argocd: one Application per environment, pointing at an overlay that exists and its namespace', async () => {
  const [, config] = k8sScenarios.find(([, c]) => c.targets.some((t) => t.type === 'kubernetes' && t.gitops === 'argocd'))!;
  const { files } = await writeKit(config);
  const project = parse(files.get('deploy/kubernetes/argocd/project.yaml') ?? 'null') as Resource;
  assert.ok(project, 'an AppProject of its own');
  const apps = [...files.keys()].filter((p) => p.startsWith('deploy/kubernetes/argocd/') && !p.endsWith('/project.yaml'));
  assert.ok(apps.length >= 1);
  for (const p of apps) {
    const app = parse(files.get(p)!) as Resource;
    assert.is(app.apiVersion, 'argoproj.io/v1alpha1');
    assert.is(app.kind, 'Application');
    const overlay = parse(files.get(`${app.spec.source.path}/kustomization.yaml`) ?? 'null') as { namespace: string } | null;
    assert.ok(overlay, `${p}: source.path ${app.spec.source.path} is an overlay of the kit`);
    assert.is(app.spec.destination.namespace, overlay!.namespace);
    assert.match(app.spec.source.repoURL, /^https:\/\//);
    assert.equal(app.spec.syncPolicy.automated, { prune: true, selfHeal: true });
    assert.not.ok(JSON.stringify(app.spec.syncPolicy.syncOptions ?? []).includes('CreateNamespace'), 'no namespace creation');
    assert.is(app.spec.project, project.metadata.name, `${p}: in the kit's own project, not "default"`);
    assert.ok(project.spec.destinations.some((d: { namespace: string }) => d.namespace === app.spec.destination.namespace));
    assert.equal(project.spec.sourceRepos, [app.spec.source.repoURL]);
  }
  // The project: only this app's namespaces, nothing cluster-scoped, exactly the kinds the overlays hold.
  assert.is(project.kind, 'AppProject');
  assert.is(project.metadata.namespace, 'argocd');
  assert.is.not(project.metadata.name, 'default');
  assert.equal(project.spec.clusterResourceWhitelist, []);
  assert.is(project.spec.destinations.length, apps.length);
  const inCluster = (d: { namespace: string; server: string }) => d.namespace !== '*' && d.server === 'https://kubernetes.default.svc';
  assert.ok(project.spec.destinations.every(inCluster));
  const allowed = new Set(project.spec.namespaceResourceWhitelist.map((w: { group: string; kind: string }) => `${w.group}/${w.kind}`));
  const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');
  for (const p of [...files.keys()].filter((f) => f.startsWith('deploy/kubernetes/base/') && !f.endsWith('kustomization.yaml'))) {
    for (const d of parseAllDocuments(files.get(p)!).map((x) => x.toJS() as Resource)) {
      assert.ok(allowed.has(`${groupOf(d.apiVersion)}/${d.kind}`), `the project allows ${d.kind} (${p})`);
    }
  }
  assert.is(allowed.size, new Set(KINDS).size, 'and nothing else');
  // Argo mode commits the tag: the workflow needs no cluster credentials.
  assert.not.match(files.get('.github/workflows/kubernetes.yml')!, /KUBECONFIG/);
});

type Step = { name: string; run?: string };
const DIGEST = `sha256:${'ab12'.repeat(16)}`;

/** A step of a deploy job of the rendered kubernetes.yml, by name. */
function workflowStep(files: Map<string, string>, job: string, name: RegExp): Step {
  const wf = parse(files.get('.github/workflows/kubernetes.yml')!) as { jobs: Record<string, { steps: Step[]; env: Record<string, string> }> };
  const step = wf.jobs[job]?.steps.find((st) => name.test(st.name));
  assert.ok(step?.run, `${job}: a step named ${name}`);
  return step!;
}

withKustomize('kubectl mode: the release the workflow applies pins the image by digest, not by tag', async () => {
  if (!tool.ok) assert.unreachable(tool.why);
  const [, config] = k8sScenarios.find(([, c]) => c.targets.some((t) => t.type === 'kubernetes' && t.gitops !== 'argocd'))!;
  const { dir, files } = await writeKit(config);
  const wf = parse(files.get('.github/workflows/kubernetes.yml')!) as { jobs: Record<string, { outputs?: Record<string, string> }> };
  assert.match(wf.jobs.image!.outputs!.digest!, /steps\.build\.outputs\.digest/);
  const step = workflowStep(files, 'deploy-production', /^Render the release$/);
  const env = { ...process.env, IMAGE: 'ghcr.io/acme/app:0123abc', DIGEST, RUNNER_TEMP: dir };
  const r = spawnSync('bash', ['-e', '-c', step.run!], { cwd: dir, env, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const release = parseAllDocuments(readFileSync(join(dir, 'release.yaml'), 'utf8')).map((d) => d.toJS() as Resource);
  const deployment = release.find((d) => d.kind === 'Deployment')!;
  assert.is(deployment.spec.template.spec.containers[0].image, `ghcr.io/acme/app@${DIGEST}`);
  // No digest from the image job: refused, nothing rendered.
  const none = spawnSync('bash', ['-e', '-c', step.run!], { cwd: dir, env: { ...env, DIGEST: '', RUNNER_TEMP: join(dir, 'none') }, encoding: 'utf8' });
  assert.is.not(none.status, 0);
  assert.match(none.stdout, /reported no digest/);
});

withKustomize('argocd mode: the release commit pins the overlay to the digest, and again on the next release', async () => {
  if (!tool.ok) assert.unreachable(tool.why);
  const [, config] = k8sScenarios.find(([, c]) => c.targets.some((t) => t.type === 'kubernetes' && t.gitops === 'argocd'))!;
  const { dir, files } = await writeKit(config);
  const step = workflowStep(files, 'deploy-production', /^Pin /);
  // Only the editing part: the rest commits and pushes.
  const edit = step.run!.slice(0, step.run!.indexOf('git config'));
  const overlay = [...files.keys()].find((p) => /overlays\/production\/kustomization\.yaml$/.test(p))!;
  for (const digest of [DIGEST, `sha256:${'cd34'.repeat(16)}`]) {
    const env = { ...process.env, IMAGE: 'ghcr.io/acme/acme:0123abc', DIGEST: digest, OVERLAY: dirname(overlay) };
    const r = spawnSync('bash', ['-e', '-c', edit], { cwd: dir, env, encoding: 'utf8' });
    assert.is(r.status, 0, r.stdout + r.stderr);
    const built = spawnSync('kubectl', ['kustomize', join(dir, dirname(overlay))], { encoding: 'utf8' });
    assert.is(built.status, 0, built.stderr);
    const deployment = parseAllDocuments(built.stdout).map((d) => d.toJS() as Resource).find((d) => d.kind === 'Deployment')!;
    assert.is(deployment.spec.template.spec.containers[0].image, `ghcr.io/acme/acme@${digest}`);
  }
});

test('a base resource that breaks the API schema is caught', () => {
  const bad = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'x', image: 'x', ports: [{ containerPort: 'http' }] }] } } },
  };
  assert.throws(() => new Deployment(bad as never).validate());
});

test('the Deployment runs as the uid each stack\'s image runs as (Deno: 1993, Go: 65532, Node: 1000)', async () => {
  const base = scenarios['deno-oak']!;
  const cases: [DeployKitConfig, number][] = [
    [base, 1993],
    [{ ...scenarios['go-chi']!, ci: { provider: 'github' } }, 65532],
    [{ ...scenarios['express-npm']!, ci: { provider: 'github' } }, 1000],
  ];
  for (const [config, uid] of cases) {
    const withK8s = { ...config, ci: { provider: 'github' as const }, targets: [{ type: 'kubernetes' as const, domain: 'app.example.com' }] };
    const files = await renderScenario(withK8s);
    const deployment = parse(files.find((f) => f.path === 'deploy/kubernetes/base/deployment.yaml')!.content) as {
      spec: { template: { spec: { securityContext: { runAsUser: number; runAsGroup: number } } } };
    };
    assert.is(deployment.spec.template.spec.securityContext.runAsUser, uid, config.name);
    assert.is(deployment.spec.template.spec.securityContext.runAsGroup, uid, config.name);
  }
});

test.run();
