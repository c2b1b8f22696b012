/**
 * The platform targets: their refusals (each generator's check(), run before anything is
 * planned), the Space's port logic, and `add` / `remove` on a real repository with a kit and a
 * user's own edit.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { configProblems } from '../src/plan/index.js';
import type { DeployKitConfig, ServiceConfig, TargetConfig } from '../src/config/types.js';
import { spaceStart } from '../generators/hf-spaces/view.js';
import { cli, exampleRepo } from './_repo.js';
import { baseConfig } from './_scenarios.js';

const withTargets = (targets: TargetConfig[], over: Partial<DeployKitConfig> = {}, svc: Partial<ServiceConfig> = {}) => baseConfig({ targets, ...over }, svc);
const viteSite: Partial<ServiceConfig> = { kind: 'static', webFramework: 'vite', outputDir: 'dist', build: 'npm run build', framework: 'none' };

test('check: every platform target refuses GitLab CI, naming the GitHub-only targets', () => {
  for (const t of [
    { type: 'hf-spaces', space: 'a/b' },
    { type: 'github-pages' },
    { type: 'vercel', domain: 'a.example.com' },
    { type: 'netlify' },
    { type: 'fly', app: 'app-1' },
    { type: 'kubernetes', domain: 'a.example.com' },
  ] as TargetConfig[]) {
    const problems = configProblems(withTargets([t], { ci: { provider: 'gitlab' } }, viteSite));
    assert.is(problems.length, 1, `${t.type}: ${problems.join('; ')}`);
    assert.match(problems[0]!, new RegExp(`^targets\\[0\\] \\(${t.type}\\): the ${t.type} target deploys from GitHub Actions, and ci.provider is "gitlab"`));
    assert.match(problems[0]!, /GitHub-only targets: hf-spaces, github-pages, vercel, netlify, fly, kubernetes/);
  }
  assert.equal(configProblems(withTargets([{ type: 'compose' }], { ci: { provider: 'gitlab' } })), []);
});

test('check: github-pages needs a static build; vercel and netlify refuse a long-running server', () => {
  const pages = configProblems(withTargets([{ type: 'compose' }, { type: 'github-pages' }]));
  assert.equal(pages.length, 1);
  assert.match(
    pages[0]!,
    /^targets\[1\] \(github-pages\): no service has a static build \(services: "app" \(node, kind server, express\)\)\. GitHub Pages serves files only/,
  );
  assert.equal(configProblems(withTargets([{ type: 'github-pages' }], {}, viteSite)), []);
  const named = configProblems(withTargets([{ type: 'github-pages', service: 'app' }]));
  assert.match(named[0]!, /service "app" \(node, kind server, express\) has no static build/);
  for (const type of ['vercel', 'netlify'] as const) {
    const t = (type === 'vercel' ? { type, domain: 'a.example.com' } : { type }) as TargetConfig;
    assert.match(
      configProblems(withTargets([t]))[0] ?? '',
      new RegExp(`is a long-running server, which ${type === 'vercel' ? 'Vercel' : 'Netlify'} does not run`),
    );
    assert.equal(configProblems(withTargets([t], {}, viteSite)), []);
    assert.equal(configProblems(withTargets([t], {}, { kind: 'ssr', webFramework: 'next', build: 'npm run build', outputDir: '.next/standalone' })), []);
  }
});

test('refusals: kubernetes argocd needs its repository and image; names must exist', () => {
  assert.equal(configProblems(withTargets([{ type: 'hf-spaces', space: 'acme/demo' }])), []);
  const argo = configProblems(withTargets([{ type: 'kubernetes', domain: 'a.example.com', gitops: 'argocd' }]));
  assert.is(argo.length, 2);
  assert.match(argo.join('\n'), /gitops: argocd needs repoUrl/);
  assert.match(argo.join('\n'), /gitops: argocd needs imageRepository/);
  assert.match(configProblems(withTargets([{ type: 'fly', app: 'shop', service: 'web' }])).join('\n'), /service "web" names no service; services: app/);
  assert.match(
    configProblems(withTargets([{ type: 'fly', app: 'shop', stagingApp: 'shop' }], { branches: { production: 'main', staging: 'dev' } })).join('\n'),
    /stagingApp must differ from app/,
  );
});

test('Space port: flags rewritten, PORT where the app reads it, the own port where neither is known', () => {
  const py = (start: string, port: number, extra: Partial<ServiceConfig> = {}): ServiceConfig => ({
    name: 'a',
    path: '.',
    stack: 'python',
    framework: 'fastapi',
    server: 'uvicorn',
    packageManager: 'pip',
    languageVersion: '3.14',
    start,
    port,
    healthPath: '/h',
    ...extra,
  });
  assert.equal(spaceStart(py('uvicorn main:app --host 0.0.0.0 --port 8000', 8000), false), { start: 'uvicorn main:app --host 0.0.0.0 --port 7860' });
  assert.equal(spaceStart(py('uvicorn main:app --host 0.0.0.0', 8000), false), { start: 'uvicorn main:app --host 0.0.0.0 --port 7860' });
  assert.equal(spaceStart(py('gunicorn --bind 0.0.0.0:8000 app:app', 8000, { framework: 'flask', server: 'gunicorn' }), false), {
    start: 'gunicorn --bind 0.0.0.0:7860 app:app',
  });
  assert.equal(spaceStart(py('streamlit run app.py --server.port=8501', 8501, { framework: 'streamlit', server: 'streamlit' }), false), {
    start: 'streamlit run app.py --server.port=7860',
  });
  assert.equal(spaceStart(py('python app.py', 7860, { framework: 'gradio', server: 'python' }), false), { start: 'python app.py' });
  // A script that picks its own port: kept, unless detection saw it read PORT.
  assert.is(spaceStart(py('python serve.py', 8000, { framework: 'none', server: 'python' }), false), null);
  assert.equal(spaceStart(py('python serve.py', 8000, { framework: 'none', server: 'python' }), true), { start: 'python serve.py' });
  // The port somewhere no known flag holds it: not guessed at.
  assert.is(spaceStart(py('python serve.py 8000', 8000, { framework: 'none', server: 'python' }), true), null);
  assert.equal(spaceStart(py('hypercorn main:app -b 0.0.0.0:8000', 8000, { server: 'python' }), false), { start: 'hypercorn main:app -b 0.0.0.0:7860' });
  const node: ServiceConfig = {
    name: 'a',
    path: '.',
    stack: 'node',
    packageManager: 'npm',
    languageVersion: '26',
    start: 'node server.js',
    port: 3000,
    healthPath: '/h',
  };
  assert.is(spaceStart(node, false), null);
  assert.equal(spaceStart({ ...node, kind: 'ssr', webFramework: 'next' }, false), { start: 'node server.js' });
});

/** Every file under dir (relative, sorted), without git's own and the apply's state. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (f === '.git' || f === 'node_modules') continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

const targetsOf = (dir: string) => (parse(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8')) as DeployKitConfig).targets;

test('add hf-spaces, add kubernetes, remove hf-spaces on a repo with a kit and an edited Dockerfile', () => {
  const dir = exampleRepo();
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  const edit = '\n# tuned by hand: keep\n';
  writeFileSync(join(dir, 'Dockerfile'), readFileSync(join(dir, 'Dockerfile'), 'utf8') + edit);
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const before = tree(dir);

  const a = cli('deploy-kit', ['add', 'hf-spaces', '--space', 'acme/express-demo', '--emoji', '🦊'], dir);
  assert.is(a.code, 0, a.stderr);
  assert.equal(targetsOf(dir), [{ type: 'compose' }, { type: 'hf-spaces', space: 'acme/express-demo', emoji: '🦊' }]);
  const hfFiles = ['.github/workflows/hf-spaces.yml', 'deploy/hf-spaces/Dockerfile', 'deploy/hf-spaces/README.md'];
  const afterHf = tree(dir);
  assert.equal(
    afterHf.filter((p) => !before.includes(p) && !p.startsWith('.deploy-kit/')),
    hfFiles,
  );
  assert.ok(readFileSync(join(dir, 'Dockerfile'), 'utf8').endsWith(edit), 'the user edit is kept');
  assert.is(readFileSync(join(dir, 'README.md'), 'utf8'), readme, 'the repository README is not touched');
  const card = readFileSync(join(dir, 'deploy/hf-spaces/README.md'), 'utf8');
  assert.match(card, /^---\ntitle: "express-api"\nemoji: "🦊"\ncolorFrom: blue\ncolorTo: indigo\nsdk: docker\napp_port: 7860\n/);
  // The example's code reads PORT (detected under env:), so the Space image moves it to 7860 as uid 1000 (node).
  const spaceDockerfile = readFileSync(join(dir, 'deploy/hf-spaces/Dockerfile'), 'utf8');
  assert.match(spaceDockerfile, /PORT=7860/);
  assert.match(spaceDockerfile, /^USER node$/m);
  assert.not.match(readFileSync(join(dir, '.github/workflows/hf-spaces.yml'), 'utf8'), /hf_[A-Za-z0-9]{10}|HF_TOKEN@|:\$HF_TOKEN@/);

  const k = cli('deploy-kit', ['add', 'kubernetes', '--domain', 'api.example.com', '--replicas', '3'], dir);
  assert.is(k.code, 0, k.stderr);
  assert.equal(targetsOf(dir), [
    { type: 'compose' },
    { type: 'hf-spaces', space: 'acme/express-demo', emoji: '🦊' },
    { type: 'kubernetes', domain: 'api.example.com', replicas: 3 },
  ]);
  const k8sFiles = [
    '.github/workflows/kubernetes.yml',
    'deploy/kubernetes/base/deployment.yaml',
    'deploy/kubernetes/base/hpa.yaml',
    'deploy/kubernetes/base/ingress.yaml',
    'deploy/kubernetes/base/kustomization.yaml',
    'deploy/kubernetes/base/networkpolicy.yaml',
    'deploy/kubernetes/base/pdb.yaml',
    'deploy/kubernetes/base/service.yaml',
    'deploy/kubernetes/overlays/production/kustomization.yaml',
  ];
  const afterK8s = tree(dir);
  assert.equal(afterK8s.filter((p) => !afterHf.includes(p) && !p.startsWith('.deploy-kit/')), k8sFiles);
  assert.match(readFileSync(join(dir, 'deploy/kubernetes/overlays/production/kustomization.yaml'), 'utf8'), /path: \/spec\/minReplicas\n\s+value: 3\n/);
  assert.ok(readFileSync(join(dir, 'Dockerfile'), 'utf8').endsWith(edit));

  const r = cli('deploy-kit', ['remove', 'hf-spaces'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.equal(targetsOf(dir), [{ type: 'compose' }, { type: 'kubernetes', domain: 'api.example.com', replicas: 3 }]);
  for (const f of hfFiles) assert.not.ok(existsSync(join(dir, f)), `${f} removed with its target`);
  assert.equal(
    tree(dir).filter((p) => !p.startsWith('.deploy-kit/')),
    afterK8s.filter((p) => !hfFiles.includes(p) && !p.startsWith('.deploy-kit/')),
  );
  assert.ok(readFileSync(join(dir, 'Dockerfile'), 'utf8').endsWith(edit), 'the user edit survives all three steps');
  assert.not.match(readFileSync(join(dir, 'DEPLOY.md'), 'utf8'), /Hugging Face/);
  assert.match(readFileSync(join(dir, 'DEPLOY.md'), 'utf8'), /## Kubernetes/);
  assert.is(cli('deploy-kit', ['check'], dir).code, 0);
});

test('bad input: unknown target (closest suggested), twice, Pages without a static build, GitLab: clear message, nothing written', () => {
  const dir = exampleRepo();
  const u = cli('deploy-kit', ['add', 'hf-space', '--yes'], dir);
  assert.is(u.code, 2);
  assert.match(u.stderr, /unknown target "hf-space" \(did you mean "hf-spaces"\?\)/);
  assert.not.ok(existsSync(join(dir, 'deploy-kit.yaml')));

  // On a repo without a kit, a refused target writes no kit either.
  const fresh = cli('deploy-kit', ['add', 'github-pages', '--yes'], dir);
  assert.is(fresh.code, 1);
  assert.match(fresh.stderr, /targets\[1\] \(github-pages\): no service has a static build/);
  assert.match(fresh.stderr, /Nothing was written\./);
  assert.not.match(fresh.stderr, /\n\s+at /);
  assert.not.ok(existsSync(join(dir, 'deploy-kit.yaml')));
  assert.not.ok(existsSync(join(dir, '.github')));

  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  const snapshot = () => tree(dir).map((p) => `${p}\n${readFileSync(join(dir, p), 'utf8')}`).join('\n');
  const before = snapshot();
  const pages = cli('deploy-kit', ['add', 'github-pages'], dir);
  assert.is(pages.code, 1);
  assert.match(pages.stderr, /GitHub Pages serves files only/);
  assert.is(snapshot(), before, 'nothing written');

  assert.is(cli('deploy-kit', ['add', 'fly', '--app', 'express-demo'], dir).code, 0);
  const afterFly = snapshot();
  const twice = cli('deploy-kit', ['add', 'fly', '--app', 'other-app'], dir);
  assert.is(twice.code, 1);
  assert.match(twice.stderr, /already has a "fly" target/);
  assert.is(snapshot(), afterFly);

  // A GitHub-only target under GitLab CI.
  const cfg = join(dir, 'deploy-kit.yaml');
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('provider: github', 'provider: gitlab'));
  const underGitlab = snapshot();
  const gl = cli('deploy-kit', ['add', 'vercel', '--domain', 'shop.example.com'], dir);
  assert.is(gl.code, 1);
  assert.match(gl.stderr, /the vercel target deploys from GitHub Actions, and ci.provider is "gitlab"/);
  // The fly target already there is refused too: generate says so instead of writing half a kit.
  assert.match(gl.stderr, /the fly target deploys from GitHub Actions/);
  assert.is(snapshot(), underGitlab);
  const gen = cli('deploy-kit', ['generate'], dir);
  assert.is(gen.code, 1);
  assert.match(gen.stderr, /targets\[1\] \(fly\)/);
});

test.run();
