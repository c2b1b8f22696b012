// The config builder is pure: detected services and values in, a config out. These run it
// directly, without the CLI, prompts or a repository to write to.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildConfig, parseAddons, patchesFromValues, type BuildInput, type ServiceValues } from '../src/config/build.js';
import { chooseServices } from '../src/config/choose-services.js';
import { detectRepo } from '../src/detect/index.js';
import { fixture } from './_scratch.js';

/** A fixture's one service, its questions answered with what detection found (as --yes does), then `values`. */
async function input(name: string, values: ServiceValues = {}, hasPytest = false): Promise<BuildInput> {
  const facts = await detectRepo(fixture(name));
  const [candidate] = chooseServices(facts, { stacks: new Map() }, fixture(name));
  const q = candidate!.questions;
  const detected: ServiceValues = { port: q.port?.value, healthPath: q.healthPath?.value, ...(q.start ? { start: q.start.value } : {}) };
  return {
    name: 'shop',
    services: [{ candidate: candidate!, values: { ...detected, ...values }, hasPytest }],
    branches: { production: 'main', staging: null },
    ci: 'github',
    addons: {},
    versions: {},
    env: facts.env,
  };
}

test('buildConfig: the same input gives the same config, keys in deploy-kit.yaml order', async () => {
  const i = await input('go-chi');
  const a = buildConfig(i);
  assert.equal(buildConfig(i), a);
  assert.equal(Object.keys(a.config), ['version', 'deployKit', 'name', 'services', 'branches', 'ci', 'targets', 'env']);
  assert.equal(a.config.services[0], {
    name: 'app',
    path: '.',
    stack: 'go',
    mainPackage: './cmd/api',
    languageVersion: '1.27',
    test: 'go test ./...',
    start: 'api',
    port: 9090,
    healthPath: '/healthz',
  });
  assert.equal(a.warnings, []);
});

test('buildConfig: tests: "none" is no command, a given one wins, nothing given keeps the stack default', async () => {
  const py = async (values: ServiceValues, hasPytest: boolean) => buildConfig(await input('py-uv-fastapi', values, hasPytest)).config.services[0]!.test;
  assert.is(await py({}, true), 'uv run pytest');
  assert.is(await py({}, false), null);
  assert.is(await py({ test: 'none' }, false), null);
  assert.is(await py({ test: 'uv run python -m unittest' }, false), 'uv run python -m unittest');
  const go = async (values: ServiceValues) => buildConfig(await input('go-chi', values)).config.services[0]!.test;
  assert.is(await go({}), 'go test ./...');
  assert.is(await go({ test: 'go test -race ./...' }), 'go test -race ./...');
  const node = async (values: ServiceValues) => buildConfig(await input('nestjs-api', values)).config.services[0]!;
  const detected = await node({});
  assert.equal([detected.build, detected.test], ['npm run build', null]);
  const given = await node({ build: 'none', test: 'npm run test:unit' });
  assert.equal([given.build, given.test], [null, 'npm run test:unit']);
});

test('buildConfig: a new port moves a detected Python command line with it, not a given one', async () => {
  const moved = buildConfig(await input('py-uv-fastapi', { port: '9000' }));
  assert.is(moved.config.services[0]!.start, 'uvicorn acme_api.api:app --host 0.0.0.0 --port 9000 --app-dir src');
  assert.is(moved.config.services[0]!.port, 9000);
  const mine = buildConfig(await input('py-uv-fastapi', { port: '9000', start: 'uvicorn acme_api.api:app --port 8000' }));
  assert.is(mine.config.services[0]!.start, 'uvicorn acme_api.api:app --port 8000');
});

test('buildConfig: an end-of-life runtime is used, with a warning', async () => {
  const i = await input('nestjs-api');
  const { config, warnings } = buildConfig({ ...i, versions: { node: '18' } });
  assert.is(config.services[0]!.languageVersion, '18');
  assert.equal(warnings, [
    'app: Node.js 18 is past end of life; the image uses it because the repo asks for it. Upgrade and set languageVersion in deploy-kit.yaml.',
  ]);
});

test('patchesFromValues: only what was given, in a stable order; --addons none is an empty map', async () => {
  const { config } = buildConfig(await input('nestjs-api'));
  assert.equal(patchesFromValues(config, { versions: {}, services: {} }), []);
  assert.equal(
    patchesFromValues(config, {
      ci: 'gitlab',
      addons: 'none',
      branch: 'trunk',
      versions: { node: '22', python: '3.13' },
      services: { app: { test: 'none', port: '8080' }, ghost: { port: '1' } },
    }),
    [
      [['services', 0, 'port'], 8080],
      [['services', 0, 'test'], null],
      [['services', 0, 'languageVersion'], '22'],
      [['branches', 'production'], 'trunk'],
      [['ci', 'provider'], 'gitlab'],
      [['addons'], {}],
    ],
  );
  assert.equal(parseAddons('postgres, redis'), { postgres: true, redis: true });
});

test.run();
