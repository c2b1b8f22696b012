/** A PHP service: what detection learns about it, and what its templates read. */
import type { Fact } from '../../src/detect/fact.js';

/** `slim`: Slim 4 (slim/slim), a micro-framework served like a plain front controller. */
export type PhpFramework = 'laravel' | 'symfony' | 'slim';

export interface PhpFacts {
  path: string;
  /** composer.lock, with whether its content-hash matches composer.json. */
  lockfile?: Fact<string>;
  /** composer.lock against composer.json: in sync (its content-hash matches), stale, not JSON, or missing. */
  lockStatus: 'in-sync' | 'stale' | 'invalid' | 'missing';
  /** "X.Y", from .php-version or composer.json's `require.php`. */
  phpVersion?: Fact<string>;
  framework?: Fact<PhpFramework>;
  /** The framework's locked version, e.g. "12.3.0". */
  frameworkVersion?: Fact<string>;
  /** The directory Apache serves: `public` (public/index.php) or `.` (index.php at the root). */
  documentRoot?: Fact<string>;
  /** PHP extensions composer.json requires (`ext-intl`) that the official image does not ship enabled. */
  extensions: string[];
  /** Why each of `extensions` is needed, in the same order. */
  extensionEvidence: string[];
  /** A release step: `php artisan migrate --force`, Doctrine Migrations. */
  migrate?: Fact<string>;
  test?: Fact<string>;
  /** The database the configuration names (pgsql, mysql, sqlite): it decides the add-on, not the variables the code reads. */
  database?: Fact<string>;
  /** The asset build the pages need: Vite's `npm run build` (a Node stage) or Symfony's AssetMapper (the PHP build stage). */
  assets?: Fact<string>;
  /** Compose add-ons the configuration asks for (evidence per add-on): Laravel's config lists every driver, so its env reads do not decide. */
  addons: { postgres?: string; redis?: string };
  /** The variable the app's settings check to log to php://stdout instead of a file (Slim-Skeleton's `docker`). */
  stdoutLogEnv?: Fact<string>;
  port?: Fact<number>;
  healthPath?: Fact<string>;
  warnings: string[];
}

/** The service view's `php` field: what its templates read. */
export interface PhpStackView {
  laravel: boolean;
  symfony: boolean;
  /** The directory Apache serves, under /app. */
  documentRoot: string;
  /** Extensions docker-php-ext-install builds, space-separated ("" for none). */
  coreExtensions: string;
  /** Extensions PECL builds, space-separated ("" for none). */
  peclExtensions: string;
  /** Headers the extensions compile against (purged after; the libraries they link stay). */
  buildPackages: string;
  /** Extensions GitLab's test job builds (the requested core ones, no OPcache), space-separated. */
  ciCoreExtensions: string;
  /** The -dev packages those need, space-separated (with $PHPIZE_DEPS when PECL builds one). */
  ciBuildPackages: string;
  /** Extensions for setup-php in CI, comma-separated ("" for none). */
  ciExtensions: string;
  composerImage: string;
  composerVersion: string;
  /** Node image of the asset stage and its build command, or null without one. */
  assets: PhpAssetsView | null;
  /** A build command run in the PHP build stage after the autoloader (Symfony's asset-map:compile), or null. */
  phpBuild: string | null;
  /** Directories the image creates under /app for the app to write in. */
  createDirs: string;
  /** Directories the app writes under /app (tmpfs mounts at run time): the app user's (recursively) in the image, mode 0700. */
  writableDirs: string;
  /** The variable the image sets to `true` so the app logs to php://stdout (its settings check it), or null. */
  stdoutLogEnv: string | null;
  /** The start command in exec form (JSON array). */
  startArgs: string;
}

/** The asset stage: npm (its lockfile optional), or pnpm/yarn installed at the versions table's version, frozen to their lockfile. */
export interface PhpAssetsView {
  image: string;
  build: string;
  npm: boolean;
  pmInstall: string | null;
  manifests: string;
  cacheDir: string;
  installAll: string;
}
