// PHP detection on three small repos (Laravel, Symfony, a plain front controller), each fact with
// its evidence; version constraints resolved to the newest release they allow; Composer's
// content-hash computed as Composer does; the probe free of what a shell or compose would expand.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composerContentHash, phpForConstraint } from '../stacks/php/composer.js';
import { detectPhp } from '../stacks/php/detect.js';
import { phpProbe, phpView } from '../stacks/php/view.js';
import { addonsFromEnv } from '../src/config/from-detection.js';
import { detectEnvVars } from '../src/detect/env.js';
import { detectServices } from '../src/detect/services.js';
import { detectRepo } from '../src/detect/index.js';
import { doctor } from '../src/doctor/index.js';
import { symfonyDotenv } from '../src/doctor/php.js';
import { PHP_DEFAULT } from '../src/versions.js';
import { ROOT } from './_repo.js';

const fixture = (name: string) => join(ROOT, 'test', 'fixtures', name);

test('Laravel: framework, version, extensions, migrations, tests, assets and the /up route, each with its evidence', async () => {
  const f = await detectPhp(fixture('laravel-app'));
  assert.ok(f);
  assert.equal(f.framework, { value: 'laravel', evidence: 'composer.lock: laravel/framework (12.3.0)' });
  assert.equal(f.lockfile, { value: 'composer.lock', evidence: 'composer.lock present, in sync with composer.json (content-hash)' });
  assert.equal(f.phpVersion, { value: PHP_DEFAULT, evidence: `composer.json require php "^8.2" (PHP ${PHP_DEFAULT} is the newest release it allows)` });
  assert.equal(f.documentRoot?.value, 'public');
  // ext-intl from composer.json, pdo_pgsql from DB_CONNECTION; mbstring, ctype, fileinfo are in the image; xdebug is a dev package's.
  assert.equal(f.extensions, ['intl', 'pdo_pgsql']);
  assert.equal(f.extensionEvidence, ['intl: composer.json require ext-intl', 'pdo_pgsql: .env.example:3 DB_CONNECTION=pgsql']);
  assert.equal(f.migrate, { value: 'php artisan migrate --force', evidence: 'database/migrations/ has migrations' });
  assert.equal(f.test?.value, 'php artisan test');
  assert.equal(f.assets, { value: 'npm run build', evidence: 'package.json scripts.build "vite build" with laravel-vite-plugin (writes public/build/)' });
  assert.equal(f.healthPath, { value: '/up', evidence: "bootstrap/app.php:9 health: '/up'," });
  assert.equal(f.addons, { postgres: '.env.example:3 DB_CONNECTION=pgsql' });
  assert.equal(f.database, { value: 'pgsql', evidence: '.env.example:3 DB_CONNECTION=pgsql' });
  assert.equal(f.warnings, []);
});

test("Laravel: its package.json builds the app's assets in the PHP image, so it is no Node service of its own", async () => {
  const services = await detectServices(fixture('laravel-app'));
  assert.equal(services.map((s) => s.stack), ['php']);
});

test('Symfony: a controller route, Doctrine Migrations, DATABASE_URL, and a lock written for another composer.json', async () => {
  const f = await detectPhp(fixture('symfony-app'));
  assert.ok(f);
  assert.equal(f.framework, { value: 'symfony', evidence: 'composer.lock: symfony/framework-bundle (7.3.4)' });
  // ">=8.2 <8.5": the newest release below 8.5, not the minimum.
  assert.is(f.phpVersion?.value, '8.4');
  assert.equal(f.extensions, ['pdo_pgsql', 'zip']);
  assert.is(f.migrate?.value, 'php bin/console doctrine:migrations:migrate --no-interaction --allow-no-migration');
  assert.equal(f.healthPath, { value: '/healthz', evidence: "src/Controller/HealthController.php:10 #[Route('/healthz', name: 'health', methods: ['GET'])]" });
  assert.is(f.test, undefined, 'phpunit-bridge without a phpunit.xml: no test command is invented');
  assert.equal(f.assets, {
    value: 'php bin/console importmap:install && php bin/console asset-map:compile',
    evidence: 'composer.lock: symfony/asset-mapper (7.3.4) and importmap.php',
  });
  assert.is(f.lockfile?.evidence, 'composer.lock present');
  assert.match(f.warnings.join('\n'), /composer\.lock is out of date with composer\.json \(content-hash differs\)/);
});

test('plain PHP: .php-version over require.php, a literal route in the front controller, no lockfile said so', async () => {
  const f = await detectPhp(fixture('php-router'));
  assert.ok(f);
  assert.is(f.framework, undefined);
  assert.equal(f.phpVersion, { value: '8.3', evidence: '.php-version "8.3.14"' });
  assert.equal(f.documentRoot, { value: 'public', evidence: 'public/index.php present' });
  assert.equal(f.healthPath, { value: '/healthz', evidence: "public/index.php:6 if ($path === '/healthz') {" });
  assert.match(f.warnings.join('\n'), /no composer\.lock/);
});

test("config.platform.php is the PHP composer.lock was resolved for: it beats require.php's newest release", async () => {
  const f = await detectPhp(fixture('php-platform'));
  assert.ok(f);
  assert.equal(f.phpVersion, { value: '8.3', evidence: 'composer.json config.platform.php "8.3.7" (the PHP its dependencies are resolved for)' });
  const dir = mkdtempSync(join(tmpdir(), 'dk-php-platform-'));
  try {
    cpSync(fixture('php-platform'), dir, { recursive: true });
    // A platform version the kit does not know (PHP 5) falls back to the require.php range.
    const composer = JSON.parse(readFileSync(join(dir, 'composer.json'), 'utf8')) as { config: { platform: { php: string } } };
    composer.config.platform.php = '5.6.40';
    writeFileSync(join(dir, 'composer.json'), JSON.stringify(composer));
    assert.is((await detectPhp(dir))?.phpVersion?.value, PHP_DEFAULT);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an index.php at the root is served from the root, with a warning; the image refuses the code around it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-php-root-'));
  writeFileSync(join(dir, 'composer.json'), '{"require": {"php": "^8.3"}}\n');
  writeFileSync(join(dir, 'index.php'), "<?php\nif ($_SERVER['REQUEST_URI'] === '/ping') { echo 'pong'; }\n");
  const f = await detectPhp(dir);
  assert.equal(f?.documentRoot, { value: '.', evidence: 'index.php present' });
  assert.equal(f?.healthPath, { value: '/ping', evidence: "index.php:2 if ($_SERVER['REQUEST_URI'] === '/ping') { echo 'pong'; }" });
  assert.match(f?.warnings.join('\n') ?? '', /index\.php is served from the project's root: Apache refuses vendor\//);
});

test('a library (composer.json with no front controller and no framework) is no service', async () => {
  const services = await detectServices(join(ROOT, 'test', 'fixtures', 'php-router', 'public'));
  assert.equal(services, []);
  const f = await detectPhp(fixture('laravel-app'), 'app');
  assert.is(f, undefined);
});

test('SQLite named by the configuration: a warning, and DATABASE_URL read in the config adds no PostgreSQL', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'dk-php-sqlite-')), 'app');
  cpSync(fixture('symfony-app'), dir, { recursive: true });
  writeFileSync(join(dir, '.env.example'), 'DATABASE_URL="sqlite:///%kernel.project_dir%/var/data.db"\n');
  const services = await detectServices(dir);
  const php = services.find((s) => s.stack === 'php');
  assert.ok(php?.stack === 'php');
  assert.is(php.facts.database?.value, 'sqlite');
  assert.match(php.facts.warnings?.join('\n') ?? '', /SQLite \(\.env\.example:1 DATABASE_URL=.*\): its file would live in the image/);
  assert.equal(addonsFromEnv(await detectEnvVars(dir), services).addons, {});
});

test("Laravel with a Redis cache: the Redis add-on, and the phpredis extension Laravel's default client needs (not with predis)", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'dk-php-redis-')), 'app');
  cpSync(fixture('laravel-app'), dir, { recursive: true });
  writeFileSync(join(dir, '.env.example'), 'DB_CONNECTION=pgsql\nCACHE_STORE=redis\n');
  const f = await detectPhp(dir);
  assert.equal(f?.addons, { postgres: '.env.example:1 DB_CONNECTION=pgsql', redis: '.env.example:2 CACHE_STORE=redis' });
  assert.equal(f?.extensions, ['intl', 'pdo_pgsql', 'redis']);
  const composer = join(dir, 'composer.json');
  const withPredis = readFileSync(composer, 'utf8').replace('"laravel/framework": "^12.0"', '"laravel/framework": "^12.0",\n        "predis/predis": "^3.0"');
  writeFileSync(composer, withPredis);
  assert.equal((await detectPhp(dir))?.extensions, ['intl', 'pdo_pgsql']);
});

test('a require.php range resolves to the newest release it allows, never its minimum', () => {
  assert.is(phpForConstraint('^8.2')?.version, PHP_DEFAULT);
  assert.is(phpForConstraint('>=8.1')?.version, PHP_DEFAULT);
  assert.is(phpForConstraint('~8.3.0')?.version, '8.3');
  assert.is(phpForConstraint('~8.3')?.version, PHP_DEFAULT);
  assert.is(phpForConstraint('8.3.*')?.version, '8.3');
  assert.is(phpForConstraint('>=8.2 <8.4')?.version, '8.3');
  assert.is(phpForConstraint('>=8.2,<8.4')?.version, '8.3');
  assert.is(phpForConstraint('^7.4 || ^8.0')?.version, PHP_DEFAULT);
  assert.is(phpForConstraint('^7.4|~8.1.0')?.version, '8.1');
  assert.is(phpForConstraint('8.1 - 8.3')?.version, '8.3');
  assert.is(phpForConstraint('<=8.2')?.version, '8.2');
  assert.is(phpForConstraint('^9.0'), undefined);
});

test("composer.lock's content-hash is computed as Composer computes it", () => {
  for (const dir of ['laravel-app', 'e2e/php-plain']) {
    const composer = JSON.parse(readFileSync(join(fixture(dir), 'composer.json'), 'utf8')) as Record<string, unknown>;
    const lock = JSON.parse(readFileSync(join(fixture(dir), 'composer.lock'), 'utf8')) as Record<string, unknown>;
    assert.is(composerContentHash(composer), lock['content-hash'], dir);
  }
  // PHP's json_encode: keys sorted, slashes escaped, non-ASCII as \u escapes, an empty object as [];
  // md5('{"extra":{"\u00e9":1},"name":"a\/b","require":[]}').
  assert.is(composerContentHash({ require: {}, name: 'a/b', extra: { é: 1 }, description: 'not hashed' }), 'cb36ed2f679e90c643d9fe16979f09bd');
});

test('env vars PHP code reads: env(), getenv(), $_ENV, $_SERVER minus request keys, Symfony %env()%; tests skipped', async () => {
  const laravel = (await detectEnvVars(fixture('laravel-app'))).map((v) => v.name);
  assert.ok(laravel.includes('APP_KEY') && laravel.includes('STRIPE_SECRET') && laravel.includes('DB_URL'), laravel.join(','));
  assert.not.ok(laravel.includes('TEST_ONLY_VAR'));
  const symfony = (await detectEnvVars(fixture('symfony-app'))).map((v) => v.name);
  assert.equal(symfony, ['APP_REGION', 'DATABASE_URL']);
  const plain = (await detectEnvVars(fixture('php-router'))).map((v) => v.name);
  assert.equal(plain, ['API_TOKEN'], 'REQUEST_URI is the web server\'s, not the deployment\'s');
});

test("add-ons: Laravel's config/database.php reads every driver's variables, so only its configuration decides", async () => {
  const env = await detectEnvVars(fixture('laravel-app'));
  assert.equal(addonsFromEnv(env).addons, {}, 'REDIS_HOST read in config/database.php alone is no Redis');
  const services = await detectServices(fixture('laravel-app'));
  assert.equal(addonsFromEnv(env, services), { addons: { postgres: true }, evidence: ['postgres: .env.example:3 DB_CONNECTION=pgsql'] });
});

test('the probe: PHP itself, only a 2xx passes, nothing a shell or compose would expand', () => {
  const http = phpProbe({ port: 8080, healthPath: '/up' });
  assert.match(http.healthCheckArgs, /^\["php","-r","exit\(preg_match\('#\^HTTP\/\[0-9\.\]\+ 2#'/);
  assert.match(http.healthCheckArgs, /'follow_location'=>0/);
  const tcp = phpProbe({ port: 8080 });
  assert.match(tcp.healthProbeShell, /^php -r "ini_set\('default_socket_timeout','4'\);exit\(@fsockopen\('127\.0\.0\.1',/);
  for (const p of [http, tcp]) assert.not.match(p.healthProbeShell.slice(8, -1), /[$"`]/);
});

test('the view: OPcache built before PHP 8.5, PECL redis with phpize, what each framework writes', () => {
  const base = { name: 'app', path: '.', stack: 'php' as const, port: 8080 };
  const old = phpView({ ...base, languageVersion: '8.3', framework: 'laravel', extensions: ['intl', 'redis'] }, { dir: '', workspaceDir: null });
  assert.is(old.php?.coreExtensions, 'intl opcache');
  assert.is(old.php?.peclExtensions, 'redis');
  assert.is(old.php?.buildPackages, '$PHPIZE_DEPS libicu-dev');
  assert.equal(old.writable, ['storage', 'bootstrap/cache']);
  const now = phpView({ ...base, languageVersion: PHP_DEFAULT, framework: 'symfony' }, { dir: 'api', workspaceDir: null });
  assert.is(now.php?.coreExtensions, '');
  assert.equal(now.writable, ['var']);
  assert.is(now.lockfilePath, 'api/composer.lock');
  const plain = phpView({ ...base, languageVersion: PHP_DEFAULT, framework: 'none', documentRoot: '.' }, { dir: '', workspaceDir: null });
  assert.is(plain.php?.documentRoot, '/app');
  assert.is(plain.php?.startArgs, '["apache2-foreground"]');
});

test('doctor: composer.lock in sync passes; one written for another composer.json, or none, is an error with the fix', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'dk-php-doctor-')), 'app');
  cpSync(fixture('e2e/php-plain'), dir, { recursive: true });
  const rules = async () =>
    (await doctor(dir)).findings.filter((f) => f.rule.startsWith('php/')).map((f) => `${f.rule} ${f.file}:${f.line ?? ''} ${f.fix ?? ''}`);
  assert.equal(await rules(), []);
  const composer = join(dir, 'composer.json');
  writeFileSync(composer, readFileSync(composer, 'utf8').replace('">=8.2"', '">=8.3"'));
  assert.equal(await rules(), ['php/lockfile-out-of-sync composer.lock:7 run `composer update --lock` and commit composer.lock']);
  rmSync(join(dir, 'composer.lock'));
  assert.equal(await rules(), ['php/no-lockfile composer.json: run `composer update --lock` and commit composer.lock']);
});

test("doctor: Symfony's committed .env and .env.test are warnings; a committed .env.local stays an error", async () => {
  const services = await detectServices(fixture('symfony-app'));
  const tracked = ['.env', '.env.test', '.env.local', '.env.prod.local'].map((file) => ({
    rule: 'dotenv/tracked', severity: 'error' as const, file, line: 1, message: '', fix: '',
  }));
  const out = symfonyDotenv({ services }, tracked).map((f) => `${f.file} ${f.severity}`);
  assert.equal(out, ['.env warning', '.env.test warning', '.env.local error', '.env.prod.local error']);
  assert.equal(symfonyDotenv({ services: await detectServices(fixture('laravel-app')) }, tracked), tracked, 'only for Symfony');
});


test("Laravel, no DB_CONNECTION in .env.example: the configuration's default connection decides (MySQL: pdo_mysql, no PostgreSQL)", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'dk-php-default-db-')), 'app');
  cpSync(fixture('laravel-app'), dir, { recursive: true });
  writeFileSync(join(dir, '.env.example'), 'APP_KEY=\nDB_HOST=localhost\n');
  // The configuration kept under app/Config/, with the MySQL connection reading DATABASE_URL.
  const config =
    "<?php\n\nreturn [\n    'default' => env('DB_CONNECTION', 'mysql'),\n" +
    "    'connections' => [\n        'mysql' => ['url' => env('DATABASE_URL')],\n    ],\n];\n";
  rmSync(join(dir, 'config/database.php'));
  mkdirSync(join(dir, 'app/Config'), { recursive: true });
  writeFileSync(join(dir, 'app/Config/database.php'), config);
  const services = await detectServices(dir);
  const php = services.find((s) => s.stack === 'php');
  assert.ok(php?.stack === 'php');
  const evidence = "app/Config/database.php:4 'default' => env('DB_CONNECTION', 'mysql'), (the default connection)";
  assert.equal(php.facts.database, { value: 'mysql', evidence });
  assert.ok(php.facts.extensions.includes('pdo_mysql'), php.facts.extensions.join(','));
  assert.equal(addonsFromEnv(await detectEnvVars(dir), services).addons.postgres, undefined);
});

test("Laravel assets built with pnpm (its lockfile or package.json packageManager): pnpm runs the build, frozen to pnpm-lock.yaml, never npm", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'dk-php-pnpm-')), 'app');
  cpSync(fixture('laravel-app'), dir, { recursive: true });
  assert.is((await detectPhp(dir))?.assets?.value, 'npm run build');
  writeFileSync(join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
  assert.is((await detectPhp(dir))?.assets?.value, 'pnpm run build');
  const base = { name: 'app', path: '.', stack: 'php' as const, port: 8080, languageVersion: PHP_DEFAULT, framework: 'laravel' as const };
  const pnpm = phpView({ ...base, build: 'pnpm run build' }, { dir: '', workspaceDir: null }).php?.assets;
  assert.equal(
    [pnpm?.npm, pnpm?.manifests, pnpm?.installAll, pnpm?.build],
    [false, 'package.json pnpm-lock.yaml', 'pnpm install --frozen-lockfile', 'pnpm run build'],
  );
  assert.match(pnpm?.pmInstall ?? '', /^npm install --global .* pnpm@\d/);
  const npm = phpView({ ...base, build: 'npm run build' }, { dir: '', workspaceDir: null }).php;
  assert.equal([npm?.assets?.npm, npm?.phpBuild], [true, null]);
  assert.is(phpView({ ...base, build: 'yarn build' }, { dir: '', workspaceDir: null }).php?.assets?.installAll, 'yarn install --frozen-lockfile');
});

test("a Laravel app's package.json (its asset build) is no Node app: the root's Node warnings (no start script) are not the repo's", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'dk-php-pkg-')), 'app');
  cpSync(fixture('laravel-app'), dir, { recursive: true });
  // Assets built by a script runner (no Vite plugin the kit knows), as BookStack-like apps do.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, scripts: { build: 'npm-run-all --parallel build:*' } }));
  const facts = await detectRepo(dir);
  assert.equal(facts.services?.map((s) => s.stack), ['php']);
  assert.not.ok(facts.warnings.some((w) => w.includes('no start command')), facts.warnings.join('\n'));
  // A Node app at the root still hears them.
  const node = join(mkdtempSync(join(tmpdir(), 'dk-node-root-')), 'app');
  mkdirSync(node);
  writeFileSync(join(node, 'package.json'), JSON.stringify({ name: 'n', dependencies: { express: '^5.0.0' } }));
  assert.ok((await detectRepo(node)).warnings.some((w) => w.includes('no start command')));
});

test('Laravel with a queue other than sync: a warning that its worker (queue:work) is a process the kit does not start', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'dk-php-queue-')), 'app');
  cpSync(fixture('laravel-app'), dir, { recursive: true });
  const queue = (w: string) => w.includes('queued jobs run in a worker process');
  writeFileSync(join(dir, '.env.example'), 'DB_CONNECTION=pgsql\nQUEUE_CONNECTION=sync\n');
  assert.not.ok((await detectPhp(dir))?.warnings.some(queue));
  writeFileSync(join(dir, '.env.example'), 'DB_CONNECTION=pgsql\nQUEUE_CONNECTION=database\n');
  const warned = (await detectPhp(dir))?.warnings.filter(queue) ?? [];
  assert.equal(warned.length, 1);
  assert.match(warned[0]!, /^\.env\.example:2 QUEUE_CONNECTION=database: queued jobs run in a worker .* run `php artisan queue:work` from the same image/);
});

test.run();
