import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { forwardedForFindings, refusesEverything } from './nginx-edge.js';
import { parseNginx, walk, type Directive, type Token } from './nginx-conf.js';
import { MISSING, runTool } from './run.js';
import type { Finding, ToolMissing, ToolPaths } from './types.js';

const NGINX_RULES = {
  /** Anything `nginx -t` reports (syntax, unknown directives, bad values). */
  test: 'nginx/test',
  serverTokens: 'nginx/server-tokens',
  tlsProtocols: 'nginx/tls-protocols',
  hsts: 'nginx/hsts',
  httpsRedirect: 'nginx/https-redirect',
} as const;
const R = NGINX_RULES;

const CERT_DIRECTIVES = new Set([
  'ssl_certificate',
  'ssl_trusted_certificate',
  'ssl_client_certificate',
  'proxy_ssl_trusted_certificate',
  'proxy_ssl_certificate',
]);
const KEY_DIRECTIVES = new Set(['ssl_certificate_key', 'proxy_ssl_certificate_key']);
const LOG_DIRECTIVES = new Set(['access_log', 'error_log']);
const TEMP_PATHS = ['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'];

interface StandIns {
  dir: string;
  cert: string;
  key: string;
  dhparam: string;
  emptyConf: string;
}

let standIns: Promise<StandIns | typeof MISSING> | undefined;

/**
 * A throwaway self-signed certificate, key and DH parameters, made once per process and removed
 * at exit: nginx -t loads every certificate it is pointed at, and the real ones (Let's Encrypt)
 * exist only on the server.
 */
function getStandIns(openssl: string): Promise<StandIns | typeof MISSING> {
  standIns ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deploy-kit-nginx-certs-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const files: StandIns = {
      dir,
      cert: join(dir, 'cert.pem'),
      key: join(dir, 'key.pem'),
      dhparam: join(dir, 'dhparam.pem'),
      emptyConf: join(dir, 'empty.conf'),
    };
    const selfSigned = ['-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'];
    const cert = await runTool(openssl, ['req', ...selfSigned, '-keyout', files.key, '-out', files.cert]);
    if (cert === MISSING) return MISSING;
    if (cert.code !== 0) throw new Error(`openssl req failed: ${cert.stderr}`);
    // The RFC 7919 ffdhe2048 group: instant, unlike generating fresh parameters.
    const dh = await runTool(openssl, ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'dh_param:ffdhe2048', '-out', files.dhparam]);
    if (dh === MISSING) return MISSING;
    if (dh.code !== 0) throw new Error(`openssl genpkey failed: ${dh.stderr}`);
    await writeFile(files.emptyConf, '# stand-in for a file that exists only on the server\n');
    return files;
  })().catch((error: unknown) => {
    standIns = undefined;
    throw error;
  });
  return standIns;
}

export interface NginxOptions extends ToolPaths {
  /** Skip `nginx -t` and run only the rules (for quick doctor passes). */
  rulesOnly?: boolean;
}

/**
 * Checks an nginx site config (a file included inside `http {}`) or a full nginx.conf:
 * `nginx -t` in a throwaway prefix with stand-in certificates (`nginx/test`, with nginx's own
 * message and line), plus deploy-kit's rules. Resolves to a ToolMissing when nginx or openssl is
 * not installed.
 *
 * @example
 * const result = await validateNginx('deploy/nginx/app.conf', text);
 */
export async function validateNginx(file: string, text: string, options: NginxOptions = {}): Promise<Finding[] | ToolMissing> {
  const tree = parseNginx(text);
  const findings = nginxRules(file, tree);
  if (options.rulesOnly) return findings;

  const isMain = tree.some((d) => d.name === 'http' || d.name === 'events');
  const needsStandIns = [...walk(tree)].some(
    ({ directive: d }) =>
      CERT_DIRECTIVES.has(d.name) ||
      KEY_DIRECTIVES.has(d.name) ||
      d.name === 'ssl_dhparam' ||
      (d.name === 'include' && d.args.some((a) => a.value.startsWith('/etc/letsencrypt/'))),
  );
  let files: StandIns | undefined;
  if (needsStandIns) {
    const made = await getStandIns(options.openssl ?? 'openssl');
    if (made === MISSING) return { toolMissing: true, tool: 'openssl', message: 'openssl not installed (needed for stand-in certificates)', findings };
    files = made;
  }

  const prefix = await mkdtemp(join(tmpdir(), 'deploy-kit-nginx-'));
  try {
    await mkdir(join(prefix, 'logs'));
    await mkdir(join(prefix, 'temp'));
    const copy = join(prefix, basename(file) || 'site.conf');
    const mainConf = join(prefix, 'nginx.conf');
    // Temp paths and the default access log inside the prefix: the compiled-in ones are root-only.
    // A config that sets its own (an unprivileged container's nginx.conf, under /tmp) keeps them:
    // nginx refuses a directive given twice.
    const own = new Set([...walk(tree)].filter(({ ancestors }) => ancestors.length <= 1).map(({ directive }) => directive.name));
    const tempPaths = [
      ...TEMP_PATHS.filter((d) => !own.has(d)).map((d) => `${d} ${join(prefix, 'temp', d)};`),
      `access_log ${join(prefix, 'logs', 'access.log')};`,
    ].join(' ');
    if (isMain) {
      // Temp paths go on the `http {` line itself so every other line keeps its number.
      await writeFile(mainConf, rewrite(text, tree, prefix, files, tempPaths));
    } else {
      await writeFile(copy, rewrite(text, tree, prefix, files));
      await writeFile(
        mainConf,
        [
          `pid ${join(prefix, 'nginx.pid')};`,
          `error_log ${join(prefix, 'logs', 'error.log')};`,
          'events {}',
          'http {',
          `  ${tempPaths}`,
          `  include ${copy};`,
          '}',
          '',
        ].join('\n'),
      );
    }
    const result = await runTool(options.nginx ?? 'nginx', ['-t', '-p', `${prefix}/`, '-c', mainConf, '-e', join(prefix, 'logs', 'error.log')]);
    if (result === MISSING) return { toolMissing: true, tool: 'nginx', message: 'nginx not installed', findings };
    findings.push(...nginxTestFindings(file, result.stderr, isMain ? mainConf : copy, prefix, files, result.code ?? 1));
  } finally {
    await rm(prefix, { recursive: true, force: true });
  }
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** A copy of the config pointing certificates, Let's Encrypt includes, logs and pid at the prefix; line numbers unchanged. */
function rewrite(text: string, tree: Directive[], prefix: string, files: StandIns | undefined, httpInsert?: string): string {
  const edits: { start: number; end: number; replacement: string }[] = [];
  const replace = (token: Token, path: string) => edits.push({ start: token.start, end: token.end, replacement: JSON.stringify(path) });
  let logCount = 0;
  const isRoot = process.getuid?.() === 0;
  const literal = (token: Token | undefined): token is Token => token !== undefined && !token.value.includes('$');
  for (const { directive: d, ancestors } of walk(tree)) {
    const first = d.args[0];
    if (files && CERT_DIRECTIVES.has(d.name) && literal(first)) replace(first, files.cert);
    if (files && KEY_DIRECTIVES.has(d.name) && literal(first)) replace(first, files.key);
    if (files && d.name === 'ssl_dhparam' && literal(first)) replace(first, files.dhparam);
    if (files && d.name === 'include' && first?.value.startsWith('/etc/letsencrypt/')) replace(first, files.emptyConf);
    if (LOG_DIRECTIVES.has(d.name) && literal(first) && first.value.startsWith('/')) replace(first, join(prefix, 'logs', `${++logCount}.log`));
    // The config's own temp paths move into the prefix too: nginx -t creates them.
    if (TEMP_PATHS.includes(d.name) && literal(first) && first.value.startsWith('/')) replace(first, join(prefix, 'temp', d.name));
    if (d.name === 'pid' && ancestors.length === 0 && first) replace(first, join(prefix, 'nginx.pid'));
    // nginx -t binds every listen address; below 1024 that needs root, so shift ports when not root.
    if (!isRoot && d.name === 'listen' && first && !first.value.startsWith('unix:')) {
      const shifted = unprivilegedListen(first.value);
      if (shifted !== first.value) edits.push({ start: first.start, end: first.end, replacement: shifted });
    }
    if (httpInsert && d.name === 'http' && ancestors.length === 0 && d.block) {
      // Right after the opening brace, on the same line, so every other line keeps its number.
      const brace = text.indexOf('{', (d.args[d.args.length - 1] ?? d.nameToken).end);
      if (brace !== -1) edits.push({ start: brace + 1, end: brace + 1, replacement: ` ${httpInsert}` });
    }
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.replacement + out.slice(edit.end);
  return out;
}

/** `80` -> `20080`, `[::]:443` -> `[::]:20443`, `127.0.0.1` (port 80 implied) -> `127.0.0.1:20080`. */
function unprivilegedListen(address: string): string {
  const shift = (port: string) => (Number(port) < 1024 ? String(Number(port) + 20000) : port);
  if (/^\d+$/.test(address)) return shift(address);
  const withPort = /^(.*):(\d+)$/.exec(address);
  if (withPort && !(withPort[1] ?? '').endsWith(':')) return `${withPort[1]}:${shift(withPort[2] ?? '')}`;
  // An address alone ("127.0.0.1", "[::1]", "localhost") listens on port 80.
  return `${address}:20080`;
}

/** nginx -t output that our stand-ins cause, not the config under test. */
const ARTIFACTS = [/"ssl_stapling" ignored/, /the "user" directive makes sense only if the master process runs with super-user privileges/];

function nginxTestFindings(file: string, stderr: string, copy: string, prefix: string, files: StandIns | undefined, code: number): Finding[] {
  const findings: Finding[] = [];
  for (const raw of stderr.split('\n')) {
    const match = /^nginx: \[(emerg|alert|crit|error|warn|notice)\] (.*?)(?: in (\S+):(\d+))?$/.exec(raw.trim());
    if (!match) continue;
    const [, level, rawMessage, where, lineText] = match;
    if (ARTIFACTS.some((a) => a.test(rawMessage ?? ''))) continue;
    let message = (rawMessage ?? '').split(copy).join(file);
    if (files) message = message.split(files.cert).join('<stand-in certificate>').split(files.key).join('<stand-in key>');
    message = message.split(prefix).join('<prefix>');
    const finding: Finding = {
      rule: R.test,
      severity: level === 'warn' || level === 'notice' ? 'warning' : 'error',
      file,
      message: `nginx -t: ${message}`,
      fix: 'Fix the directive nginx names; nginx refuses to load (or reload into) a config that fails nginx -t.',
    };
    if (where === copy && lineText) finding.line = Number(lineText);
    findings.push(finding);
  }
  if (code !== 0 && !findings.some((f) => f.severity === 'error')) {
    findings.push({
      rule: R.test,
      severity: 'error',
      file,
      message: `nginx -t failed: ${stderr.trim().split(prefix).join('<prefix>')}`,
      fix: 'Run nginx -t against the config to see why.',
    });
  }
  return findings;
}

interface Listen {
  ssl: boolean;
  port: number | undefined;
}

function listens(server: Directive): Listen[] {
  const found = (server.block ?? []).filter((d) => d.name === 'listen');
  if (found.length === 0) return [{ ssl: false, port: 80 }];
  return found.map((d) => {
    const address = d.args[0]?.value ?? '';
    const portText = /^\d+$/.test(address) ? address : /:(\d+)$/.exec(address)?.[1];
    const port = portText === undefined ? (address.startsWith('unix:') ? undefined : 80) : Number(portText);
    return { ssl: d.args.slice(1).some((a) => a.value === 'ssl'), port };
  });
}

/** Directives named `name` in the server itself or at the file's top level (inherited). */
function effective(tree: Directive[], server: Directive, name: string): Directive[] {
  const own = (server.block ?? []).filter((d) => d.name === name);
  if (own.length > 0) return own;
  const inHttp = tree.filter((d) => d.name === 'http').flatMap((h) => (h.block ?? []).filter((d) => d.name === name));
  return tree.filter((d) => d.name === name).concat(inHttp);
}

function isHsts(d: Directive): boolean {
  return d.name === 'add_header' && (d.args[0]?.value ?? '').toLowerCase() === 'strict-transport-security';
}

function redirectsToHttps(server: Directive): boolean {
  return [...walk(server.block ?? [])].some(({ directive: d }) => {
    if (d.name === 'return') return /^30[1278]$/.test(d.args[0]?.value ?? '') && /^https:\/\//.test(d.args[1]?.value ?? '');
    if (d.name === 'rewrite') return /^https:\/\//.test(d.args[1]?.value ?? '');
    return false;
  });
}

/** deploy-kit's nginx rules on the parsed config; no tool needed. */
function nginxRules(file: string, tree: Directive[]): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: string, line: number | undefined, message: string, fix: string) => {
    const finding: Finding = { rule, severity: 'error', file, message, fix };
    if (line !== undefined) finding.line = line;
    findings.push(finding);
  };
  const all = [...walk(tree)];
  const allServers = all.filter(({ directive: d }) => d.name === 'server' && d.block).map(({ directive }) => directive);
  const servers = allServers.filter((s) => !refusesEverything(s));
  const sslServers = servers.filter((s) => listens(s).some((l) => l.ssl));
  const letsencryptOptions = all.some(
    ({ directive: d }) => d.name === 'include' && /\/etc\/letsencrypt\/options-ssl-nginx\.conf$/.test(d.args[0]?.value ?? ''),
  );

  // server_tokens
  for (const { directive: d } of all) {
    if (d.name === 'server_tokens' && d.args[0]?.value !== 'off') {
      add(R.serverTokens, d.line, `server_tokens ${d.args[0]?.value ?? ''} advertises the nginx version in headers and error pages`, 'Use server_tokens off;');
    }
  }
  for (const server of allServers) {
    if (effective(tree, server, 'server_tokens').length === 0) {
      add(
        R.serverTokens,
        server.line,
        'this server does not set server_tokens off, so responses and error pages advertise the nginx version',
        'Add server_tokens off; to the server block (or the http block).',
      );
    }
  }

  // ssl_protocols
  for (const { directive: d } of all) {
    if (d.name !== 'ssl_protocols') continue;
    const old = d.args.map((a) => a.value).filter((p) => p !== 'TLSv1.2' && p !== 'TLSv1.3');
    if (old.length > 0) {
      add(
        R.tlsProtocols,
        d.line,
        `ssl_protocols enables ${old.join(', ')}, which are deprecated (RFC 8996) and weak`,
        'Use ssl_protocols TLSv1.2 TLSv1.3; (Mozilla intermediate).',
      );
    }
  }
  for (const server of sslServers) {
    if (effective(tree, server, 'ssl_protocols').length === 0 && !letsencryptOptions) {
      add(
        R.tlsProtocols,
        server.line,
        'this TLS server does not set ssl_protocols, so it inherits nginx\'s or the distribution\'s default, which can include TLSv1 and TLSv1.1',
        'Add ssl_protocols TLSv1.2 TLSv1.3; to the server block.',
      );
    }
  }

  // HSTS. A config with no public port (80/443) is an app's own nginx behind a proxy that
  // terminates TLS (a container's nginx on 8080): HTTPS and HSTS are that proxy's job.
  const publicServers = servers.filter((s) => listens(s).some((l) => l.port === 80 || l.port === 443 || l.ssl));
  if (publicServers.length > 0 && sslServers.length === 0) {
    add(
      R.hsts,
      publicServers[0]?.line,
      'no server listens with TLS, so there is no HTTPS to pin with Strict-Transport-Security',
      'Serve the site over TLS (listen 443 ssl) and send add_header Strict-Transport-Security "max-age=63072000" always;',
    );
  }
  for (const server of sslServers) {
    const hsts = effective(tree, server, 'add_header').filter(isHsts);
    if (hsts.length === 0) {
      add(
        R.hsts,
        server.line,
        'this TLS server sends no Strict-Transport-Security header, so browsers can be downgraded to HTTP',
        'Add add_header Strict-Transport-Security "max-age=63072000" always; to the server block.',
      );
      continue;
    }
    // add_header in a location replaces, not extends, the server's headers.
    for (const { directive: d } of walk(server.block ?? [])) {
      if (d.name !== 'location' || !d.block) continue;
      const headers = d.block.filter((c) => c.name === 'add_header');
      if (headers.length > 0 && !headers.some(isHsts)) {
        add(
          R.hsts,
          d.line,
          `location ${d.args.map((a) => a.value).join(' ')} has its own add_header, so it drops the server's Strict-Transport-Security ` +
            '(nginx does not merge add_header)',
          'Repeat the Strict-Transport-Security add_header in this location (or move headers to an include used everywhere).',
        );
      }
    }
  }

  // HTTP -> HTTPS
  const plainServers = servers.filter((s) => listens(s).some((l) => !l.ssl && l.port === 80));
  for (const server of plainServers) {
    if (!redirectsToHttps(server)) {
      add(
        R.httpsRedirect,
        server.line,
        'this server answers plain HTTP on port 80 without redirecting to HTTPS',
        'Make the port 80 server return 301 https://$host$request_uri; (keeping /.well-known/acme-challenge/ if certbot uses webroot).',
      );
    }
  }
  if (sslServers.length > 0 && plainServers.length === 0) {
    add(
      R.httpsRedirect,
      sslServers[0]?.line,
      'no port 80 server redirects HTTP to HTTPS, so http:// links fail instead of upgrading',
      'Add server { listen 80; listen [::]:80; server_name ...; return 301 https://$host$request_uri; }.',
    );
  }
  findings.push(...forwardedForFindings(file, publicServers));
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
