/**
 * Slim (a real-repo pattern: slimphp/Slim-Skeleton). The framework is named from slim/slim; its
 * routes file gives the health route; settings that log to a file unless a variable is set
 * (`isset($_ENV['docker']) ? 'php://stdout' : .../logs/app.log`) give the variable the image sets,
 * since its root filesystem is read-only; a log file with no such switch is warned about.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectPhp } from '../stacks/php/detect.js';
import { healthRouteToAdd } from '../stacks/health-route.js';
import { cli, git, ROOT } from './_repo.js';

const FIXTURE = join(ROOT, 'test/fixtures/slim-app');

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-slim-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test('Slim: the framework from slim/slim, the health route from app/routes.php, the log switch from app/settings.php', async () => {
  const f = (await detectPhp(FIXTURE))!;
  assert.equal(f.framework, { value: 'slim', evidence: 'composer.json require slim/slim ^4.14' });
  assert.equal(f.documentRoot, { value: 'public', evidence: 'public/index.php present' });
  assert.equal(f.healthPath, { value: '/healthz', evidence: "app/routes.php:10 $app->get('/healthz', fn ($request, $response) => $response);" });
  assert.equal(f.stdoutLogEnv, {
    value: 'docker',
    evidence: "app/settings.php:15 'path' => isset($_ENV['docker']) ? 'php://stdout' : __DIR__ . '/../logs/notes.log',",
  });
  assert.equal(f.test?.value, 'composer test');
  assert.not.ok(f.warnings.some((w) => /logs to a file/.test(w)));
});

test("a log switch read through getenv() or $_SERVER counts too; a log file with no switch is warned about; Laravel's config is not read", async () => {
  const composer = JSON.stringify({ require: { php: '^8.3' } });
  const getenv = repo({
    'composer.json': composer,
    'public/index.php': '<?php\n',
    'config/logging.php': "<?php\nreturn ['stream' => getenv('LOG_STDOUT') ? 'php://stderr' : 'var/log/app.log'];\n",
  });
  assert.is((await detectPhp(getenv))!.stdoutLogEnv?.value, 'LOG_STDOUT');
  const fileOnly = repo({
    'composer.json': composer,
    'public/index.php': '<?php\n',
    'src/Logging.php': "<?php\n$handler = new StreamHandler(__DIR__ . '/../logs/app.log');\n",
  });
  const f = (await detectPhp(fileOnly))!;
  assert.is(f.stdoutLogEnv, undefined);
  assert.ok(
    f.warnings.includes(
      "src/Logging.php:2 $handler = new StreamHandler(__DIR__ . '/../logs/app.log');: the app logs to a file, and the image's root filesystem is read-only; " +
        'log to php://stderr, where the platform collects it',
    ),
    f.warnings.join('\n'),
  );
  const laravel = repo({
    'composer.json': JSON.stringify({ require: { php: '^8.3', 'laravel/framework': '^12.0' } }),
    'config/logging.php': "<?php\nreturn ['single' => ['path' => storage_path('logs/laravel.log')], 'x' => getenv('A') ? 'php://stderr' : 'a.log'];\n",
  });
  assert.is((await detectPhp(laravel))!.stdoutLogEnv, undefined, 'Laravel logs through LOG_CHANNEL, which the image sets');
});

test('init: framework slim and stdoutLogEnv in the config, the image sets the variable, .env.example and DEPLOY.md say so; check passes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-slim-init-'));
  cpSync(FIXTURE, dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const r = cli('create-deploy-kit', ['init', '--yes'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /log to stdout\s+docker\s+\(app\/settings\.php:15 /);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  assert.match(read('deploy-kit.yaml'), /^ {4}framework: slim\n(?:.*\n)*? {4}stdoutLogEnv: docker$/m);
  assert.match(read('Dockerfile'), /^ENV docker=true\nRUN groupadd/m);
  assert.match(read('.env.example'), /^# The image sets it to true, so the app logs to stdout\. Read at app\/settings\.php:15\.\ndocker=$/m);
  const runbook = read('DEPLOY.md');
  assert.match(runbook, /\(Slim on PHP 8\.5, served by Apache with mod_php\).*it sets `docker=true`, so the app logs to stdout rather than to a file/);
  git(dir, 'add', '-A');
  const check = cli('deploy-kit', ['check'], dir);
  assert.is(check.code, 0, check.stdout + check.stderr);
});

test("doctor's missing health route names Slim's, not Laravel's", () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-slim-doctor-'));
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, 'app/routes.php'), "<?php\nreturn function ($app): void {\n    $app->get('/', fn ($q, $r) => $r);\n};\n");
  git(dir, 'init', '--quiet', '--initial-branch', 'main');
  const r = cli('deploy-kit', ['doctor'], dir);
  assert.match(r.stdout, /\[app\/no-health-route\]\n.*\n\s+fix: add one \(Slim: `\$app->get\('\/health'/);
});

test("Slim's route to add, when it serves none", () => {
  assert.is(healthRouteToAdd({ stack: 'php', framework: 'slim' }), "$app->get('/health', fn ($request, $response) => $response); in app/routes.php");
});

test.run();
