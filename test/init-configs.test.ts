// `init --yes` on every fixture repository, compared byte for byte with what it wrote before:
// the exit code, what it printed and the deploy-kit.yaml. It pins the whole init path (detection
// shown, questions resolved, config built and written) so that reorganising it changes nothing.
// UPDATE_SNAPSHOTS=1 rewrites the expected files (test/fixtures/init-configs/), to be reviewed.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../src/cli/main.js';
import { git, ROOT } from './_repo.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');
const EXPECTED = join(FIXTURES, 'init-configs');
const update = process.env.UPDATE_SNAPSHOTS === '1';

/** Fixture folders that are repositories (e2e/ holds several; regen/ and validate/ are not repos). */
function repos(): string[] {
  const out: string[] = [];
  for (const name of readdirSync(FIXTURES).sort()) {
    if (['regen', 'validate', 'init-configs'].includes(name) || !statSync(join(FIXTURES, name)).isDirectory()) continue;
    if (name === 'e2e') for (const sub of readdirSync(join(FIXTURES, name)).sort()) out.push(`e2e/${sub}`);
    else out.push(name);
  }
  return out;
}

/** Flags beyond --yes for some fixtures: per-service values and the "none" commands. */
const VARIANTS: Array<[string, string[]]> = [
  ['monorepo', ['--services', 'web,api', '--health-path', 'web=/', '--port', 'api=8001', '--addons', 'postgres,redis']],
  ['py-uv-fastapi', ['--test', 'none', '--port', '9000', '--python-version', '3.13']],
  ['py-plain', ['--test', 'python -m unittest', '--ci', 'gitlab']],
  ['go-chi', ['--test', 'go test -race ./...', '--start', 'api --verbose']],
  ['nestjs-api', ['--build', 'none', '--test', 'none', '--node-version', '22', '--staging-branch', 'next']],
];

async function initIn(fixture: string, flags: string[]): Promise<string> {
  // A fixed folder name: a repo without a package name is named after its folder.
  const parent = mkdtempSync(join(tmpdir(), 'dk-init-config-'));
  const dir = join(parent, 'repo');
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const out = { stdout: '', stderr: '' };
  const code = await main(
    {
      argv: ['init', '--yes', ...flags],
      cwd: dir,
      interactive: false,
      out: { print: (t) => void (out.stdout += `${t}\n`), error: (t) => void (out.stderr += `${t}\n`) },
    },
    'deploy-kit',
  );
  const config = existsSync(join(dir, 'deploy-kit.yaml')) ? readFileSync(join(dir, 'deploy-kit.yaml'), 'utf8') : '';
  rmSync(parent, { recursive: true, force: true });
  const text = `exit ${code}\n--- stdout\n${out.stdout}--- stderr\n${out.stderr}--- deploy-kit.yaml\n${config}`;
  return text.split(dir).join('<repo>');
}

const cases: Array<[string, string, string[]]> = [
  ...repos().map((f): [string, string, string[]] => [f.replace(/\//g, '-'), f, []]),
  ...VARIANTS.map(([f, flags], i): [string, string, string[]] => [`${f}-flags-${i}`, f, flags]),
];

for (const [name, fixture, flags] of cases) {
  test(`init --yes ${fixture} ${flags.join(' ')}`.trim(), async () => {
    const actual = await initIn(fixture, flags);
    const file = join(EXPECTED, `${name}.txt`);
    if (update || !existsSync(file)) {
      if (!update && process.env.CI) assert.unreachable(`${file} is missing; run UPDATE_SNAPSHOTS=1 npm test and review it`);
      mkdirSync(EXPECTED, { recursive: true });
      writeFileSync(file, actual);
      return;
    }
    assert.fixture(actual, readFileSync(file, 'utf8'));
  });
}

test.run();
