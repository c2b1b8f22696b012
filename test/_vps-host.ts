/**
 * A stand-in VPS on this machine for the drill: the real container engine, a real nginx running
 * as its own process on loopback ports (HTTP only: TLS is nginx -t's business in the validity
 * tier), a host directory, and the kit's generated scripts run unmodified, configured only through
 * the environment variables they document.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Also points DOCKER_HOST at the local engine when it is unset, as for the e2e tiers.
import { engine, ENGINE_HINT, missingImages } from './_engine.js';

/** Why the drill cannot run here, or undefined when it can; `images` are the base images its builds need. */
export function missingPrerequisite(images: string[] = []): string | undefined {
  if (!engine()) return `no container engine answers \`docker version\` (${ENGINE_HINT})`;
  for (const [tool, args] of [['nginx', ['-v']], ['curl', ['--version']], ['flock', ['--version']], ['bash', ['--version']]] as const) {
    const r = spawnSync(tool, [...args], { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `${tool} is not installed (apt-get install ${tool === 'flock' ? 'util-linux' : tool})`;
  }
  const absent = missingImages(images);
  if (absent.length) return `base image(s) ${absent.join(', ')} not on this engine (load them as .ci/run does: node scripts/engine-images.mjs lists them)`;
  return undefined;
}

export function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** Builds an image from a Dockerfile given as text, with no context (images derived from a built one). */
export function dockerBuildFrom(tag: string, dockerfile: string): void {
  execFileSync('docker', ['build', '--quiet', '--tag', tag, '-'], { input: dockerfile, stdio: ['pipe', 'ignore', 'pipe'] });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `n` loopback ports that were free a moment ago (held open together, so they differ). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

let hosts = 0;

/**
 * One stand-in host: its own directory, release log, nginx, ports and app name (so its
 * containers are its own). A drill case makes a fresh one and sets up the releases it needs.
 */
export class Host {
  readonly root = mkdtempSync(join(tmpdir(), 'dk-vps-host-'));
  readonly appDir = join(this.root, 'srv');
  readonly nginxPrefix = join(this.root, 'nginx');
  readonly upstreamFile = join(this.appDir, 'nginx', 'upstream.conf');
  readonly appName = `dk-drill-${process.pid}-${++hosts}`;
  private nginxStarted = false;

  /** A host with fresh ports; nginx is not started yet. */
  static async create(scripts: string): Promise<Host> {
    const [http, blue, green] = await freePorts(3);
    return new Host(scripts, { http: http!, blue: blue!, green: green! });
  }

  private constructor(
    /** deploy/scripts of a generated kit. */
    readonly scripts: string,
    readonly ports: { http: number; blue: number; green: number },
  ) {
    mkdirSync(join(this.appDir, 'nginx'), { recursive: true });
    for (const d of ['logs', 'temp']) mkdirSync(join(this.nginxPrefix, d), { recursive: true });
  }

  get url(): string {
    return `http://127.0.0.1:${this.ports.http}`;
  }

  /** nginx's arguments for this drill: its own prefix, config and error log. */
  nginxArgs(): string[] {
    const p = this.nginxPrefix;
    return ['-p', `${p}/`, '-c', join(p, 'nginx.conf'), '-e', join(p, 'logs', 'error.log')];
  }

  /**
   * The drill's nginx: a main config whose upstream includes the file deploy.sh writes, the way
   * the generated site config does (same wildcard, same never-used placeholder), with the same
   * proxy settings that matter for a switch (keepalive, next upstream on a refused connection).
   * Files matching extra-*.conf are included at http level, so a test can break nginx -t.
   */
  writeNginxConfig(): void {
    const p = this.nginxPrefix;
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(p, 'temp', t)};`).join('\n');
    writeFileSync(
      join(p, 'nginx.conf'),
      `pid ${join(p, 'nginx.pid')};
error_log ${join(p, 'logs', 'error.log')};
worker_processes 2;
events { worker_connections 1024; }
http {
  access_log off;
${temp}
  include ${join(p, 'extra-*.conf')};
  upstream drill_app {
    include ${this.appDir}/nginx/upstream*.conf;
    server 127.0.0.1:1 down;
    keepalive 16;
    keepalive_timeout 4s;
  }
  server {
    listen 127.0.0.1:${this.ports.http};
    location / {
      proxy_pass http://drill_app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
    }
  }
}
`,
    );
  }

  startNginx(): void {
    this.writeNginxConfig();
    execFileSync('nginx', this.nginxArgs(), { stdio: 'pipe' });
    this.nginxStarted = true;
  }

  /** Makes nginx -t fail (a real config error) until healNginx(). */
  breakNginx(): void {
    writeFileSync(join(this.nginxPrefix, 'extra-broken.conf'), 'this_is_not_a_directive on;\n');
  }

  healNginx(): void {
    rmSync(join(this.nginxPrefix, 'extra-broken.conf'), { force: true });
  }

  /** The documented settings, pointed at this host; `extra` overrides any of them. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(process.env as Record<string, string>),
      APP_NAME: this.appName,
      APP_DIR: this.appDir,
      BLUE_PORT: String(this.ports.blue),
      GREEN_PORT: String(this.ports.green),
      NGINX_UPSTREAM_FILE: this.upstreamFile,
      NGINX_CMD: ['nginx', ...this.nginxArgs()].join(' '),
      PULL: 'never',
      HEALTH_TIMEOUT: '20',
      DRAIN_SECONDS: '2',
      STOP_TIMEOUT: '10',
      ...extra,
    };
  }

  /** Runs a generated script (deploy.sh, rollback.sh) as an operator would, without blocking the event loop. */
  run(script: string, args: string[], extra: Record<string, string> = {}, onStderr?: (text: string) => void): Promise<RunResult> {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [join(this.scripts, script), ...args], { env: this.env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        onStderr?.(stderr);
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 }));
    });
  }

  releaseLog(): string[] {
    const path = join(this.appDir, 'releases.log');
    return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')) : [];
  }

  /** Names of this drill's containers, running or not. */
  containers(): string[] {
    return docker('ps', '--all', '--filter', `label=deploy-kit.app=${this.appName}`, '--format', '{{.Names}}')
      .split('\n')
      .filter(Boolean)
      .sort();
  }

  /** nginx's error log lines about upstreams (a refused connection retried on the backup color, say). */
  upstreamErrors(): string[] {
    const path = join(this.nginxPrefix, 'logs', 'error.log');
    if (!existsSync(path)) return [];
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => /upstream/.test(l) && !/\[notice\]/.test(l));
  }

  /** Stops nginx (waiting for its master to exit) and removes the containers and the directory. */
  async cleanup(): Promise<void> {
    if (this.nginxStarted) {
      const pidFile = join(this.nginxPrefix, 'nginx.pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
      spawnSync('nginx', [...this.nginxArgs(), '-s', 'stop'], { stdio: 'ignore' });
      for (let i = 0; pid > 0 && i < 50 && alive(pid); i++) await sleep(100);
      this.nginxStarted = false;
    }
    for (const c of ['blue', 'green']) spawnSync('docker', ['rm', '--force', `${this.appName}-${c}`], { stdio: 'ignore' });
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** One answer through nginx: the app's version, or why there was none. */
export function get(url: string, timeoutMs = 5000): Promise<{ ok: boolean; version?: string; error?: string }> {
  return new Promise((resolve) => {
    // A fresh connection per request (as separate clients make), so nginx reloads are seen as they happen.
    const req = request(url, { agent: false, headers: { connection: 'close' }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve({ ok: false, error: `HTTP ${res.statusCode}` });
        try {
          resolve({ ok: true, version: (JSON.parse(body) as { version?: string }).version ?? '?' });
        } catch {
          resolve({ ok: false, error: `not JSON: ${body.slice(0, 80)}` });
        }
      });
      res.on('error', (e) => resolve({ ok: false, error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ ok: false, error: e.message }));
    req.end();
  });
}

/** A client sending requests through nginx in a loop (several at a time) until stopped. */
export class Traffic {
  sent = 0;
  failed = 0;
  readonly errors = new Map<string, number>();
  /** Versions in the order they were first and last seen, e.g. v1 -> v2. */
  readonly versions: string[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly url: string,
    private readonly concurrency = 4,
  ) {}

  start(): this {
    this.running = true;
    this.loops = Array.from({ length: this.concurrency }, () => this.loop());
    return this;
  }

  private async loop(): Promise<void> {
    // Bounded even if a test hangs: at most two minutes and 500,000 requests.
    const deadline = Date.now() + 120_000;
    while (this.running && Date.now() < deadline && this.sent < 500_000) {
      const r = await get(this.url);
      this.sent++;
      if (!r.ok) {
        this.failed++;
        this.errors.set(r.error ?? '?', (this.errors.get(r.error ?? '?') ?? 0) + 1);
      } else if (this.versions[this.versions.length - 1] !== r.version) {
        this.versions.push(r.version ?? '?');
      }
    }
  }

  async stop(): Promise<this> {
    this.running = false;
    await Promise.all(this.loops);
    return this;
  }

  summary(): string {
    const errors = [...this.errors].map(([e, n]) => `${n}x ${e}`).join(', ');
    const first = this.versions[0] ?? 'none';
    const last = this.versions[this.versions.length - 1] ?? 'none';
    // While nginx's old workers finish their connections, both versions answer for a moment.
    const seen =
      first === last && this.versions.length === 1 ? first : `${first} -> ${last} (${this.versions.length - 1} changes while old nginx workers drained)`;
    return `${this.sent} requests, ${this.failed} failed${errors ? ` (${errors})` : ''}, served: ${seen}`;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
