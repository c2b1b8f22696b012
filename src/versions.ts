/**
 * Every version a generated kit pins, in one table.
 *
 * How to bump:
 * - Base images: change the tag here, run `UPDATE_SNAPSHOTS=1 npm test`, review the snapshot diff.
 *   Tags name a supported major plus the Debian release, so patch releases arrive on rebuild and
 *   Dependabot's docker ecosystem (configured in the kit) proposes the next major.
 * - Actions: copy `sha` and `latest` from the actions' own release tags (the project keeps a
 *   snapshot of them in its shared data); the kit writes `uses: owner/repo@<sha> # <latest>` and its
 *   Dependabot config keeps users' pins fresh after that.
 */

/** Node.js 26 is the Active LTS line (LTS since 2026-10-28, end of life 2029-04-30). */
export const NODE_LTS_MAJOR = '26';

/** Node majors that are past end of life; a detected one is kept but warned about. */
export const NODE_EOL_MAJORS = new Set(['14', '16', '18', '19', '20', '21', '23', '25']);

/** Debian release the Node images are built on (docker-node's default from Node 26 on). */
const NODE_IMAGE_VARIANT = 'trixie-slim';

/**
 * Node lines whose images stopped before docker-node's trixie variants (August 2025): the newest Debian
 * they were built on. node:18-trixie-slim, say, does not exist, so a repo on Node 18 gets bookworm.
 */
const NODE_LAST_VARIANT: Readonly<Record<string, string>> = {
  '14': 'bullseye-slim',
  '16': 'bookworm-slim',
  '17': 'bullseye-slim',
  '18': 'bookworm-slim',
  '19': 'bullseye-slim',
  '21': 'bookworm-slim',
  '23': 'bookworm-slim',
};

export function nodeImage(major: string): string {
  return `node:${major}-${NODE_LAST_VARIANT[major] ?? NODE_IMAGE_VARIANT}`;
}

/** Python 3.14 is the newest release line with full support (bugfix releases until 2027-10). */
export const PYTHON_DEFAULT = '3.14';

/** Python minors past end of life; a detected one is kept but warned about. */
export const PYTHON_EOL_MINORS = new Set(['3.6', '3.7', '3.8', '3.9']);

/** The official image's slim variant on the same Debian release as the Node images. */
export function pythonImage(minor: string): string {
  return `python:${minor}-slim-trixie`;
}

/**
 * Go 1.27 is the newest release (Go supports the two newest). A go.mod `go` line is a minimum and
 * Go keeps its compatibility promise, so older modules build on the newest toolchain: kits use
 * this unless go.mod asks for something newer.
 */
export const GO_DEFAULT = '1.27';

/** Build stage only: the binary ships on distroless, so the full Debian image costs nothing at run time. */
export function goImage(minor: string): string {
  return `golang:${minor}-trixie`;
}

/**
 * Bun 1.3 is the current release line. The slim variant is Debian without curl or git; its `bun`
 * user (uid 1000) runs the app.
 */
export const BUN_DEFAULT = '1.3';

export function bunImage(minor: string): string {
  return `oven/bun:${minor}-slim`;
}

/** uid:gid of the official Bun image's `bun` user. */
export const BUN_USER = '1000:1000';

/**
 * Deno 2.5 (an LTS line). The official images are tagged by exact release only, so each minor
 * maps to a release here; a minor not listed gets its first release (x.y.0), which every line has.
 */
export const DENO_DEFAULT = '2.5';
const DENO_RELEASES: Record<string, string> = { '2.5': '2.5.7' };

/** The official Debian image: tini as its ENTRYPOINT, the `deno` user, DENO_DIR=/deno-dir. */
export function denoImage(minor: string): string {
  return `denoland/deno:${DENO_RELEASES[minor] ?? `${minor}.0`}`;
}

/** uid:gid of the official Deno image's `deno` user. */
export const DENO_USER = '1993:1993';

/**
 * Rust 1.100 (2026-11-12, on the six-week release train), the stable line the kit builds with
 * when the crate pins nothing. Rust keeps its stability promise, so a crate whose `rust-version`
 * is older builds on it; a rust-toolchain.toml channel is used as written (rustup in the image
 * would otherwise download that toolchain).
 */
export const RUST_DEFAULT = '1.100';

/** Build stage only: cargo and the C toolchain stay there; the binary ships on distroless `cc`. */
export function rustImage(version: string): string {
  return `rust:${version}-slim-trixie`;
}

/**
 * Ruby 4.0 is the newest release line (4.0.0, 2025-12-25). A repo's .ruby-version or Gemfile
 * `ruby` line is used as written: Bundler refuses a Ruby the Gemfile does not accept.
 */
export const RUBY_DEFAULT = '4.0';

/** The newest minor of each Ruby major line, for a Gemfile's `~> 3.1` (any 3.x from 3.1 on). */
export const RUBY_NEWEST_MINOR: Readonly<Record<string, string>> = { '3': '3.4', '4': '4.0' };

/** The official image's slim variant (GEM_HOME /usr/local/bundle) on the Debian release the other images use. */
export function rubyImage(minor: string): string {
  return `ruby:${minor}-slim-trixie`;
}

/**
 * Java 25 is the newest LTS release (2025-09); Temurin publishes images for every LTS and the
 * current feature release. A build file's release (`<java.version>`, a Gradle toolchain) is used
 * as written: javac refuses a newer `--release` than the JDK it runs on.
 */
export const JAVA_DEFAULT = '25';

/** Build stage (and GitLab's test job): the full JDK on Ubuntu 24.04, the Temurin images' base. */
export function javaBuildImage(major: string): string {
  return `eclipse-temurin:${major}-jdk-noble`;
}

/** Runtime of Java services: the JRE only (no javac, no jlink), bash for the probe. */
export function javaRuntimeImage(major: string): string {
  return `eclipse-temurin:${major}-jre-noble`;
}

/** .NET 10 is the current LTS release (2025-11, supported until 2028-11). A project's TargetFramework decides. */
export const DOTNET_DEFAULT = '10.0';

/** The SDK image: restore, build, publish and the probe's compile; never shipped. */
export function dotnetSdkImage(version: string): string {
  return `mcr.microsoft.com/dotnet/sdk:${version}-noble`;
}

/**
 * The ASP.NET Core runtime, chiseled Ubuntu: no shell, no package manager, uid 1654 (`app`).
 * `-extra` keeps ICU and tzdata, so culture formatting and time zones behave as on the full image.
 */
export function dotnetRuntimeImage(version: string): string {
  return `mcr.microsoft.com/dotnet/aspnet:${version}-noble-chiseled-extra`;
}

/** uid:gid of the `app` user the .NET images ship (APP_UID). */
export const DOTNET_APP_USER = '1654:1654';

/**
 * PHP 8.5 is the newest release line (8.5.0, 2025-11-20); 8.2 to 8.4 still get security fixes.
 * A composer.json `require.php` range gets the newest of these it allows, not its minimum.
 */
export const PHP_DEFAULT = '8.5';

/** PHP minors the kit knows, oldest first; the first three are past end of life (a detected one is kept but warned about). */
export const PHP_MINORS: readonly string[] = ['7.4', '8.0', '8.1', '8.2', '8.3', '8.4', '8.5'];
export const PHP_EOL_MINORS = new Set(['7.4', '8.0', '8.1']);

/**
 * The official image's Apache variant (mod_php, the prefork MPM, `apache2-foreground`) on the
 * Debian release the other images use: the image of a PHP service.
 */
export function phpApacheImage(minor: string): string {
  return `php:${minor}-apache-trixie`;
}

/** The official CLI image: GitLab's test job runs the tests on it. */
export function phpCliImage(minor: string): string {
  return `php:${minor}-cli-trixie`;
}

/**
 * Composer 2.9: its image is only where the build stage copies the `composer` binary from (it
 * runs on the service's own PHP, so platform checks see the extensions the image has).
 * COMPOSER_VERSION is the release GitLab's test job downloads.
 */
export const COMPOSER_IMAGE = 'composer:2.9';
export const COMPOSER_VERSION = '2.9.8';

/**
 * Elixir 1.20 is the newest release line (1.20.0, 2026-06-03); Elixir patches the five newest
 * minors (SECURITY.md). A mix.exs `elixir:` range resolves to the newest of these it allows.
 */
export const ELIXIR_DEFAULT = '1.20';
export const ELIXIR_SUPPORTED: readonly string[] = ['1.20', '1.19', '1.18', '1.17', '1.16'];

/** Erlang/OTP majors each Elixir minor supports (Elixir's compatibility table); the image takes the newest unless .tool-versions names one. */
export const ELIXIR_OTP: Readonly<Record<string, { min: number; max: number }>> = {
  '1.20': { min: 27, max: 29 },
  '1.19': { min: 26, max: 28 },
  '1.18': { min: 25, max: 27 },
  '1.17': { min: 25, max: 27 },
  '1.16': { min: 24, max: 26 },
  '1.15': { min: 24, max: 26 },
  '1.14': { min: 23, max: 25 },
};

/**
 * The Debian release each official `erlang:<otp>-slim` image (and so `elixir:*-otp-<otp>-slim`) is
 * built on. A release links ERTS against the build image's glibc and OpenSSL, so the runtime stage
 * is the same Debian release; the Dockerfile checks that the two agree when it builds.
 */
export const OTP_DEBIAN: Readonly<Record<string, string>> = { '25': 'bullseye', '26': 'bookworm', '27': 'bookworm', '28': 'trixie', '29': 'trixie' };

/** Build stage only: the official image's slim variant for that Elixir minor on that OTP major. */
export function elixirImage(minor: string, otp: string): string {
  return `elixir:${minor}-otp-${otp}-slim`;
}

/** Debian's release numbers, which the official debian image's tags pin (`13-slim` is trixie's, moving only with point releases). */
const DEBIAN_NUMBER: Readonly<Record<string, string>> = { bullseye: '11', bookworm: '12', trixie: '13' };

/** Runtime of Elixir releases: the release carries ERTS, so plain Debian slim of the build image's release. */
export function elixirRuntimeImage(otp: string): string {
  return `debian:${DEBIAN_NUMBER[OTP_DEBIAN[otp] ?? 'trixie']}-slim`;
}

/** The OTP major an Elixir minor gets by default: the newest it supports. */
export function defaultOtp(minor: string): string {
  return String(ELIXIR_OTP[minor]?.max ?? ELIXIR_OTP[ELIXIR_DEFAULT]!.max);
}

/** Runtime of Go services: no shell, no libc, uid 65532; a CGO_ENABLED=0 binary needs nothing more. */
export const DISTROLESS_STATIC_IMAGE = 'gcr.io/distroless/static-debian13:nonroot';
/**
 * Runtime of Rust services and of cgo Go services: distroless with glibc, libgcc, libstdc++ and libssl
 * (what a dynamically linked binary needs; the same Debian release as the build images, so glibc
 * matches), uid 65532, still no shell.
 */
export const DISTROLESS_CC_IMAGE = 'gcr.io/distroless/cc-debian13:nonroot';
/** The uid:gid of distroless's `nonroot` user, numeric so USER does not depend on /etc/passwd. */
export const DISTROLESS_NONROOT = '65532:65532';

/** nginx's stable line (even minor), Debian-based: bash, grep and head for the health probe. */
export const NGINX_IMAGE = 'nginx:1.30-trixie';
/** uid:gid of the official image's `nginx` user; numeric so it works even where /etc/passwd lacks it. */
export const NGINX_USER = '101:101';

/**
 * Compose add-ons. PostgreSQL 18 is what the official image's `latest` points at (19.0 is days old
 * and its image still a beta tag); Redis 8 is the current major.
 */
export const ADDON_IMAGES = {
  postgres: 'postgres:18-trixie',
  redis: 'redis:8-trixie',
} as const;

/**
 * Python package managers installed (by a pinned `pip install`) into the build stage and CI:
 * the lockfile decides the dependencies, these only read it.
 */
export const PYTHON_TOOLS = {
  uv: '0.13.8',
  poetry: '2.5.1',
  pipenv: '2026.10.3',
} as const;

/**
 * The servers a Python start command runs, installed by the image (pinned) when the repo does not
 * declare the one it needs (`installServer: true`).
 */
export const PYTHON_SERVERS = {
  gunicorn: '27.0.1',
  uvicorn: '0.54.0',
} as const;

export interface PinnedAction {
  /** The release tag the SHA belongs to, written as the comment after the pin. */
  version: string;
  sha: string;
}

/** Actions a kit may use; snapshot of the actions' release tags taken 2026-11. */
export const ACTIONS = {
  'actions/checkout': { version: 'v7.0.1', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  'actions/setup-node': { version: 'v7.0.0', sha: '820762786026740c76f36085b0efc47a31fe5020' },
  'actions/upload-artifact': { version: 'v7.0.0', sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f' },
  'docker/setup-buildx-action': { version: 'v4.3.0', sha: '37fe631027851001ddb9b187196cc803df7f5f0e' },
  'docker/build-push-action': { version: 'v7.3.0', sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a' },
  'pnpm/action-setup': { version: 'v4.0.0', sha: 'fe02b34f77f8bc703788d5817da081398fad5dd2' },
  'docker/login-action': { version: 'v4.1.0', sha: '4907a6ddec9925e35a0a9e82d7399ccc52663121' },
  'docker/metadata-action': { version: 'v6.2.0', sha: 'dc802804100637a589fabce1cb79ff13a1411302' },
  'actions/setup-python': { version: 'v7.0.0', sha: '5fda3b95a4ea91299a34e894583c3862153e4b97' },
  'actions/setup-go': { version: 'v7.0.0', sha: 'b7ad1dad31e06c5925ef5d2fc7ad053ef454303e' },
  'oven-sh/setup-bun': { version: 'v2.2.0', sha: '0c5077e51419868618aeaa5fe8019c62421857d6' },
  'actions/setup-java': { version: 'v5.7.0', sha: 'b6effb05e454b25005698d916606bdc6ffcbf961' },
  'actions/setup-dotnet': { version: 'v6.0.0', sha: 'a98b56852c35b8e3190ac28c8c2271da59106c68' },
  'ruby/setup-ruby': { version: 'v1.315.0', sha: '0dafeac902942906541bc140009cdbf32665b601' },
  'shivammathur/setup-php': { version: '2.37.2', sha: 'f3e473d116dcccaddc5834248c87452386958240' },
  'erlef/setup-beam': { version: 'v1.24.1', sha: '54075bcc5e249e4758d363f27d099f55d843f124' },
  'actions/cache': { version: 'v5.0.5', sha: '27d5ce7f107fe9357f9df03efb73ab90386fccae' },
  'denoland/setup-deno': { version: 'v2.0.4', sha: '667a34cdef165d8d2b2e98dde39547c9daac7282' },
  'astral-sh/setup-uv': { version: 'v10.0.1', sha: '20cfd1bf945f4377ade1205e4dbc17946fc9a30d' },
  'actions/configure-pages': { version: 'v5.0.0', sha: '983d7736d9b0ae728b81ab479565c72886d7745b' },
  'actions/upload-pages-artifact': { version: 'v5.0.0', sha: 'fc324d3547104276b827a68afc52ff2a11cc49c9' },
  'actions/deploy-pages': { version: 'v5.0.0', sha: 'cd2ce8fcbc39b97be8ca5fce6e763baed58fa128' },
  'superfly/flyctl-actions': { version: '1.6', sha: 'ed8efb33836e8b2096c7fd3ba1c8afe303ebbff1' },
  'actions/attest-build-provenance': { version: 'v4.1.0', sha: 'a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32' },
  'aquasecurity/trivy-action': { version: 'v0.36.0', sha: 'ed142fd0673e97e23eac54620cfb913e5ce36c25' },
  'Azure/setup-kubectl': { version: 'v5.1.0', sha: '829323503d1be3d00ca8346e5391ca0b07a9ab0d' },
} as const satisfies Record<string, PinnedAction>;

/**
 * Package-manager versions installed into images when the repo does not pin one through
 * package.json's `packageManager` (Node 25+ images no longer ship corepack).
 */
export const PACKAGE_MANAGER_DEFAULTS = {
  pnpm: '10',
  yarn: '1.22.22',
} as const;

/** tini: PID 1 inside the container, so SIGTERM reaches the app and zombies are reaped. */
export const TINI_PATH = '/usr/bin/tini';

/**
 * Images the GitLab pipeline's jobs run in. Docker-in-Docker is GitLab's documented way to build
 * on shared runners; the CLI and the daemon share a major. The deploy job needs only ssh and curl.
 */
export const CI_IMAGES = {
  dockerCli: 'docker:29-cli',
  dockerDind: 'docker:29-dind',
  deploy: 'debian:trixie-slim',
  /** The image scan: Trivy 0.74.0 (2026-08-14; 0.69.4 was the compromised release, long superseded). */
  trivy: 'aquasec/trivy:0.74.0',
} as const;

/**
 * Command-line tools the platform workflows run, at exact versions (`npx <cli>@<version>`, the
 * kubectl that Azure/setup-kubectl installs). Bump: `npm view vercel version`, `npm view netlify-cli
 * version`; kubectl within one minor version of your clusters (kubectl's version skew policy).
 * Dependabot does not see these: bump them here and regenerate.
 */
export const CLI_TOOLS = {
  vercel: '64.0.2',
  netlify: '27.10.2',
  kubectl: 'v1.34.1',
} as const;
