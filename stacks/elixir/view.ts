/** An Elixir service's template data: the release, its images, its probe. */
import type { ServiceConfig } from '../../src/config/types.js';
import { ELIXIR_DEFAULT, OTP_DEBIAN, defaultOtp, elixirImage, elixirRuntimeImage } from '../../src/versions.js';
import { inDir, probeForms } from '../shared.js';
import type { Probe, ServiceDirs, StackView } from '../types.js';
import type { ElixirStackView } from './types.js';

/**
 * bash's /dev/tcp (Debian slim has no curl or wget; bash, head and grep are Essential). Without a
 * route it only connects; with one it wants a 2xx status line. The Host header keeps Plug.SSL's
 * localhost exclusion in play when the app forces HTTPS.
 */
export function elixirProbe(s: Pick<ServiceConfig, 'port' | 'healthPath'>): Probe {
  const connect = `exec 3<>/dev/tcp/127.0.0.1/${s.port}`;
  const sh =
    s.healthPath === undefined
      ? connect
      : `${connect} && printf "GET ${s.healthPath} HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n" >&3 && head -n 1 <&3 | grep -q "^HTTP/1.. 2"`;
  return probeForms(['bash', '-c', sh], `bash -c '${sh}'`);
}

/** `bin/<release> start` -> the release's name. */
function releaseOf(s: Pick<ServiceConfig, 'start' | 'name'>): string {
  return /^(?:\/app\/)?bin\/([A-Za-z0-9_]+)\b/.exec(s.start ?? '')?.[1] ?? s.name.replace(/-/g, '_');
}

export function elixirView(s: ServiceConfig, { dir }: ServiceDirs): StackView {
  const languageVersion = s.languageVersion ?? ELIXIR_DEFAULT;
  const otp = s.otpVersion ?? defaultOtp(languageVersion);
  const release = releaseOf(s);
  const phoenix = s.framework === 'phoenix';
  const words = (s.start ?? `bin/${release} start`).split(/ +/);
  // The release's scripts are absolute in the image, so `docker run IMAGE bin/x eval ...` and CMD agree.
  const startArgs = JSON.stringify(words.map((w, i) => (i === 0 && w.startsWith('bin/') ? `/app/${w}` : w)));
  const prefix = `mix-\${{ runner.os }}-${languageVersion}-${otp}-`;
  const elixir: ElixirStackView = {
    release,
    phoenix,
    deps: s.mixDeps !== false,
    lockfile: s.lockfile !== false,
    compileConfig: (s.compileConfig ?? []).join(' '),
    assetsBuild: s.build ?? null,
    otpVersion: otp,
    debian: OTP_DEBIAN[otp] ?? 'trixie',
    ciCachePaths: [inDir(dir, 'deps'), inDir(dir, '_build')],
    ciCacheKey: `${prefix}\${{ hashFiles('${inDir(dir, s.lockfile === false ? 'mix.exs' : 'mix.lock')}') }}`,
    ciCachePrefix: prefix,
    startArgs,
  };
  const lockfilePath = s.lockfile === false || s.mixDeps === false ? null : inDir(dir, 'mix.lock');
  return {
    testJob: true,
    languageVersion,
    baseImage: elixirImage(languageVersion, otp),
    runtimeImage: elixirRuntimeImage(otp),
    lockfilePath,
    ciCacheFiles: [inDir(dir, lockfilePath ? 'mix.lock' : 'mix.exs')],
    imageSummary: `${phoenix ? 'Phoenix on ' : s.framework === 'plug' ? 'Plug on ' : ''}Elixir ${languageVersion} and Erlang/OTP ${otp}, a \`mix release\` on Debian slim`,
    runsAs: 'the unprivileged `app` user (uid 1000)',
    user: '1000:1000',
    // Phoenix's runtime.exs raises without these: the smoke test boots with throwaway ones (a random
    // secret, a database that is not there: Ecto retries in the background while the endpoint serves).
    smokeEnv: phoenix
      ? ['SECRET_KEY_BASE="$(od -An -tx1 -N48 /dev/urandom | tr -d \' \\n\')"', ...(s.migrate ? [`${s.databaseUrlEnv ?? 'DATABASE_URL'}=ecto://smoke:smoke@127.0.0.1:5432/smoke`] : [])]
      : [],
    testPostgres:
      phoenix && s.migrate
        ? "PostgreSQL for `mix test`, which creates and migrates its database: postgres/postgres on localhost, as phx.new's config/test.exs has it."
        : null,
    // The release execs the BEAM, which stops gracefully on SIGTERM (init:stop) even as PID 1.
    tiniNeeded: false,
    elixir,
  };
}
