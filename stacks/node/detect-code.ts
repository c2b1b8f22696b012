import { posix } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { HEALTH_SEGMENT, SERVICE_PORTS, healthRank, truncate } from '../../src/detect/shared.js';
import type { SourceFile } from '../../src/detect/walk.js';
import { mountPrefixes } from './mounts.js';

/** What a Node server's own code says: the port it listens on and its health route. */

interface PortMatch {
  port: number;
  rank: number;
  file: string;
  line: number;
  text: string;
}

const PORT_PATTERNS: ReadonlyArray<readonly [rank: number, pattern: RegExp]> = [
  [0, /\.listen\(\s*(\d{2,5})\b/],
  [0, /\.listen\(\s*\{[^}]*\bport\s*:\s*(\d{2,5})\b/],
  // NestJS's ConfigService: `config.get<number>('PORT', 3170)`; `configService.get('PORT') || 3170` is the next one.
  [0, /\.get(?:<\w+>)?\(\s*(['"`])PORT\1\s*,\s*(\d{2,5})\s*\)/],
  // `process.env.PORT || 3000`, and through other variables: `process.env.PORT || process.env.ALT_PORT || 8080`.
  [0, /\bPORT\b(?:['"`]\]?)?(?:\s*,\s*10)?\s*\)?\s*(?:(?:\|\||\?\?)\s*process\.env(?:\.\w+|\[['"]\w+['"]\])\s*\)?\s*)*(?:\|\||\?\?)\s*['"`]?(\d{2,5})\b/],
  [1, /\bPORT\s*=\s*(\d{2,5})\b/],
  [2, /\bport\s*[:=]\s*(\d{2,5})\b/i],
];

export function detectPort(sources: SourceFile[], entry: string | undefined, warnings: string[], at: (f: string) => string): Fact<number> | undefined {
  const matches: PortMatch[] = [];
  for (const file of sources) {
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*(?:\/\/|\/\*|\*)/.test(line)) return;
      for (const [rank, pattern] of PORT_PATTERNS) {
        const m = pattern.exec(line);
        const port = Number(m?.[m.length - 1]);
        if (!m || port < 1 || port > 65535 || (rank === 2 && SERVICE_PORTS.has(port))) continue;
        matches.push({ port, rank, file: file.path, line: i + 1, text: line.trim() });
        break;
      }
    });
  }
  const isEntry = (m: PortMatch): number => (entry !== undefined && posix.normalize(entry) === m.file ? 0 : 1);
  // Best pattern first, then the start command's file, then walk order (shallow files first).
  const [best] = [...matches].sort((a, b) => a.rank - b.rank || isEntry(a) - isEntry(b));
  if (!best) return undefined;
  const rivals = [...new Set(matches.filter((m) => m.rank === best.rank && m.port !== best.port).map((m) => `${m.port} (${at(m.file)}:${m.line})`))];
  if (rivals.length > 0) warnings.push(`several ports in the code; using ${best.port} (${at(best.file)}:${best.line}), also saw ${rivals.join(', ')}`);
  return { value: best.port, evidence: `${at(best.file)}:${best.line} ${truncate(best.text, 120)}` };
}

/**
 * Route literals: `.get('/health'`, `route('/healthz'`, fastify's `url: '/ready'`, Nest's `@Get('health')`.
 * Group 3 of the first is the object the route is on (`router`), whose mounts give its prefix.
 */
const HEALTH_PATTERNS: RegExp[] = [
  new RegExp(`(?:\\b(\\w+))?\\.(?:get|head|all|route)\\(\\s*(['"\`])((?:/[\\w.-]+)*/${HEALTH_SEGMENT})\\2`, 'g'),
  new RegExp(`\\b(?:url|path)\\s*:\\s*(['"\`])((?:/[\\w.-]+)*/${HEALTH_SEGMENT})\\1`, 'g'),
  new RegExp(`@(?:Get|Controller|Head|All)\\(\\s*(['"\`])(/?(?:[\\w.-]+/)*${HEALTH_SEGMENT})\\1`, 'g'),
];

/**
 * The best health route in the code, with the prefix its router is mounted under
 * (`app.use('/api', router)` with `router.get('/health')`, here or in a required module).
 */
export function detectHealthPath(sources: SourceFile[], at: (f: string) => string): Fact<string> | undefined {
  let best: { path: string; rank: number; evidence: string } | undefined;
  const prefix = mountPrefixes(sources);
  const nest = nestGlobalPrefix(sources, at);
  for (const file of sources) {
    const lines = file.text.split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(?:\/\/|\/\*|\*)/.test(line)) return;
      for (const [n, pattern] of HEALTH_PATTERNS.entries()) {
        for (const m of line.matchAll(pattern)) {
          const raw = (n === 0 ? m[3] : m[2]) ?? '';
          const own = raw.startsWith('/') ? raw : `/${raw}`;
          const mounted = n === 0 ? prefix(file.path, m[1] ?? '') : n === 2 && nest && !nest.exclude.includes(own.slice(1)) ? nest.prefix : '';
          const path = mounted + own;
          const rank = healthRank(path);
          const where = !mounted ? '' : n === 2 ? ` (under the global prefix: ${nest?.evidence ?? ''})` : ` (its router mounted at ${mounted})`;
          if (!best || rank < best.rank) best = { path, rank, evidence: `${at(file.path)}:${i + 1} ${truncate(line.trim(), 120)}${where}` };
        }
      }
    });
  }
  return best && { value: best.path, evidence: best.evidence };
}

/**
 * NestJS's `app.setGlobalPrefix('api', { exclude: ['health'] })`: every controller route is under it
 * but the excluded paths. Its evidence is where it is set.
 */
function nestGlobalPrefix(sources: SourceFile[], at: (f: string) => string): { prefix: string; exclude: string[]; evidence: string } | undefined {
  for (const file of sources) {
    const m = /\.setGlobalPrefix\(\s*(['"`])\/?([\w.-]+(?:\/[\w.-]+)*)\/?\1([^;]*)/.exec(file.text);
    if (!m) continue;
    const exclude = [...(/exclude\s*:\s*\[([^\]]*)\]/.exec(m[3] ?? '')?.[1] ?? '').matchAll(/(['"`])\/?([^'"`]+?)\/?\1/g)].map((e) => e[2] ?? '');
    const line = file.text.slice(0, m.index).split('\n').length;
    return { prefix: `/${m[2]}`, exclude, evidence: `${at(file.path)}:${line} ${truncate(m[0].split('\n')[0]!.trim(), 80)}` };
  }
  return undefined;
}
