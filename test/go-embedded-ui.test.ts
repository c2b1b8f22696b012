/**
 * A Go binary that embeds its web UI (a real-repo pattern: `//go:embed build/*` over the output of
 * a package.json beside it, or a release script's `--outDir` pointing at the embedded directory).
 * The UI is built with Node in a stage of the Go image before `go build`, and in CI before vet and
 * test; its package is no service of its own. An embedded directory nothing builds and the repo
 * lacks is a warning (go build fails without it). test/e2e-stacks.test.ts builds and runs the
 * fixture's image (test/fixtures/e2e/go-embed-ui).
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectServices } from '../src/detect/services.js';
import { detectGo } from '../stacks/go/detect.js';
import { RefusalError } from '../src/errors.js';
import { renderScenario } from './_render.js';
import { cli, git, ROOT } from './_repo.js';
import { scenarios } from './_scenarios.js';
import { scratch } from './_scratch.js';

const FIXTURE = join(ROOT, 'test/fixtures/e2e/go-embed-ui');
const dirs = scratch('go-embed');
test.after(dirs.cleanup);

const GOMOD = 'module example.com/pad\n\ngo 1.22\n';
const MAIN = 'package main\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n';
/** A Vite site: a static Node service when nothing embeds it. */
const VITE_PKG = JSON.stringify({
  name: 'pad-ui',
  private: true,
  scripts: { build: 'vite build', release: 'vite build --mode release --outDir=../server/front/dist --emptyOutDir' },
  devDependencies: { vite: '^6.0.0' },
});

test('a Vite UI beside the Go package that embeds its build output: the frontend, and no static service of its own', async () => {
  const dir = dirs.files({
    'go.mod': GOMOD,
    'main.go': MAIN,
    'ui/serve.go': 'package ui\n\nimport "embed"\n\n//go:embed build/*\nvar box embed.FS\n',
    'ui/package.json': VITE_PKG,
    'ui/yarn.lock': '',
    'ui/vite.config.js': 'export default { build: { outDir: "build" } };\n',
  });
  const go = (await detectGo(dir))!;
  assert.equal(go.frontend?.value, {
    path: 'ui',
    build: 'yarn build',
    output: 'ui/build',
    packageManager: 'yarn',
    languageVersion: go.frontend?.value.languageVersion ?? '',
    lockfile: true,
  });
  assert.match(go.frontend?.evidence ?? '', /^ui\/serve\.go:5 \/\/go:embed build\/\* \(ui\/vite\.config\.js:1 /);
  assert.equal((await detectServices(dir)).map((s) => `${s.stack} ${s.path}`), ['go .']);
});

test('a release script writing into an embedded directory elsewhere (a committed placeholder there): that script builds the UI', async () => {
  const dir = dirs.files({
    'go.mod': GOMOD,
    'main.go': MAIN,
    'server/front/front.go': 'package front\n\nimport "embed"\n\n\t//go:embed dist/*\nvar files embed.FS\n',
    'server/front/dist/index.html': '<!-- placeholder -->\n',
    'web/package.json': VITE_PKG,
    'web/package-lock.json': '{}',
  });
  const go = (await detectGo(dir))!;
  assert.equal([go.frontend?.value.path, go.frontend?.value.build, go.frontend?.value.output], ['web', 'npm run release', 'server/front/dist']);
  assert.equal((await detectServices(dir)).map((s) => `${s.stack} ${s.path}`), ['go .']);
});

test('an embedded directory the repo lacks and nothing builds is a warning; a committed one (migrations) or a file is neither', async () => {
  const dir = dirs.files({
    'go.mod': GOMOD,
    'main.go': `${MAIN}\n//go:embed site\nvar site embed.FS\n\n//go:embed migrations\nvar migrations embed.FS\n\n//go:embed openapi.yaml\nvar spec []byte\n`,
    'migrations/001_init.sql': 'create table t (id int);\n',
    'openapi.yaml': 'openapi: 3.1.0\n',
  });
  const go = (await detectGo(dir))!;
  assert.is(go.frontend, undefined);
  const embeds = go.warnings.filter((w) => w.includes('embeds'));
  assert.equal(embeds, [
    'main.go:7 //go:embed site: embeds site/, which the repository does not hold and no package.json script builds: `go build` fails without it. ' +
      'Build it in the Dockerfile before `go build` (or commit it)',
  ]);
});

test('init: the Dockerfile builds the UI in a Node stage and copies its output before go build; CI builds it before vet; node_modules stays out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-go-embed-'));
  cpSync(FIXTURE, dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const r = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  assert.match(r.stdout, /embedded UI\s+ui: npm run build -> ui\/dist {2}\(ui\/embed\.go:6 /);
  assert.match(read('deploy-kit.yaml'), /^ {4}frontend:\n {6}path: ui\n {6}build: npm run build\n {6}output: ui\/dist\n {6}packageManager: npm\n/m);
  const dockerfile = read('Dockerfile');
  const stage = new RegExp(
    '^FROM node:\\S+ AS frontend\\nWORKDIR /src/ui\\nCOPY ui/package\\.json ui/package-lock\\.json \\./\\n.*npm ci\\nCOPY ui/ \\./\\nRUN npm run build\\n',
    'm',
  );
  assert.match(dockerfile, stage);
  assert.match(dockerfile, /^COPY \. \.\nCOPY --from=frontend \/src\/ui\/dist \.\/ui\/dist\n/m);
  assert.ok(dockerfile.indexOf('COPY --from=frontend') < dockerfile.indexOf('go build -trimpath -ldflags="-s -w" -o /out/board'));
  // The port's own variable, moved off its privileged default.
  assert.match(dockerfile, /^ENV PORT=8080 \\\n {4}BOARD_PORT=8080$/m);
  assert.match(read('.dockerignore'), /^ui\/node_modules$/m);
  const ci = read('.github/workflows/ci.yml');
  assert.match(ci, / {6}- name: Build the embedded web UI\n {8}working-directory: ui\n {8}run: \|\n {10}npm ci\n {10}npm run build\n {6}- name: Vet\n/);
  assert.not.ok(/ui\/Dockerfile/.test(r.stdout), 'no service of its own');
});

test('GitLab CI with an embedded UI is refused with the fix: its Go test job has no Node to build what go vet compiles', async () => {
  const config = { ...scenarios['go-embedded-ui']!, ci: { provider: 'gitlab' as const } };
  let message = '';
  try {
    await renderScenario(config);
  } catch (e) {
    assert.instance(e, RefusalError);
    message = (e as Error).message;
  }
  assert.match(message, /services\[0\] \(app\)\.frontend: the GitLab test job runs in the golang image, which has no Node .* use ci\.provider: github/);
  // GitHub renders: its job builds the UI before vet.
  const files = await renderScenario(scenarios['go-embedded-ui']!);
  assert.ok(files.some((f) => f.path === '.github/workflows/ci.yml' && f.content.includes('Build the embedded web UI')));
});

test.run();
