/**
 * A stand-in host for the CI key's forced command: ssh-gate.sh and its rendered ssh-gate.conf with its environment
 * directories moved into a temporary directory, stand-in host scripts that record how they were
 * called (arguments and the settings they got), a stand-in docker, and an `ssh` for the PATH that
 * does what sshd does with `command=`: runs the gate with the client's command in
 * SSH_ORIGINAL_COMMAND and the client's stdin.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedFile } from '../src/plan/index.js';

export interface GateHost {
  dir: string;
  /** The localized gate. */
  gate: string;
  /** Directory holding the `ssh` stand-in (put it first on PATH). */
  sshBin: string;
  /** Each call of a host script or docker: "<what> <args...> | <settings>". */
  calls(): string[];
  /** APP_DIR of an environment, inside `dir`. */
  appDir(env: 'production' | 'staging'): string;
  /** Runs the gate as sshd would for `command` (stdin optional). */
  ssh(command: string, input?: string | Buffer): { code: number | null; stdout: string; stderr: string };
}

const SETTINGS = ['APP_NAME', 'APP_DIR', 'BLUE_PORT', 'GREEN_PORT', 'GIT_SHA', 'NGINX_CMD', 'DOCKER', 'VERIFY_REPO'];

export function gateHost(files: PlannedFile[], deployOut = 'switched=true\nprevious_release=1\n'): GateHost {
  const dir = mkdtempSync(join(tmpdir(), 'dk-ssh-gate-'));
  const log = join(dir, 'calls.log');
  const copied = files.find((f) => f.path === 'deploy/scripts/ssh-gate.sh')!.content;
  const rendered = files.find((f) => f.path === 'deploy/scripts/ssh-gate.conf')!.content;
  // Every environment's APP_DIR (/srv/...) moves under dir; docker is the stand-in.
  const gateText = rendered.replace(/=\/srv\//g, `=${dir}/srv/`).replace(/^DOCKER=docker$/m, `DOCKER=${join(dir, 'docker')}`);
  const gate = join(dir, 'ssh-gate.sh');
  writeFileSync(gate, copied);
  writeFileSync(`${gate}.conf`, gateText);
  chmodSync(gate, 0o755);
  const record = (what: string) =>
    `#!/usr/bin/env bash\nprintf '%s\\n' "${what} $* | ${SETTINGS.map((s) => `${s}=\${${s}-unset}`).join(' ')} stdin=$(cat)" >> ${log}\n`;
  writeFileSync(join(dir, 'docker'), record('docker'));
  chmodSync(join(dir, 'docker'), 0o755);
  writeFileSync(join(dir, 'deploy-report.fixture'), deployOut);
  const appDir = (env: 'production' | 'staging') => {
    const m = new RegExp(`^ENV_${env}='.*APP_DIR=(\\S+)`, 'm').exec(gateText);
    if (!m) throw new Error(`the gate has no ${env} environment`);
    return m[1]!;
  };
  for (const env of ['production', 'staging'] as const) {
    if (!new RegExp(`^ENV_${env}=`, 'm').test(gateText)) continue;
    const bin = join(appDir(env), 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'deploy.sh'), `${record('deploy.sh')}cat ${join(dir, 'deploy-report.fixture')}\n`);
    writeFileSync(join(bin, 'rollback.sh'), record('rollback.sh'));
    for (const s of ['deploy.sh', 'rollback.sh']) chmodSync(join(bin, s), 0o755);
  }
  const sshBin = join(dir, 'ssh-bin');
  mkdirSync(sshBin);
  // The client's command is the last argument; sshd hands it to the forced command untouched.
  writeFileSync(join(sshBin, 'ssh'), `#!/usr/bin/env bash\nSSH_ORIGINAL_COMMAND="\${@: -1}" exec ${gate}\n`);
  chmodSync(join(sshBin, 'ssh'), 0o755);
  return {
    dir,
    gate,
    sshBin,
    appDir,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
    ssh: (command, input = '') => {
      const r = spawnSync(gate, [], { env: { ...process.env, SSH_ORIGINAL_COMMAND: command }, input, encoding: 'utf8' });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}
