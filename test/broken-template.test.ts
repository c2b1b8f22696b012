import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planKit } from '../src/plan/index.js';
import { sourceKit } from '../src/plan/compile.js';
import { templatesFromDisk } from '../src/plan/load-templates.js';
import { validateFile } from '../src/validate/index.js';
import { scenarios } from './_scenarios.js';

/**
 * The validity tier must catch a bad template, not just pass good ones: break a template in
 * memory (the shipped tree is untouched) and check the tool's own verdict names file and line.
 */
async function renderWith(file: string, mutate: (text: string) => string) {
  const disk = templatesFromDisk();
  const templates = (f: string) => (f === file ? mutate(disk.templates(f)) : disk.templates(f));
  return planKit({ config: scenarios['express-npm']!, kit: sourceKit(templates, disk.partials) });
}

test('a Dockerfile template that forgets USER fails the non-root rule at the final stage', async () => {
  const files = await renderWith('stacks/node/templates/Dockerfile.hbs', (t) => t.replace('USER node\n', ''));
  const df = files.find((f) => f.path === 'Dockerfile')!;
  const { findings } = await validateFile('Dockerfile', df.content);
  const f = findings.find((x) => x.rule === 'dockerfile/non-root-user');
  assert.ok(f, JSON.stringify(findings));
  const finalFrom = df.content.split('\n').findIndex((l) => l.startsWith('FROM base AS runtime')) + 1;
  assert.is(f!.line, finalFrom);
});

test('a workflow template that interpolates an event field into run: fails with the line', async () => {
  const files = await renderWith('github-ci/.github/workflows/ci.yml.hbs', (t) =>
    t.replace(
      '          docker run --detach --name smoke',
      '          echo "$\\{{ github.event.pull_request.title }}"\n          docker run --detach --name smoke',
    ),
  );
  const wf = files.find((f) => f.path === '.github/workflows/ci.yml')!;
  const { findings } = await validateFile('.github/workflows/ci.yml', wf.content);
  const f = findings.find((x) => x.rule === 'workflow/script-injection');
  assert.ok(f, JSON.stringify(findings));
  assert.is(f!.line, wf.content.split('\n').findIndex((l) => l.includes('github.event.pull_request.title')) + 1);
});

test('a workflow template with a dangling needs: fails with actionlint\'s own message', async () => {
  const files = await renderWith('github-ci/.github/workflows/ci.yml.hbs', (t) => t.replace('needs: test-{{jobId}}', 'needs: tests-{{jobId}}'));
  const wf = files.find((f) => f.path === '.github/workflows/ci.yml')!;
  const { findings } = await validateFile('.github/workflows/ci.yml', wf.content);
  const f = findings.find((x) => x.rule.startsWith('actionlint/'));
  assert.ok(f, JSON.stringify(findings));
  assert.match(f!.message, /tests-app/);
  // actionlint reports a missing dependency at the job that declares it
  assert.is(f!.line, wf.content.split('\n').findIndex((l) => l.startsWith('  image-app:')) + 1);
});

test('a compose template with an unknown key fails the Compose schema', async () => {
  const files = await renderWith('compose/compose.yaml.hbs', (t) =>
    t.replace('    restart: unless-stopped', '    restart: unless-stopped\n    restart_policy: always'),
  );
  const c = files.find((f) => f.path === 'compose.yaml')!;
  const { findings } = await validateFile('compose.yaml', c.content);
  assert.ok(findings.some((x) => x.rule === 'compose/schema' && /restart_policy/.test(x.message)), JSON.stringify(findings));
});

test.run();
