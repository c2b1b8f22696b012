import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HEALTH_SEGMENT, atPath, codeEvidence, exists, isRecord, readText, servicePath } from '../../src/detect/shared.js';
import { readSourceFiles } from '../../src/detect/walk.js';
import { PHP_MINORS } from '../../src/versions.js';
import { composerContentHash, lockedPackages, phpForConstraint } from './composer.js';
import type { PhpFacts, PhpFramework } from './types.js';

/**
 * Extensions the official image compiles in (PHP's defaults plus mbstring, curl, openssl, sodium,
 * pdo_sqlite): a requirement on one needs nothing installed. OPcache is handled on its own.
 */
const BUILTIN = new Set(
  [
    'core', 'ctype', 'curl', 'date', 'dom', 'fileinfo', 'filter', 'hash', 'iconv', 'json', 'libxml', 'mbstring', 'mysqlnd', 'openssl',
    'pcre', 'pdo', 'pdo_sqlite', 'phar', 'posix', 'random', 'readline', 'reflection', 'session', 'simplexml', 'sodium', 'spl',
    'sqlite3', 'standard', 'tokenizer', 'xml', 'xmlreader', 'xmlwriter', 'zlib', 'opcache', 'zend-opcache',
  ],
);

/** Extensions the image can build (docker-php-ext-install or PECL); the view knows their headers. */
const KNOWN_EXTENSIONS = new Set([
  'bcmath', 'bz2', 'calendar', 'exif', 'gd', 'gettext', 'gmp', 'intl', 'mysqli', 'pcntl', 'pdo_mysql', 'pdo_pgsql', 'pgsql', 'soap',
  'sockets', 'xsl', 'zip', 'apcu', 'redis', 'igbinary',
]);

const HEALTH_LITERAL = new RegExp(`['"](/(?:[A-Za-z0-9_-]+/)*${HEALTH_SEGMENT})['"]`);

/** The framework a composer.json requires: its package, and the script that marks its layout when the package is not required (Slim has none). */
const FRAMEWORKS: ReadonlyArray<[string, PhpFramework, string | undefined]> = [
  ['laravel/framework', 'laravel', 'artisan'],
  ['symfony/framework-bundle', 'symfony', 'bin/console'],
  ['slim/slim', 'slim', undefined],
];

/**
 * Detects a PHP service in `root/path` from its composer.json: composer.lock and whether it is in
 * sync, the PHP version, Laravel, Symfony or Slim (or a plain app with public/index.php), the
 * extensions it needs, its migrations, tests, asset build, health route and where it logs.
 *
 * @example
 *   const php = await detectPhp('/repo')
 *   php?.framework // { value: 'laravel', evidence: 'composer.lock: laravel/framework (12.3.0)' }
 */
export async function detectPhp(root: string, path = '.'): Promise<PhpFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);
  const text = await readText(join(dir, 'composer.json'));
  if (text === undefined) return undefined;
  let composer: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isRecord(parsed)) throw new Error('not an object');
    composer = parsed;
  } catch (err) {
    throw new Error(`${at('composer.json')} is not valid JSON (${(err as Error).message}); fix it so deploy-kit can read the PHP project`, { cause: err });
  }
  const warnings: string[] = [];
  const facts: PhpFacts = { path: rel, lockStatus: 'missing', extensions: [], extensionEvidence: [], addons: {}, warnings };
  const require = isRecord(composer.require) ? (composer.require as Record<string, string>) : {};
  const requireDev = isRecord(composer['require-dev']) ? (composer['require-dev'] as Record<string, string>) : {};

  // composer.lock: present, and written for this composer.json (its content-hash).
  const lockText = await readText(join(dir, 'composer.lock'), 8 * 1024 * 1024);
  let locked = new Map<string, { version: string; require: string[] }>();
  if (lockText === undefined) {
    warnings.push(`no ${at('composer.lock')}: the image resolves dependencies at build time, so two builds may differ; run \`composer update --lock\` and commit it`);
  } else {
    try {
      const lock = JSON.parse(lockText) as Record<string, unknown>;
      locked = lockedPackages(lock);
      const hash = composerContentHash(composer);
      const inSync = lock['content-hash'] === hash;
      facts.lockStatus = inSync ? 'in-sync' : 'stale';
      facts.lockfile = { value: 'composer.lock', evidence: `${at('composer.lock')} present${inSync ? ', in sync with composer.json (content-hash)' : ''}` };
      if (!inSync) {
        warnings.push(`${at('composer.lock')} is out of date with ${at('composer.json')} (content-hash differs): run \`composer update --lock\` and commit it`);
      }
    } catch {
      facts.lockStatus = 'invalid';
      warnings.push(`${at('composer.lock')} is not valid JSON: \`composer install\` fails on it; regenerate it with \`composer update --lock\``);
    }
  }
  const pkg = (name: string): string | undefined => {
    const l = locked.get(name);
    if (l) return `${at('composer.lock')}: ${name} (${l.version})`;
    if (require[name] !== undefined) return `${at('composer.json')} require ${name} ${require[name]}`;
    return undefined;
  };

  // The PHP version: .php-version as written, else config.platform.php (the PHP composer.lock was
  // resolved for), else the newest release require.php allows.
  const dotVersion = (await readText(join(dir, '.php-version')))?.trim();
  const dotMinor = dotVersion ? /^(\d+\.\d+)/.exec(dotVersion)?.[1] : undefined;
  const platformPhp = isRecord(composer.config) && isRecord(composer.config.platform) ? composer.config.platform.php : undefined;
  const platform = typeof platformPhp === 'string' ? platformPhp : '';
  const platformMinor = /^(\d+\.\d+)/.exec(platform)?.[1];
  if (dotMinor) {
    facts.phpVersion = { value: dotMinor, evidence: `${at('.php-version')} "${dotVersion}"` };
  } else if (platformMinor && PHP_MINORS.includes(platformMinor)) {
    facts.phpVersion = { value: platformMinor, evidence: `${at('composer.json')} config.platform.php "${platform}" (the PHP its dependencies are resolved for)` };
  } else if (typeof require.php === 'string') {
    const resolved = phpForConstraint(require.php);
    if (resolved) facts.phpVersion = { value: resolved.version, evidence: `${at('composer.json')} require php "${require.php}" (${resolved.why})` };
    else warnings.push(`${at('composer.json')} require php "${require.php}" allows no PHP release the kit knows: the default is used; set languageVersion in deploy-kit.yaml`);
  }

  for (const [name, framework] of FRAMEWORKS) {
    const evidence = pkg(name);
    if (evidence) {
      facts.framework = { value: framework, evidence };
      const v = locked.get(name)?.version;
      if (v) facts.frameworkVersion = { value: v, evidence: `${at('composer.lock')}: ${name} (${v})` };
      break;
    }
  }
  if (!facts.framework) {
    for (const [, framework, script] of FRAMEWORKS) {
      if (script && (await exists(join(dir, script)))) {
        facts.framework = { value: framework, evidence: `${at(script)} present` };
        break;
      }
    }
  }
  const framework = facts.framework?.value;

  // What Apache serves: public/ (every framework's front controller), else the directory itself.
  if (await exists(join(dir, 'public/index.php'))) facts.documentRoot = { value: 'public', evidence: `${at('public/index.php')} present` };
  else if (!framework && (await exists(join(dir, 'index.php')))) {
    facts.documentRoot = { value: '.', evidence: `${at('index.php')} present` };
    warnings.push(`${at('index.php')} is served from the project's root: Apache refuses vendor/, src/, lib/, includes/, config/, templates/, composer.* and dotfiles, but moving the entry point to public/ keeps the rest of the code unreachable`);
  } else if (framework) facts.documentRoot = { value: 'public', evidence: `${framework} serves public/index.php` };

  // Extensions: what composer.json and every locked package require, minus what the image has.
  const wanted = new Map<string, string>();
  for (const name of Object.keys(require)) if (/^ext-/i.test(name)) wanted.set(name.slice(4).toLowerCase(), `${at('composer.json')} require ${name}`);
  for (const [name, p] of locked) {
    for (const r of p.require) if (/^ext-/i.test(r) && !wanted.has(r.slice(4).toLowerCase())) wanted.set(r.slice(4).toLowerCase(), `${at('composer.lock')}: ${name} requires ${r}`);
  }
  const driver = await databaseDriver(dir, at, framework);
  if (driver && !wanted.has(driver.value)) wanted.set(driver.value, driver.evidence);
  if (driver) facts.database = { value: driver.value.replace(/^pdo_/, ''), evidence: driver.evidence };
  if (driver?.value === 'pdo_pgsql') facts.addons.postgres = driver.evidence;
  if (driver?.value === 'pdo_sqlite') {
    warnings.push(
      `SQLite (${driver.evidence}): its file would live in the image, read-only at run time and replaced by every deploy; ` +
        'use PostgreSQL (compose has it as an add-on) or mount a volume for the database file',
    );
  }
  if (driver?.value === 'pdo_mysql') warnings.push(`MySQL (${driver.evidence}): compose has no MySQL add-on; run one and set the connection variables`);
  if (framework === 'laravel') {
    const worker = await queueWorker(dir, at, pkg('laravel/horizon') !== undefined);
    if (worker) warnings.push(worker);
  }
  const redis = await redisUse(dir, at);
  if (redis) {
    facts.addons.redis = redis;
    // Laravel's default Redis client is the phpredis extension; predis is plain PHP.
    if (framework === 'laravel' && !pkg('predis/predis') && !wanted.has('redis')) wanted.set('redis', `${redis} (Laravel's phpredis client)`);
  }
  const needed = [...wanted.keys()].filter((e) => !BUILTIN.has(e)).sort();
  const unknown = needed.filter((e) => !KNOWN_EXTENSIONS.has(e));
  for (const e of unknown) warnings.push(`PHP extension ${e} (${wanted.get(e)}) is not one the image knows how to build: add its install to the Dockerfile`);
  facts.extensions = needed.filter((e) => KNOWN_EXTENSIONS.has(e));
  facts.extensionEvidence = facts.extensions.map((e) => `${e}: ${wanted.get(e)}`);

  // Migrations: a release step, never run at container start.
  if (framework === 'laravel' && (await hasFiles(join(dir, 'database/migrations'), /\.php$/))) {
    facts.migrate = { value: 'php artisan migrate --force', evidence: `${at('database/migrations/')} has migrations` };
  } else if (framework === 'symfony' && pkg('doctrine/doctrine-migrations-bundle') && (await exists(join(dir, 'migrations')))) {
    facts.migrate = {
      value: 'php bin/console doctrine:migrations:migrate --no-interaction --allow-no-migration',
      evidence: `${pkg('doctrine/doctrine-migrations-bundle')} and ${at('migrations/')}`,
    };
  }

  // Tests: Laravel's runner, the project's own `composer test`, else PHPUnit or Pest.
  const scripts = isRecord(composer.scripts) ? composer.scripts : {};
  const phpunitConfig = (await exists(join(dir, 'phpunit.xml'))) || (await exists(join(dir, 'phpunit.xml.dist'))) || (await exists(join(dir, 'phpunit.dist.xml')));
  if (framework === 'laravel' && (requireDev['phpunit/phpunit'] || requireDev['pestphp/pest'])) {
    facts.test = { value: 'php artisan test', evidence: `${at('artisan')} and ${at('composer.json')} require-dev ${requireDev['pestphp/pest'] ? 'pestphp/pest' : 'phpunit/phpunit'}` };
  } else if (scripts.test !== undefined) {
    facts.test = { value: 'composer test', evidence: `${at('composer.json')} scripts.test` };
  } else if (requireDev['pestphp/pest']) {
    facts.test = { value: 'vendor/bin/pest', evidence: `${at('composer.json')} require-dev pestphp/pest` };
  } else if ((requireDev['phpunit/phpunit'] || requireDev['symfony/phpunit-bridge']) && phpunitConfig) {
    facts.test = { value: 'vendor/bin/phpunit', evidence: `${at('composer.json')} require-dev phpunit and a phpunit.xml` };
  }

  facts.assets = await assetBuild(dir, at, warnings);
  // Symfony's AssetMapper: the importmap's packages downloaded and every asset compiled to public/assets at build.
  if (!facts.assets && framework === 'symfony' && pkg('symfony/asset-mapper') && (await exists(join(dir, 'importmap.php')))) {
    facts.assets = {
      value: 'php bin/console importmap:install && php bin/console asset-map:compile',
      evidence: `${pkg('symfony/asset-mapper')} and ${at('importmap.php')}`,
    };
  }
  if (framework !== 'laravel' && framework !== 'symfony') await logTarget(dir, at, facts);
  const health = await healthRoute(dir, at, framework);
  if (health) facts.healthPath = health;
  else if (framework === 'laravel' && facts.frameworkVersion && Number(facts.frameworkVersion.value.split('.')[0]) >= 11) {
    warnings.push(`Laravel ${facts.frameworkVersion.value} serves /up when ${at('bootstrap/app.php')} passes \`health: '/up'\` to withRouting; it does not, so the checks connect over TCP`);
  }
  return facts;
}

async function hasFiles(dir: string, pattern: RegExp): Promise<boolean> {
  try {
    return (await readdir(dir)).some((f) => pattern.test(f));
  } catch {
    return false;
  }
}

/** The PDO driver the database configuration names: Laravel's DB_CONNECTION, a DATABASE_URL scheme (.env.example, then .env). */
async function databaseDriver(dir: string, at: (f: string) => string, framework: PhpFramework | undefined): Promise<{ value: string; evidence: string } | undefined> {
  for (const file of ['.env.example', '.env']) {
    const lines = (await readText(join(dir, file)))?.split('\n') ?? [];
    for (const [i, line] of lines.entries()) {
      const laravel = framework === 'laravel' ? /^DB_CONNECTION\s*=\s*["']?(pgsql|mysql|mariadb|sqlite)\b/.exec(line) : null;
      const url = /^DATABASE_URL\s*=\s*["']?(postgres(?:ql)?|pgsql|mysql|mariadb|sqlite):/.exec(line);
      const kind = laravel?.[1] ?? url?.[1];
      if (kind) return { value: pdoDriver(kind), evidence: codeEvidence(at(file), i + 1, line) };
    }
  }
  // No DB_CONNECTION in the env files: the default the configuration falls back to, `'default' => env('DB_CONNECTION', 'mysql')`
  // (config/database.php; some apps keep their config under app/Config/).
  if (framework !== 'laravel') return undefined;
  for (const file of ['config/database.php', 'app/Config/database.php']) {
    const lines = (await readText(join(dir, file)))?.split('\n') ?? [];
    for (const [i, line] of lines.entries()) {
      const kind = /^\s*['"]default['"]\s*=>\s*env\(\s*['"]DB_CONNECTION['"]\s*,\s*['"](pgsql|mysql|mariadb|sqlite)['"]/.exec(line)?.[1];
      if (kind) return { value: pdoDriver(kind), evidence: `${codeEvidence(at(file), i + 1, line)} (the default connection)` };
    }
  }
  return undefined;
}

function pdoDriver(kind: string): string {
  return /^p/.test(kind) ? 'pdo_pgsql' : kind === 'sqlite' ? 'pdo_sqlite' : 'pdo_mysql';
}

/** A Laravel queue other than `sync` (Laravel 11+'s .env.example says `database`): its jobs need a worker the kit does not start. */
async function queueWorker(dir: string, at: (f: string) => string, horizon: boolean): Promise<string | undefined> {
  const lines = (await readText(join(dir, '.env.example')))?.split('\n') ?? [];
  const i = lines.findIndex((l) => /^QUEUE_CONNECTION\s*=\s*["']?(?!sync\b|null\b)\w/.test(l));
  if (i < 0) return undefined;
  const command = horizon ? 'php artisan horizon' : 'php artisan queue:work';
  return (
    `${codeEvidence(at('.env.example'), i + 1, lines[i]!)}: queued jobs run in a worker process the kit does not start: run \`${command}\` ` +
    'from the same image as a second process (a compose service with that command), or the jobs queue up and never run'
  );
}

/** Redis as a store the app is configured to use: a driver or client set to redis in .env.example, or predis required. */
async function redisUse(dir: string, at: (f: string) => string): Promise<string | undefined> {
  const lines = (await readText(join(dir, '.env.example')))?.split('\n') ?? [];
  const i = lines.findIndex((l) => /^(?:CACHE_STORE|CACHE_DRIVER|QUEUE_CONNECTION|SESSION_DRIVER|BROADCAST_CONNECTION)\s*=\s*["']?redis\b/.test(l) || /^REDIS_URL\s*=\s*\S/.test(l));
  if (i >= 0) return codeEvidence(at('.env.example'), i + 1, lines[i]!);
  const composer = await readText(join(dir, 'composer.json'));
  return composer && /"predis\/predis"\s*:/.test(composer) ? `${at('composer.json')} require predis/predis` : undefined;
}

/**
 * A Node build of the app's assets into public/build/: `npm run build` where package.json has one
 * and uses laravel-vite-plugin (which writes there). Another bundler's output directory is not
 * known, so its build is a warning, never a COPY of a directory that may not exist.
 */
async function assetBuild(dir: string, at: (f: string) => string, warnings: string[]): Promise<{ value: string; evidence: string } | undefined> {
  const text = await readText(join(dir, 'package.json'));
  if (!text) return undefined;
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const scripts = isRecord(pkg.scripts) ? pkg.scripts : {};
  if (typeof scripts.build !== 'string') return undefined;
  const deps = { ...(isRecord(pkg.dependencies) ? pkg.dependencies : {}), ...(isRecord(pkg.devDependencies) ? pkg.devDependencies : {}) };
  if ('laravel-vite-plugin' in deps) {
    // The repo's package manager, by its lockfile or package.json `packageManager`: a pnpm lockfile is no npm one.
    const declared = typeof pkg.packageManager === 'string' ? /^(pnpm|yarn)@/.exec(pkg.packageManager)?.[1] : undefined;
    const pm = declared ?? ((await exists(join(dir, 'pnpm-lock.yaml'))) ? 'pnpm' : (await exists(join(dir, 'yarn.lock'))) ? 'yarn' : 'npm');
    return { value: `${pm} run build`, evidence: `${at('package.json')} scripts.build "${scripts.build}" with laravel-vite-plugin (writes public/build/)` };
  }
  warnings.push(`${at('package.json')} builds assets ("${scripts.build}") to a directory the kit does not know: the image does not run it; add the build to the Dockerfile`);
  return undefined;
}

/** A health route the code serves: Laravel's `health:` route, a framework route, or a public/ script. Never an invented one. */
async function healthRoute(dir: string, at: (f: string) => string, framework: PhpFramework | undefined): Promise<{ value: string; evidence: string } | undefined> {
  if (framework === 'laravel') {
    const app = (await readText(join(dir, 'bootstrap/app.php')))?.split('\n') ?? [];
    const i = app.findIndex((l) => /^\s*health\s*:\s*['"]\/?[^'"]*['"]/.test(l));
    if (i >= 0) {
      const route = /['"]\/?([^'"]*)['"]/.exec(app[i]!)![1]!;
      return { value: `/${route}`, evidence: codeEvidence(at('bootstrap/app.php'), i + 1, app[i]!) };
    }
    // Routes files: web.php at the root, api.php under Laravel's default /api prefix.
    for (const [file, prefix] of [['routes/web.php', ''], ['routes/api.php', '/api']] as const) {
      const lines = (await readText(join(dir, file)))?.split('\n') ?? [];
      const j = lines.findIndex((l) => /Route::(?:get|any|match)\(/.test(l) && HEALTH_LITERAL.test(l) && !/^\s*(?:\/\/|#|\*)/.test(l));
      if (j >= 0) return { value: `${prefix}${HEALTH_LITERAL.exec(lines[j]!)![1]}`, evidence: codeEvidence(at(file), j + 1, lines[j]!) };
    }
    return undefined;
  }
  if (framework === 'symfony') {
    const files = await readSourceFiles(dir, { extensions: ['.php', '.yaml', '.yml'], skipDirs: ['vendor', 'var', 'tests', 'node_modules'], maxFiles: 1000 });
    for (const f of files.filter((x) => x.path.startsWith('src/') || x.path.startsWith('config/routes'))) {
      const lines = f.text.split('\n');
      const j = lines.findIndex((l) => (/#\[Route\(/.test(l) || /^\s*path\s*:/.test(l)) && new RegExp(`['"]?(/(?:[A-Za-z0-9_-]+/)*${HEALTH_SEGMENT})['"]?\\s*[,)]?`).test(l));
      if (j >= 0) {
        const route = new RegExp(`(/(?:[A-Za-z0-9_-]+/)*${HEALTH_SEGMENT})\\b`).exec(lines[j]!)![1]!;
        return { value: route, evidence: codeEvidence(at(f.path), j + 1, lines[j]!) };
      }
    }
    return undefined;
  }
  if (framework === 'slim') {
    // Slim's routes: `$app->get('/health', ...)` in app/routes.php (the skeleton's layout) or beside the front controller.
    const lines = (await readText(join(dir, 'app/routes.php')))?.split('\n') ?? [];
    const j = lines.findIndex((l) => /->(?:get|any|map)\(/.test(l) && HEALTH_LITERAL.test(l) && !/^\s*(?:\/\/|#|\*)/.test(l));
    if (j >= 0) return { value: HEALTH_LITERAL.exec(lines[j]!)![1]!, evidence: codeEvidence(at('app/routes.php'), j + 1, lines[j]!) };
  }
  // A plain app: a health script in the document root, or a literal route its front controller matches.
  for (const root of ['public', '.']) {
    for (const name of ['health.php', 'healthz.php', 'ping.php']) {
      if (await exists(join(dir, root, name))) return { value: `/${name}`, evidence: `${at(root === '.' ? name : `${root}/${name}`)} present` };
    }
    const lines = (await readText(join(dir, root, 'index.php')))?.split('\n') ?? [];
    const j = lines.findIndex((l) => HEALTH_LITERAL.test(l) && !/^\s*(?:\/\/|#|\*)/.test(l));
    if (j >= 0) return { value: HEALTH_LITERAL.exec(lines[j]!)![1]!, evidence: codeEvidence(at(root === '.' ? 'index.php' : `${root}/index.php`), j + 1, lines[j]!) };
    if (lines.length > 1) break;
  }
  return undefined;
}

/** An environment variable read in PHP: `$_ENV['X']`, `$_SERVER['X']` (with or without isset), `getenv('X')`. */
const ENV_READ = /\$_(?:ENV|SERVER)\[\s*['"]([A-Za-z_]\w*)['"]\s*\]|getenv\(\s*['"]([A-Za-z_]\w*)['"]/;

/**
 * Where a plain or Slim app logs. Settings that pick php://stdout when a variable is set, and a
 * file otherwise (Slim-Skeleton: `isset($_ENV['docker']) ? 'php://stdout' : __DIR__ . '/../logs/app.log'`),
 * give the variable the image sets; a log file with no such switch is warned about, since the
 * image's root filesystem is read-only.
 */
async function logTarget(dir: string, at: (f: string) => string, facts: PhpFacts): Promise<void> {
  const files = await readSourceFiles(dir, { extensions: ['.php'], skipDirs: ['vendor', 'var', 'tests', 'node_modules', 'public'], maxFiles: 300 });
  let logFile: string | undefined;
  for (const f of files.filter((x) => /^(?:app|config|src)\//.test(x.path))) {
    for (const [i, l] of f.text.split('\n').entries()) {
      if (/^\s*(?:\/\/|#|\*)/.test(l)) continue;
      const env = ENV_READ.exec(l);
      if (env && /php:\/\/(?:stdout|stderr)/.test(l)) {
        facts.stdoutLogEnv = { value: env[1] ?? env[2]!, evidence: codeEvidence(at(f.path), i + 1, l) };
        return;
      }
      if (!logFile && !/php:\/\//.test(l) && /(?:StreamHandler\(|['"](?:path|log_file|logFile)['"]\s*=>).*\.log['"]/.test(l)) logFile = codeEvidence(at(f.path), i + 1, l);
    }
  }
  if (logFile) {
    facts.warnings.push(`${logFile}: the app logs to a file, and the image's root filesystem is read-only; log to php://stderr, where the platform collects it`);
  }
}
