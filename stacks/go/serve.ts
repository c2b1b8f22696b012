import type { Fact } from '../../src/detect/fact.js';
import { codeEvidence } from '../../src/detect/shared.js';
import type { SourceFile } from '../../src/detect/walk.js';

/**
 * A binary whose server is a cobra subcommand (`app serve`), and the flag that moves its
 * loopback default address: pocketbase's `serve --http=0.0.0.0:8090`. Read from the code, never run.
 * Only when the main package does not listen itself (then the bare binary is the server).
 */
export function serveCommand(sources: SourceFile[], mainListens: boolean, port: Fact<number> | undefined, at: (f: string) => string): Fact<string> | undefined {
  if (mainListens) return undefined;
  for (const file of sources) {
    const lines = file.text.split('\n');
    const i = lines.findIndex((l) => /^\s*Use:\s*"serve\b/.test(l));
    if (i < 0) continue;
    const evidence = codeEvidence(at(file.path), i + 1, lines[i] ?? '');
    // The port's own line names the variable (`httpAddr = "127.0.0.1:8090"`); the flag bound to it moves it.
    const variable = port && /(\w+)\s*(?::=|=)\s*"(?:127\.0\.0\.1|localhost):\d+"/.exec(port.evidence)?.[1];
    const flag = variable && sources.map((f) => new RegExp(`\\.StringVarP?\\(\\s*&${variable}\\s*,\\s*"([\\w-]+)"`).exec(f.text)?.[1]).find(Boolean);
    if (port && flag) return { value: `serve --${flag}=0.0.0.0:${port.value}`, evidence: `${evidence} (flag --${flag} sets the address, default loopback)` };
    return { value: 'serve', evidence };
  }
  return undefined;
}
