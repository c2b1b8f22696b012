/** A Ruby service's template data: Bundler's install, Rails' build steps, the image, the probe. */
import type { ServiceConfig } from '../../src/config/types.js';
import { RUBY_DEFAULT, rubyImage } from '../../src/versions.js';
import { inDir, probeForms } from '../shared.js';
import type { Probe, ServiceDirs, StackView } from '../types.js';
import type { RubyStackView } from './types.js';

/**
 * Ruby's own net/http (slim images have no curl or wget); PORT is read at run time. Only a 2xx
 * passes: a refused connection or a timeout raises, a redirect or an error status exits 1.
 */
export function rubyProbe(s: Pick<ServiceConfig, 'port' | 'healthPath'>): Probe {
  const port = `ENV.fetch('PORT','${s.port}').to_i`;
  const rb =
    s.healthPath === undefined
      ? `require 'socket';Socket.tcp('127.0.0.1',${port},connect_timeout:4).close`
      : `require 'net/http';r=Net::HTTP.start('127.0.0.1',${port},open_timeout:4,read_timeout:4){|h|h.get('${s.healthPath}')};exit(r.is_a?(Net::HTTPSuccess))`;
  return probeForms(['ruby', '-e', rb], `ruby -e "${rb}"`);
}

/** Native gems: the headers their build needs, the library they load at run time. */
const NATIVE: Record<string, { build: string; runtime: string }> = {
  pg: { build: 'libpq-dev', runtime: 'libpq5' },
  mysql2: { build: 'default-libmysqlclient-dev', runtime: 'libmariadb3' },
};

/** Rails and Rack servers write tmp/ (pids, caches, local file storage): the rest stays read-only. */
const WRITABLE = ['tmp'];

export function rubyView(s: ServiceConfig, { dir }: ServiceDirs): StackView {
  const languageVersion = s.languageVersion ?? RUBY_DEFAULT;
  const gems = s.gems ?? [];
  const rails = s.framework === 'rails';
  const native = gems.filter((g) => NATIVE[g]).map((g) => NATIVE[g]!);
  const start = s.start ?? 'ruby app.rb';
  const server = /\bpuma\b/.test(start) ? 'Puma' : /rails s(erver)?\b/.test(start) ? 'rails server (Puma)' : start.split(' ')[0]!;
  const ruby: RubyStackView = {
    rails,
    bootsnap: gems.includes('bootsnap'),
    assetsBuild: s.build ?? null,
    buildPackages: ['build-essential', 'git', 'libyaml-dev', 'pkg-config', ...native.map((n) => n.build)].join(' '),
    runtimePackages: ['libjemalloc2', ...native.map((n) => n.runtime)].join(' '),
    writableDirs: 'db log storage tmp',
    tmpfsDirs: WRITABLE.join(' '),
    server,
    startArgs: JSON.stringify(start.split(/ +/)),
  };
  const lockfilePath = inDir(dir, 'Gemfile.lock');
  return {
    writable: WRITABLE,
    testJob: true,
    languageVersion,
    baseImage: rubyImage(languageVersion),
    runtimeImage: rubyImage(languageVersion),
    lockfilePath,
    ciCacheFiles: [lockfilePath],
    imageSummary: `${rails ? 'Rails' : s.framework && s.framework !== 'none' ? s.framework : 'Ruby'} on Ruby ${languageVersion}, run by ${server}`,
    runsAs: 'the unprivileged `app` user (uid 1000)',
    user: '1000:1000',
    // Rails refuses to boot in production without a secret_key_base (from credentials, which need
    // RAILS_MASTER_KEY, or the variable): the smoke test boots with a throwaway random one.
    smokeEnv: rails ? ['SECRET_KEY_BASE="$(od -An -tx1 -N48 /dev/urandom | tr -d \' \\n\')"'] : [],
    // Ruby installs its own SIGTERM handler, so even as PID 1 it stops on `docker stop`; Puma handles TERM too.
    tiniNeeded: false,
    ruby,
  };
}
