/**
 * GitLab's test job for a Phoenix service with migrations runs PostgreSQL as a service, and
 * phx.new's config/test.exs connects to localhost. The job's own script (taken from the rendered
 * .gitlab-ci.yml, run as it is) makes localhost:5432 reach the service, on a real engine:
 * - the Docker executor (GitLab.com's shared runners): the job and the service are two containers
 *   on one network, the service reached by its alias: socat forwards 127.0.0.1:5432 to it;
 * - the Kubernetes executor: one network namespace (a pod), the alias names 127.0.0.1: nothing
 *   is forwarded.
 * In both, psql on localhost with the phx.new credentials creates and migrates the test database,
 * as `mix test` does, and the BEAM's own "localhost" connects. Without the script it does not.
 *
 * Stand-ins: the registry's postgres image cannot be pulled here, so the server is Debian's
 * PostgreSQL started the way the official image's entrypoint does (POSTGRES_USER and
 * POSTGRES_PASSWORD, password auth over TCP); socat, which the job installs with apt, is
 * preinstalled, since a container on a private network reaches no package mirror.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { ADDON_IMAGES, defaultOtp, ELIXIR_DEFAULT, elixirImage } from '../src/versions.js';
import { docker, engineOrSkip, imagesOrSkip } from './_engine.js';
import { renderScenario } from './_render.js';
import { scenarios } from './_scenarios.js';

const TIER = 'gitlab-postgres';
const BASE = elixirImage(ELIXIR_DEFAULT, defaultOtp(ELIXIR_DEFAULT));
const skip = engineOrSkip(TIER) || imagesOrSkip(TIER, [BASE]);

interface Job {
  image: string;
  services?: Array<{ name: string; alias: string; variables: Record<string, string> }>;
  script: string[];
}

const ci = parse((await renderScenario(scenarios['phoenix-gitlab']!)).find((f) => f.path === '.gitlab-ci.yml')!.content) as Record<string, Job>;
const job = ci['test-blog']!;
const forward = job.script.find((line) => line.includes('TCP4-LISTEN:5432'));

test('the test job runs the pinned PostgreSQL as "postgres" with the credentials phx.new uses, and installs socat', () => {
  assert.equal(job.services, [{ name: ADDON_IMAGES.postgres, alias: 'postgres', variables: { POSTGRES_USER: 'postgres', POSTGRES_PASSWORD: 'postgres' } }]);
  assert.ok(forward, 'a script line makes localhost:5432 reach the service');
  const install = job.script.findIndex((line) => /apt-get install .*\bsocat\b/.test(line));
  assert.ok(install >= 0 && install < job.script.indexOf(forward!), 'socat is installed before the forward');
  assert.is(job.script.indexOf(forward!), job.script.indexOf('mix test') - 1, 'the forward is in place when mix test runs');
});

test('a Phoenix service without migrations, or a Plug one, gets no PostgreSQL in its GitLab test job', async () => {
  const plug = parse((await renderScenario(scenarios['plug-bandit']!)).find((f) => f.path === '.gitlab-ci.yml')!.content) as Record<string, Job>;
  assert.is(plug['test-api']!.services, undefined);
  assert.not.ok(plug['test-api']!.script.some((l) => l.includes('socat')));
  const noMigrate = structuredClone(scenarios['phoenix-gitlab']!);
  delete noMigrate.services[0]!.migrate;
  const files = await renderScenario(noMigrate);
  const other = (parse(files.find((f) => f.path === '.gitlab-ci.yml')!.content) as Record<string, Job>)['test-blog']!;
  assert.is(other.services, undefined);
  assert.not.ok(other.script.some((l) => l.includes('socat')));
  assert.not.match(files.find((f) => f.path === 'DEPLOY.md')!.content, /cannot connect to PostgreSQL/);
});

/** Debian's PostgreSQL, started as the official image starts: a user and password from the environment, password auth over TCP. */
const ENTRYPOINT = `#!/bin/sh
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
install -d -o postgres -g postgres -m 700 /tmp/pgdata
install -d -o postgres -g postgres /var/run/postgresql
printf '%s\\n' "$POSTGRES_PASSWORD" > /tmp/pwfile
chown postgres /tmp/pwfile
runuser -u postgres -- "$bin/initdb" -D /tmp/pgdata -U "$POSTGRES_USER" --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 > /dev/null
echo 'host all all all scram-sha-256' >> /tmp/pgdata/pg_hba.conf
exec runuser -u postgres -- "$bin/postgres" -D /tmp/pgdata -c listen_addresses='*'
`;

/** What `mix test` does first (ecto.create, ecto.migrate) with config/test.exs's settings, and the BEAM's own view of localhost. */
const CHECKS = [
  'export PGPASSWORD=postgres',
  'psql -X -q -h localhost -U postgres -d postgres -c "CREATE DATABASE blog_test"',
  'psql -X -q -h localhost -U postgres -d blog_test -c "CREATE TABLE posts (id bigserial PRIMARY KEY, title text)"',
  `erl -noshell -eval '{ok, S} = gen_tcp:connect("localhost", 5432, []), gen_tcp:close(S), halt().'`,
  'echo "checks passed, db=$db"',
].join('\n');

if (!skip) {
  const id = `dk-gitlab-pg-${process.pid}`;
  const image = `${id}:standin`;
  const net = `${id}-net`;
  const containers: string[] = [];
  const run = (args: string[]) => spawnSync('docker', args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  // A job container: its exit status (this engine's Docker API loses it under `run --rm`, so it is removed after).
  let jobs = 0;
  const jobRun = (args: string[], ...command: string[]) => {
    const name = `${id}-job-${++jobs}`;
    containers.push(name);
    const r = run(['run', '--name', name, ...args, image, ...command]);
    run(['rm', '--force', name]);
    return r;
  };
  const server = (name: string, ...args: string[]) => {
    containers.push(name);
    const env = Object.entries(job.services![0]!.variables).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    docker('run', '--detach', '--name', name, ...args, ...env, image, '/usr/local/bin/postgres-standin');
  };

  test.before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'dk-gitlab-pg-'));
    writeFileSync(join(dir, 'postgres-standin'), ENTRYPOINT, { mode: 0o755 });
    writeFileSync(
      join(dir, 'Dockerfile'),
      `FROM ${BASE}\n` +
        'RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql socat > /dev/null \\\n' +
        ' && rm -rf /var/lib/apt/lists/*\nCOPY postgres-standin /usr/local/bin/\n',
    );
    // apt reaches the package mirror from the host's network only.
    const r = run(['build', '--network', 'host', '-t', image, dir]);
    rmSync(dir, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`${TIER}: the PostgreSQL stand-in did not build:\n${r.stderr.slice(-2000)}`);
    docker('network', 'create', net);
  });

  test.after(() => {
    for (const c of containers) run(['rm', '--force', c]);
    run(['network', 'rm', net]);
    run(['rmi', image]);
  });

  test('Docker executor: the job reaches the service by its alias, and localhost:5432 through the forward', () => {
    server(`${id}-db`, '--network', net, '--network-alias', 'postgres');
    // Started at once, before initdb is done: the script's wait is what holds the tests back.
    const without = jobRun(['--network', net], 'bash', '-c', 'PGPASSWORD=postgres psql -X -h localhost -U postgres -c "SELECT 1"');
    assert.is.not(without.status, 0, 'without the forward, localhost:5432 is nothing in the job container');
    const r = jobRun(['--network', net], 'bash', '-eo', 'pipefail', '-c', `${forward}\n${CHECKS}`);
    assert.is(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /checks passed, db=(?!127\.)\d+\.\d+\.\d+\.\d+/);
  });

  test('Kubernetes executor: one network namespace, the alias is 127.0.0.1, nothing is forwarded', () => {
    server(`${id}-pod`);
    // The pod: the job shares the service's network namespace; GitLab adds the alias as a host alias for 127.0.0.1.
    const hosts = 'printf "127.0.0.1 postgres\\n" >> /etc/hosts';
    // sh (dash) this time: a runner uses sh when an image has no bash.
    const r = jobRun(['--network', `container:${id}-pod`], 'sh', '-e', '-c', `${hosts}\n${forward}\n${CHECKS}\ntest ! -e /tmp/postgres-forward.log`);
    assert.is(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /checks passed, db=127\.0\.0\.1/);
  });

  test('no PostgreSQL at all (and an alias that does not resolve): the job fails with a clear message instead of hanging', () => {
    const short = forward!.replace('+ 60))', '+ 3))');
    assert.is.not(short, forward);
    const r = jobRun(['--network', 'none'], 'bash', '-eo', 'pipefail', '-c', short);
    assert.is(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /PostgreSQL did not accept connections on 127\.0\.0\.1:5432/);
  });
}

test.run();
