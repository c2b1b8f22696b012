/** A PHP service's template data: the extensions its image builds, Apache's document root, the probe. */
import type { ServiceConfig } from '../../src/config/types.js';
import { COMPOSER_IMAGE, COMPOSER_VERSION, NODE_LTS_MAJOR, PHP_DEFAULT, nodeImage, phpApacheImage, phpCliImage } from '../../src/versions.js';
import { inDir, probeForms } from '../shared.js';
import type { Probe, ServiceDirs, StackView } from '../types.js';
import type { PhpAssetsView, PhpStackView } from './types.js';
import { nodeView } from '../node/view.js';

/**
 * PHP's own get_headers() (the image has no curl guarantee; php is always there); PORT is read at
 * run time. Only a 2xx status line passes: a redirect is not followed, a refused connection or a
 * timeout gives no status. No `$` or double quote, so the same code survives a shell and compose.
 */
export function phpProbe(s: Pick<ServiceConfig, 'port' | 'healthPath'>): Probe {
  const port = `(getenv('PORT')?:${s.port})`;
  const code =
    s.healthPath === undefined
      ? `ini_set('default_socket_timeout','4');exit(@fsockopen('127.0.0.1',(int)${port})?0:1);`
      : `exit(preg_match('#^HTTP/[0-9.]+ 2#',@get_headers('http://127.0.0.1:'.${port}.'${s.healthPath}',false,` +
        `stream_context_create(['http'=>['timeout'=>4,'follow_location'=>0]]))[0]??'')?0:1);`;
  return probeForms(['php', '-r', code], `php -r "${code}"`);
}

/** Extensions docker-php-ext-install builds, with the -dev packages they compile against. */
const CORE: Record<string, string> = {
  bcmath: '',
  bz2: 'libbz2-dev',
  calendar: '',
  exif: '',
  gd: 'libfreetype-dev libjpeg62-turbo-dev libpng-dev libwebp-dev',
  gettext: '',
  gmp: 'libgmp-dev',
  intl: 'libicu-dev',
  mysqli: '',
  opcache: '',
  pcntl: '',
  pdo_mysql: '',
  pdo_pgsql: 'libpq-dev',
  pgsql: 'libpq-dev',
  soap: 'libxml2-dev',
  sockets: '',
  xsl: 'libxslt1-dev',
  zip: 'libzip-dev',
};
/** Extensions from PECL (not in PHP's source tree): built with the image's $PHPIZE_DEPS. */
const PECL = new Set(['apcu', 'igbinary', 'redis']);

/** What each framework writes at run time, under /app. */
const WRITABLE: Record<string, string[]> = {
  laravel: ['storage', 'bootstrap/cache'],
  symfony: ['var'],
};

/** Laravel's storage tree: `optimize` and the app expect it, and a tmpfs mounted over storage/ starts empty. */
const LARAVEL_DIRS = 'storage/app/private storage/app/public storage/framework/cache/data storage/framework/sessions storage/framework/views storage/logs bootstrap/cache';

/** The -dev packages `extensions` compile against, and phpize's toolchain for PECL. */
function packagesFor(extensions: string[], pecl: boolean): string {
  const dev = [...new Set(extensions.flatMap((e) => (CORE[e] ?? '').split(' ').filter(Boolean)))].sort();
  return [...(pecl ? ['$PHPIZE_DEPS'] : []), ...dev].join(' ');
}

function startArgs(framework: string | undefined): string {
  // Caches built where the real environment is (config:cache bakes env() values in), then Apache
  // replaces the shell, so it is PID 1 and gets the stop signal.
  if (framework === 'laravel') return JSON.stringify(['sh', '-c', `mkdir -p ${LARAVEL_DIRS} && php artisan optimize && exec apache2-foreground`]);
  if (framework === 'symfony') return JSON.stringify(['sh', '-c', 'php bin/console cache:warmup && exec apache2-foreground']);
  return JSON.stringify(['apache2-foreground']);
}

/** A build run by a Node package manager: `npm run build`, `pnpm run build`, `yarn build`. */
const NODE_BUILD = /^(?:npm|npx|pnpm|yarn)\s/;

/** The asset stage's install: what the Node stack runs for the same package manager and its lockfile. */
function assetsView(build: string, port: number): PhpAssetsView {
  const image = nodeImage(NODE_LTS_MAJOR);
  const pm = /^(pnpm|yarn)\s/.exec(build)?.[1] as 'pnpm' | 'yarn' | undefined;
  if (!pm) return { image, build, npm: true, pmInstall: null, manifests: 'package.json package-lock.json*', cacheDir: '/root/.npm', installAll: 'npm ci' };
  const node = nodeView({ name: 'assets', path: '.', stack: 'node', kind: 'static', packageManager: pm, build, outputDir: 'public/build', port }, { dir: '', workspaceDir: null }).node!;
  return { image, build, npm: false, pmInstall: node.pmInstall, manifests: node.manifests, cacheDir: node.cacheDir, installAll: node.installAll };
}

export function phpView(s: ServiceConfig, { dir }: ServiceDirs): StackView {
  const languageVersion = s.languageVersion ?? PHP_DEFAULT;
  const requested = s.extensions ?? [];
  // OPcache is compiled into PHP from 8.5 on; before, the image builds and enables it.
  const [major = 0, minor = 0] = languageVersion.split('.').map(Number);
  const opcache = major < 8 || (major === 8 && minor < 5) ? ['opcache'] : [];
  const core = [...requested.filter((e) => CORE[e] !== undefined), ...opcache];
  const pecl = requested.filter((e) => PECL.has(e));
  const framework = s.framework === 'laravel' || s.framework === 'symfony' ? s.framework : undefined;
  const writable = framework ? WRITABLE[framework]! : [];
  const php: PhpStackView = {
    laravel: framework === 'laravel',
    symfony: framework === 'symfony',
    documentRoot: s.documentRoot && s.documentRoot !== '.' ? `/app/${s.documentRoot}` : s.documentRoot === '.' ? '/app' : '/app/public',
    coreExtensions: core.join(' '),
    peclExtensions: pecl.join(' '),
    buildPackages: packagesFor(core, pecl.length > 0),
    ciCoreExtensions: requested.filter((e) => CORE[e] !== undefined).join(' '),
    ciBuildPackages: packagesFor(requested.filter((e) => CORE[e] !== undefined), pecl.length > 0),
    ciExtensions: requested.join(', '),
    composerImage: COMPOSER_IMAGE,
    composerVersion: COMPOSER_VERSION,
    // A Node package manager's build runs in a Node stage; any other build command in the PHP build stage.
    assets: s.build && NODE_BUILD.test(s.build) ? assetsView(s.build, s.port) : null,
    phpBuild: s.build && !NODE_BUILD.test(s.build) ? s.build : null,
    createDirs: framework === 'laravel' ? LARAVEL_DIRS : writable.join(' '),
    writableDirs: writable.join(' '),
    stdoutLogEnv: s.stdoutLogEnv ?? null,
    startArgs: startArgs(framework),
  };
  const lockfilePath = inDir(dir, 'composer.lock');
  const name = framework === 'laravel' ? 'Laravel' : framework === 'symfony' ? 'Symfony' : s.framework === 'slim' ? 'Slim' : 'A plain PHP app';
  return {
    writable,
    testJob: true,
    languageVersion,
    baseImage: phpCliImage(languageVersion),
    runtimeImage: phpApacheImage(languageVersion),
    lockfilePath,
    ciCacheFiles: [lockfilePath],
    imageSummary: `${name} on PHP ${languageVersion}, served by Apache with mod_php`,
    runsAs: 'the unprivileged `app` user (uid 1000)',
    user: '1000:1000',
    // Apache (PID 1, or exec'd by the start shell) stops gracefully on SIGWINCH, the image's STOPSIGNAL.
    tiniNeeded: false,
    php,
  };
}
