/** Credentials committed in a Spring Boot, Quarkus or Micronaut app's config files. */
import { codeEvidence } from '../../src/detect/shared.js';
import type { ConfigFile, JavaFramework } from './types.js';

/** A key whose value is a credential: `jwt.secret`, `spring.datasource.password`, `api-key`, `clientSecret`. */
const SECRET_KEY = /(?:^|[.\-_])(?:secret|password|passwd|token|api-?key|private-?key|client-?secret)$|[a-z](?:Secret|Password|Token|ApiKey)$/i;

/**
 * Credentials written into the default profile's config: every key/value pair (YAML nested keys
 * joined with dots) whose key names a secret and whose value is a literal, not a `${X}` placeholder.
 * The variable that overrides it: Spring Boot's relaxed binding drops dashes, Quarkus and
 * Micronaut turn them into underscores.
 */
export function committedSecrets(files: ConfigFile[], framework: JavaFramework | undefined): Array<{ key: string; env: string; evidence: string }> {
  const out: Array<{ key: string; env: string; evidence: string }> = [];
  const envName = (key: string) =>
    (framework === 'spring-boot' ? key.replace(/-/g, '') : key).replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
  for (const { file, text } of files) {
    const lines = text.split('\n');
    const stack: Array<{ indent: number; key: string }> = [];
    lines.forEach((line, i) => {
      if (/^\s*(?:#|!|$)/.test(line)) return;
      let key: string | undefined;
      let value: string | undefined;
      if (file.endsWith('.properties')) {
        const m = /^\s*([\w.\-[\]]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
        [key, value] = [m?.[1], m?.[2]];
      } else {
        const m = /^(\s*)([\w.-]+):\s*(.*?)\s*$/.exec(line);
        if (!m) return;
        while (stack.length > 0 && stack.at(-1)!.indent >= m[1]!.length) stack.pop();
        stack.push({ indent: m[1]!.length, key: m[2]! });
        [key, value] = [stack.map((e) => e.key).join('.'), m[3]!.replace(/\s+#.*$/, '').replace(/^["']|["']$/g, '')];
      }
      if (!key || !value || value.includes('${') || !SECRET_KEY.test(key)) return;
      out.push({ key, env: envName(key), evidence: codeEvidence(file, i + 1, line.replace(/([=:]\s*).*$/, '$1…')) });
    });
  }
  return out;
}
