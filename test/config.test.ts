import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, isValidConfig, parseConfig } from '../src/config/load.js';
import { renderNewConfig, updateConfig } from '../src/config/write.js';
import { baseConfig, scenarios } from './_scenarios.js';

const good = renderNewConfig(baseConfig());

function issues(text: string): string[] {
  try {
    parseConfig(text);
  } catch (e) {
    assert.instance(e, ConfigError);
    return (e as Error).message.split('\n');
  }
  assert.unreachable('expected a ConfigError');
  return [];
}

test('a rendered config loads back to the same object', () => {
  assert.equal(parseConfig(good).config, baseConfig());
  assert.ok(good.startsWith('# yaml-language-server: $schema=./.deploy-kit/deploy-kit.schema.json\n'));
});

test('port out of range: YAML path, line:column and the allowed range', () => {
  const text = good.replace('port: 3000', 'port: 70000');
  const line = text.split('\n').findIndex((l) => l.includes('port: 70000')) + 1;
  assert.equal(issues(text), [`deploy-kit.yaml:${line}:11 services[0].port: 70000 is not a port (1-65535)`]);
});

test('every problem is reported, not just the first, in file order', () => {
  const text = good.replace('stack: node', 'stack: nodejs').replace('production: trunk', 'production: "../evil"').replace('ci:', 'cii: true\nci:');
  const out = issues(text);
  assert.is(out.length, 3);
  assert.match(out[0]!, /services\[0\]\.stack: "nodejs" is not allowed \(did you mean "node"\?\); allowed: node/);
  assert.match(out[1]!, /branches\.production: "\.\.\/evil" is not valid \(A git branch name\.\)/);
  assert.match(out[2]!, /cii: unknown key \(did you mean "ci"\?\); allowed: version, deployKit, name, services/);
});

test('names with ../ or spaces are refused with the rule', () => {
  assert.match(issues(good.replace('name: express-api', 'name: ../my app'))[0]!, /name: "\.\.\/my app" is not valid \(Lowercase letters, digits and dashes/);
});

test('unparseable YAML gives one syntax message with its position', () => {
  const out = issues('version: 1\nname: [unclosed\n');
  assert.is(out.length, 1);
  assert.match(out[0]!, /^deploy-kit\.yaml:\d+:\d+ YAML syntax: /);
});

test('a missing required key and a wrong type are named', () => {
  const out = issues(good.replace(/ {4}port: 3000\n/, '').replace('healthPath: /health', 'healthPath: 3000'));
  assert.ok(out.some((l) => /services\[0\]: missing required key "port"/.test(l)), out.join('\n'));
  assert.ok(out.some((l) => /services\[0\]\.healthPath: expected string, got/.test(l)), out.join('\n'));
});

test('a service without healthPath is valid: its probes connect to the port', () => {
  assert.is(parseConfig(good.replace(/ {4}healthPath: \/health\n/, '')).config.services[0]!.healthPath, undefined);
});

test('a start command with shell syntax is refused', () => {
  assert.match(
    issues(good.replace('start: node src/server.js', 'start: "node a.js && rm -rf /"'))[0]!,
    /services\[0\]\.start: .* is not valid \(Production start command, run without a shell/,
  );
});

test('duplicates and a staging branch equal to production are semantic errors', () => {
  const text = renderNewConfig(baseConfig({ branches: { production: 'trunk', staging: 'trunk' }, targets: [{ type: 'compose' }, { type: 'compose' }] }));
  const out = issues(text);
  assert.ok(out.some((l) => /targets\[1\]\.type: duplicate target "compose"/.test(l)), out.join('\n'));
  assert.ok(out.some((l) => /branches\.staging: must differ from branches\.production/.test(l)), out.join('\n'));
});

test('targets: only the named type\'s rules are reported; an unknown type gets a suggestion', () => {
  const text = renderNewConfig(baseConfig({ targets: [{ type: 'vps' } as never, { type: 'composee' } as never, {} as never] }));
  const out = issues(text);
  assert.is(out.length, 3, out.join('\n'));
  assert.match(out[0]!, /targets\[0\]: missing required key "domain"$/);
  assert.match(out[1]!, /targets\[1\]\.type: "composee" is not allowed \(did you mean "compose"\?\); allowed: compose, vps/);
  assert.match(out[2]!, /targets\[2\]: missing required key "type"$/);
});

test('every scenario (all stacks, add-ons, workspaces) loads back to the same object', () => {
  for (const [name, config] of Object.entries(scenarios)) assert.equal(parseConfig(renderNewConfig(config)).config, config, name);
});

test('portEnv, listenAddrEnv and databaseUrlEnv name three different variables', () => {
  const svc = baseConfig().services[0]!;
  const out = issues(renderNewConfig(baseConfig({ services: [{ ...svc, portEnv: 'APP_ADDR', listenAddrEnv: 'APP_ADDR' }] })));
  assert.is(out.length, 1, out.join('\n'));
  assert.match(out[0]!, /services\[0\]\.listenAddrEnv: APP_ADDR is named twice among portEnv, listenAddrEnv and databaseUrlEnv/);
  const url = issues(renderNewConfig(baseConfig({ services: [{ ...svc, portEnv: 'APP_DB', databaseUrlEnv: 'APP_DB' }] })));
  assert.match(url[0]!, /:\d+:\d+ services\[0\]\.databaseUrlEnv: APP_DB is named twice/);
  assert.ok(isValidConfig(baseConfig({ services: [{ ...svc, portEnv: 'APP_PORT', listenAddrEnv: 'APP_ADDR' }] })));
});

test('isValidConfig (init checks its own config without parsing the text) agrees with parseConfig', () => {
  const bad = [
    baseConfig({ branches: { production: 'trunk', staging: 'trunk' } }),
    baseConfig({ targets: [{ type: 'compose' }, { type: 'compose' }] }),
    baseConfig({ targets: [{ type: 'vps' } as never] }),
    baseConfig({ services: [{ ...baseConfig().services[0]!, port: 70000 }] }),
    baseConfig({ services: [{ ...baseConfig().services[0]!, start: 'node a.js && rm -rf /' }] }),
    baseConfig({ services: [{ ...baseConfig().services[0]!, start: 'node server.js --port 9999' }] }),
  ];
  for (const config of bad) {
    assert.not.ok(isValidConfig(config), JSON.stringify(config));
    assert.throws(() => parseConfig(renderNewConfig(config)), (e: unknown) => e instanceof ConfigError);
  }
  for (const [name, config] of Object.entries(scenarios)) {
    const before = structuredClone(config);
    assert.ok(isValidConfig(config), name);
    assert.equal(config, before, `${name}: the validator's defaults stay out of the caller's object`);
  }
});

test('stacks: each stack\'s rules, reported once, on the key, with what is allowed', () => {
  const py = renderNewConfig(scenarios['fastapi-uv']!);
  // A Node package manager on a Python service: the stack's own list, not the union.
  let out = issues(py.replace('packageManager: uv', 'packageManager: npm'));
  assert.equal(out.length, 1, out.join('\n'));
  assert.match(out[0]!, /services\[0\]\.packageManager: "npm" is not allowed; allowed: uv, poetry, pipenv, pip$/);
  // A key of another stack: named, on its own line, with how to fix it.
  out = issues(py.replace('    port: 8000', '    mainPackage: ./cmd/api\n    port: 8000'));
  assert.equal(out.length, 1, out.join('\n'));
  assert.match(out[0]!, /services\[0\]\.mainPackage: does not apply to stack "python"; remove it/);
  // Version shapes per stack.
  out = issues(py.replace('languageVersion: "3.12"', 'languageVersion: "22"'));
  assert.match(out[0]!, /services\[0\]\.languageVersion: "22" is not valid \(Python minor version of the image/);
  // Go needs its main package; a static site needs no package manager (and refuses one).
  const go = renderNewConfig(scenarios['go-chi']!);
  assert.match(issues(go.replace(/ {4}mainPackage: .*\n/, ''))[0]!, /services\[0\]: missing required key "mainPackage"/);
  const site = renderNewConfig(scenarios['static-html']!);
  assert.match(
    issues(site.replace('    port: 8080', '    packageManager: npm\n    port: 8080'))[0]!,
    /services\[0\]\.packageManager: does not apply to stack "static"/,
  );
  // A Node server needs a start command; a Node static site does not have one.
  assert.match(issues(good.replace(/ {4}start: .*\n/, ''))[0]!, /services\[0\]: missing required key "start"/);
  const vite = renderNewConfig(scenarios['vite-static']!);
  assert.match(issues(vite.replace('    port: 8080', '    start: node x.js\n    port: 8080'))[0]!, /services\[0\]\.start: does not apply to stack "node"/);
  // add-ons are a mapping of known names.
  assert.match(issues(`${good}addons:\n  mysql: true\n`)[0]!, /addons\.mysql: unknown key; allowed: postgres, redis/);
});

test('aliases to missing anchors, alias bombs and complex keys are config errors, one line each', () => {
  assert.match(issues('version: 1\nenv: *missing\n')[0]!, /^deploy-kit\.yaml:1:1 YAML: .*alias/);
  // b: &b [*a, *a, ... (ten)], c: &c [*b, ...], and so on up to i: each level multiplies the nodes by ten.
  const level = (i: number) => {
    const [name, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
    return `${name}: &${name} [${Array.from({ length: 10 }, () => `*${prev}`).join(', ')}]`;
  };
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => level(i))].join('\n');
  assert.match(issues(bomb)[0]!, /YAML: .*alias/i);
  assert.match(issues('? [a, b]\n: x\n')[0]!, /YAML keys must be plain names/);
  const nl = issues(good.replace('name: express-api', 'name: "two\\nlines"'));
  assert.is(nl.length, 1);
  assert.match(nl[0]!, /name: "two\\nlines" is not valid/);
  // An anchor whose name holds a Unicode line separator: the parser takes it, yaml cannot write it back.
  const anchor = issues(good.replace('services:', 'services: &svc\u2028x'));
  assert.is(anchor.length, 1, anchor.join('\n'));
  assert.match(anchor[0]!, /^deploy-kit\.yaml:\d+:\d+ YAML: the anchor &svc\\u2028x holds whitespace, a control character or a bracket; rename it/);
  assert.ok(parseConfig(good.replace('services:', 'services: &svc')).config, 'a plain anchor is fine');
});

test('a document that is not a mapping is refused', () => {
  assert.match(issues('- just\n- a list\n')[0]!, /expected a mapping of settings/);
});

test('updating the config keeps the user comments', () => {
  const edited = good.replace('name: express-api', 'name: express-api # our shop front\n# keep this note');
  const { document } = parseConfig(edited);
  const out = updateConfig(document, [[['services', 0, 'port'], 8080]]);
  assert.ok(out.includes('# our shop front'));
  assert.ok(out.includes('# keep this note'));
  assert.ok(out.includes('# yaml-language-server: $schema='));
  assert.is(parseConfig(out).config.services[0]!.port, 8080);
});

test.run();
