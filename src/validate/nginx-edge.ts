import { walk, type Directive } from './nginx-conf.js';
import type { Finding } from './types.js';

/**
 * A catch-all that serves nothing: it refuses the TLS handshake (`ssl_reject_handshake on`) or
 * closes every connection (`return 444` in the server itself). HSTS, TLS settings and the HTTPS
 * redirect do not apply to it.
 */
export function refusesEverything(server: Directive): boolean {
  const own = server.block ?? [];
  return own.some((d) => (d.name === 'ssl_reject_handshake' && d.args[0]?.value === 'on') || (d.name === 'return' && d.args[0]?.value === '444'));
}

/**
 * `nginx/forwarded-for`: a server on the public ports is the first proxy, so appending to the
 * client's own X-Forwarded-For ($proxy_add_x_forwarded_for) lets any client choose the IP the app
 * logs, rate-limits and allow-lists.
 */
export function forwardedForFindings(file: string, publicServers: Directive[]): Finding[] {
  const findings: Finding[] = [];
  for (const server of publicServers) {
    for (const { directive: d } of walk(server.block ?? [])) {
      if (d.name !== 'proxy_set_header' || (d.args[0]?.value ?? '').toLowerCase() !== 'x-forwarded-for') continue;
      if (!(d.args[1]?.value ?? '').includes('$proxy_add_x_forwarded_for')) continue;
      findings.push({
        rule: 'nginx/forwarded-for',
        severity: 'error',
        file,
        line: d.line,
        message:
          'X-Forwarded-For $proxy_add_x_forwarded_for on a server facing clients keeps the X-Forwarded-For the client sent, so client IPs can be spoofed',
        fix: 'At the edge, use proxy_set_header X-Forwarded-For $remote_addr; (behind a trusted proxy, set_real_ip_from it first).',
      });
    }
  }
  return findings;
}
