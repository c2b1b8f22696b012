/**
 * Start commands carry the port in their flags (uvicorn --port, gunicorn --bind, streamlit
 * --server.port). When the port changes (init's answer, a platform that dictates one), the
 * command must change with it, or the app listens where nothing looks.
 */

/** `--port N` and the like: the flag, then the port as the next word. */
const PORT_FLAGS = new Set(['--port', '--server.port']);
/** `--bind host:N` (gunicorn; `-b` is its short form): the port after the last colon of the next word. */
const BIND_FLAGS = new Set(['--bind', '-b']);

/**
 * `start` with port `from` moved to `to` wherever a known flag holds it: `--port N`, `--port=N`,
 * `--server.port N`, `--server.port=N`, `--bind host:N`, `-b host:N`, `--bind=host:N` (any host,
 * IPv6 in brackets included). Unchanged when the port does not appear; null when it appears
 * where no known flag holds it (`python app.py 8000`, `--listen :8000`), since the app would
 * then not follow. Spacing is kept as written.
 *
 * @example
 *   movePort('uvicorn main:app --host 0.0.0.0 --port 8000', 8000, 7860) // 'uvicorn main:app --host 0.0.0.0 --port 7860'
 *   movePort('gunicorn -b 0.0.0.0:8000 app:app', 8000, 9000)           // 'gunicorn -b 0.0.0.0:9000 app:app'
 *   movePort('python serve.py 8000', 8000, 9000)                       // null
 */
export function movePort(start: string, from: number, to: number): string | null {
  if (from === to) return start;
  const port = String(from);
  // Words and the runs of spaces between them, so the command is rebuilt byte for byte.
  const parts = start.split(/( +)/);
  const wordAt = (i: number): string | undefined => parts[i + 2];
  for (let i = 0; i < parts.length; i += 2) {
    const w = parts[i] ?? '';
    const next = wordAt(i);
    if (PORT_FLAGS.has(w) && next === port) {
      parts[i + 2] = String(to);
      i += 2;
    } else if (BIND_FLAGS.has(w) && next !== undefined && next.endsWith(`:${port}`)) {
      parts[i + 2] = `${next.slice(0, -port.length)}${to}`;
      i += 2;
    } else if ([...PORT_FLAGS].some((f) => w === `${f}=${port}`) || (w.startsWith('--bind=') && w.endsWith(`:${port}`))) {
      parts[i] = `${w.slice(0, -port.length)}${to}`;
    } else if (w.includes(port)) {
      return null;
    }
  }
  return parts.join('');
}

/**
 * The port a start command's known flag holds (`--port 8000`, `--bind 0.0.0.0:8000`,
 * `--server.port=8501`...), or null when none does.
 *
 * @example
 *   portOfStart('uvicorn main:app --host 0.0.0.0 --port 8000') // 8000
 *   portOfStart('node dist/server.js')                         // null
 */
export function portOfStart(start: string): number | null {
  const words = start.split(/ +/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1] ?? '';
    const m =
      (PORT_FLAGS.has(w) && /^(\d+)$/.exec(next)) ||
      (BIND_FLAGS.has(w) && /:(\d+)$/.exec(next)) ||
      /^--(?:port|server\.port)=(\d+)$/.exec(w) ||
      /^--bind=.*:(\d+)$/.exec(w);
    if (m) return Number(m[1]);
  }
  return null;
}
