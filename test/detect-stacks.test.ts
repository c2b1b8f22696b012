import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MANIFESTS, STACKS, dockerfileTemplate, servedByNginx, stackFields, stackOf } from '../stacks/index.js';
import { partialsFromDisk, templatePath } from '../src/plan/load-templates.js';
import type { ServiceConfig } from '../src/config/types.js';
import type { DetectedService } from '../src/detect/types.js';
import { ROOT } from './_repo.js';

/** One config per stack and kind, the least each needs to render. */
const SERVICES: ServiceConfig[] = [
  { name: 'api', path: '.', stack: 'node', packageManager: 'npm', languageVersion: '22', start: 'node server.js', port: 3000, healthPath: '/health' },
  {
    name: 'ssr',
    path: '.',
    stack: 'node',
    kind: 'ssr',
    webFramework: 'next',
    packageManager: 'pnpm',
    languageVersion: '22',
    start: 'node server.js',
    port: 3000,
    healthPath: '/',
  },
  {
    name: 'site',
    path: '.',
    stack: 'node',
    kind: 'static',
    webFramework: 'vite',
    packageManager: 'npm',
    languageVersion: '22',
    build: 'npm run build',
    outputDir: 'dist',
    port: 8080,
    healthPath: '/healthz',
  },
  { name: 'py', path: 'apps/py', stack: 'python', packageManager: 'uv', languageVersion: '3.13', start: 'python app.py', port: 8000, healthPath: '/health' },
  { name: 'go', path: 'services/go', stack: 'go', languageVersion: '1.24', mainPackage: '.', port: 8080, healthPath: '/healthz' },
  { name: 'www', path: 'www', stack: 'static', port: 8080, healthPath: '/healthz' },
  { name: 'deno', path: 'apps/deno', stack: 'deno', languageVersion: '2.5', start: 'deno run --allow-net main.ts', port: 8000, healthPath: '/health' },
  { name: 'bun', path: 'apps/bun', stack: 'bun', languageVersion: '1.3', start: 'bun run src/index.ts', port: 3000, healthPath: '/health' },
  { name: 'rust', path: 'services/rust', stack: 'rust', languageVersion: '1.100', start: 'api', port: 8080 },
  { name: 'ruby', path: 'apps/ruby', stack: 'ruby', languageVersion: '4.0', start: 'bundle exec puma -C config/puma.rb', port: 3000, healthPath: '/up' },
  { name: 'java', path: 'services/java', stack: 'java', packageManager: 'maven', languageVersion: '25', port: 8080, healthPath: '/actuator/health' },
  { name: 'dotnet', path: 'apps/dotnet', stack: 'dotnet', languageVersion: '10.0', project: 'Api.csproj', start: 'dotnet Api.dll', port: 8080 },
  { name: 'php', path: 'apps/php', stack: 'php', framework: 'laravel', languageVersion: '8.5', port: 8080, healthPath: '/up' },
  { name: 'ex', path: 'apps/ex', stack: 'elixir', framework: 'phoenix', languageVersion: '1.20', start: 'bin/ex start', port: 4000, healthPath: '/health' },
];

test('every stack is registered once, and every stack id in the config types has a module', () => {
  const ids = STACKS.map((s) => s.id);
  assert.equal([...new Set(ids)], ids);
  assert.equal(ids, ['node', 'bun', 'deno', 'python', 'go', 'rust', 'ruby', 'java', 'dotnet', 'php', 'elixir', 'static']);
  assert.throws(() => stackOf('cobol' as ServiceConfig['stack']), /unknown stack "cobol"/);
  assert.ok(MANIFESTS.includes('package.json') && MANIFESTS.includes('go.mod') && MANIFESTS.includes('pyproject.toml'));
});

test("each service's Dockerfile and stack partials exist where the loader looks", () => {
  const partials = partialsFromDisk(ROOT);
  for (const s of SERVICES) {
    const file = dockerfileTemplate(s);
    assert.match(file, new RegExp(`^stacks/${s.stack}/templates/`), file);
    assert.ok(existsSync(templatePath(file, ROOT)), file);
    const fields = stackFields(s, s.path === '.' ? '' : s.path, null);
    // The CI slots render only in a test job; .dockerignore's for every service.
    const slots = fields.testJob ? Object.values(fields.stackPartials) : [fields.stackPartials.dockerignore, fields.stackPartials.runbookFiles];
    for (const name of slots) assert.ok(name in partials, `${s.name}: partial ${name}`);
    assert.ok(!Object.keys(partials).some((p) => p.endsWith('Dockerfile')), 'Dockerfiles are templates, not partials');
  }
  assert.ok(existsSync(join(ROOT, 'stacks', 'node', 'templates', 'manifests-stage.hbs')));
});

test('servedByNginx: the same answer for a detected service and for its config', () => {
  const expected = [false, false, true, false, false, true, false, false, false, false, false, false, false, false];
  assert.equal(
    SERVICES.map((s) => servedByNginx(s)),
    expected,
  );
  const site = {
    path: '.',
    stack: 'node',
    evidence: '',
    facts: { path: '.', packageManager: { value: 'npm', evidence: '' }, kind: { value: 'static', evidence: '' } },
  };
  const server = { ...site, facts: { ...site.facts, kind: { value: 'server', evidence: '' } } };
  const plain = { path: 'www', stack: 'static', evidence: '', facts: { path: 'www', root: { value: '.', evidence: '' }, warnings: [] } };
  assert.equal(
    [site, server, plain].map((s) => servedByNginx(s as DetectedService)),
    [true, false, true],
  );
});

test('GitLab keys its test cache on the lockfile, or on go.mod and go.sum', () => {
  const [api, , , py, go] = SERVICES.map((s) => stackFields(s, s.path === '.' ? '' : s.path, null));
  assert.equal(api?.ciCacheFiles, ['package-lock.json']);
  assert.equal(py?.ciCacheFiles, ['apps/py/uv.lock']);
  assert.equal(go?.ciCacheFiles, ['services/go/go.mod', 'services/go/go.sum']);
});

test.run();
