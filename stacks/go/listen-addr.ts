import type { Fact } from '../../src/detect/fact.js';
import { codeEvidence } from '../../src/detect/shared.js';
import type { SourceFile } from '../../src/detect/walk.js';

/** A variable named for an address: LISTEN_ADDR, HTTP_ADDR, BIND_ADDRESS, SERVER_LISTEN. */
const ADDRESS_NAME = /^[A-Z][A-Z0-9_]*$/;
const ADDRESS_WORD = /(?:^|_)(?:ADDR|ADDRESS|LISTEN|BIND)(?:_|$)/;
/** A quoted upper-case name on a line: an env variable's name or a settings table's key. */
const QUOTED_NAME = /"([A-Z][A-Z0-9_]{2,})"/g;
/** How far above the default a settings table's key may be (`"LISTEN_ADDR": {` then its fields). */
const KEY_REACH = 3;

/**
 * The variable the app reads its listen address from, when its default is a host:port literal
 * with the detected port: `cmp.Or(os.Getenv("LISTEN_ADDR"), "127.0.0.1:8080")`,
 * `envDefault:"..."` beside `env:"LISTEN_ADDR"`, or a settings table whose key `"LISTEN_ADDR": {`
 * stands a few lines above the default (miniflux). Setting it to 0.0.0.0:<port> is what moves a
 * loopback default; PORT alone does not. Read from the code, never run.
 */
export function listenAddrEnv(sources: SourceFile[], port: Fact<number> | undefined, at: (f: string) => string): Fact<string> | undefined {
  if (!port) return undefined;
  const literal = new RegExp(`"(?:[\\w.-]*|\\[[^\\]]*\\]):${port.value}"`);
  for (const file of sources) {
    const lines = file.text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (/^\s*\/\//.test(line) || !literal.test(line)) continue;
      for (let j = i; j >= Math.max(0, i - KEY_REACH); j--) {
        const names = [...(lines[j] ?? '').matchAll(QUOTED_NAME)].map((m) => m[1]!);
        const name = names.find((n) => ADDRESS_NAME.test(n) && ADDRESS_WORD.test(n));
        if (name) {
          const where = codeEvidence(at(file.path), j + 1, lines[j] ?? '');
          return { value: name, evidence: j === i ? `${where} (its default: the listen address)` : `${where} (default ${literal.exec(line)?.[0]}, line ${i + 1})` };
        }
        // Another key stands between: the default is not this variable's.
        if (names.length > 0 && j < i) break;
      }
    }
  }
  return undefined;
}
