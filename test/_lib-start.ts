import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './_repo.js';

/**
 * lib.sh's `dk_start_color` (the docker run deploy.sh starts a color with) for an app on `port`,
 * with a stand-in docker that prints its `run` arguments on stderr (lib.sh drops run's stdout).
 * `env` adds settings (APP_PORT_ENV, APP_LISTEN_ADDR_ENV...).
 */
export function startColor(app: string, port: number, env: Record<string, string>): { code: number | null; err: string } {
  const dir = mkdtempSync(join(tmpdir(), `dk-lib-start-${app}-`));
  cpSync(join(ROOT, 'templates/vps/deploy/scripts/lib.sh'), join(dir, 'lib.sh'));
  const settings = [`APP_NAME=${app}`, 'APP_DIR=/nonexistent', `APP_PORT=${port}`, 'BLUE_PORT=8001', 'GREEN_PORT=8002'];
  settings.push('HEALTH_PATH=', 'APP_TMPFS=/tmp', 'KEEP_RELEASES=3');
  writeFileSync(join(dir, 'settings.sh'), settings.map((kv) => `: "\${${kv.replace('=', ':=')}}"\n`).join(''));
  writeFileSync(join(dir, 'docker'), '#!/bin/sh\n[ "$1" = run ] && echo "$*" >&2\nexit 0\n', { mode: 0o755 });
  const script = `set -euo pipefail; source ./lib.sh; dk_init; dk_upstream_color() { echo green; }; dk_start_color blue sha256:1 img r1`;
  const res = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH!, DOCKER: join(dir, 'docker'), ...env } });
  return { code: res.status, err: res.stderr };
}
