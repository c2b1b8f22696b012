import type { Fact } from '../../src/detect/fact.js';
import { codeEvidence } from '../../src/detect/shared.js';
import type { SourceFile } from '../../src/detect/walk.js';

/** A variable named for a port: PORT, APP_PORT, HTTP_PORT, WHOAMI_PORT_NUMBER (never REPORT_DIR). */
const PORT_NAME = /^(?:[A-Z][A-Z0-9]*_)*PORT(?:_[A-Z0-9]+)*$/;
/** A port of another service the app dials, or a second listener of its own: never the one the kit publishes. */
const OTHER_PORT =
  /(?:^|_)(?:DB|DATABASE|REDIS|SMTP|MAIL|POSTGRES|PG|MYSQL|MARIADB|MONGO|MONGODB|AMQP|RABBITMQ|KAFKA|NATS|MEMCACHED?|ELASTIC|ELASTICSEARCH|LDAP|SSL|TLS|HTTPS|GRPC|METRICS|DEBUG|PPROF|ADMIN|PROXY|SSH|FTP|SFTP|DNS|STATSD|OTEL|JAEGER|ZIPKIN|DEV|TEST)(?:_|$)/;

/** The app's own port variable: named for a port, and for no other service's. */
export function ownPortName(name: string): boolean {
  return PORT_NAME.test(name) && !OTHER_PORT.test(name);
}

/** `viper.SetEnvPrefix("memos")` with `viper.AutomaticEnv()`: every key is also read from MEMOS_<KEY>. */
const VIPER_PREFIX = /\bSetEnvPrefix\(\s*"([A-Za-z][\w]*)"\s*\)/;

/**
 * The variable that moves the port the code's default came from, when it is not PORT: the name in
 * the default's own line (`getEnv("WHOAMI_PORT_NUMBER", "80")`), or a flag's variable under viper's
 * automatic environment (`--port` with prefix memos is MEMOS_PORT). Read from the code, never run.
 */
export function portEnvOf(port: Fact<number>, sources: SourceFile[], at: (f: string) => string): Fact<string> | undefined {
  const line = port.evidence.replace(/^\S+\s/, '');
  const named = [...line.matchAll(/"([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1]!).find((n) => n !== 'PORT' && ownPortName(n));
  if (named) return { value: named, evidence: `${port.evidence.split(' ')[0]} (the default's variable)` };
  const flag = /\.(?:Int|String|Uint)(?:64)?(?:Var)?P?\(\s*(?:&[\w.]+\s*,\s*)?"([a-z][\w-]*)"/.exec(line)?.[1];
  if (!flag) return undefined;
  for (const file of sources) {
    const prefix = VIPER_PREFIX.exec(file.text);
    if (!prefix?.[1] || !/\bAutomaticEnv\(\s*\)/.test(file.text)) continue;
    const name = `${prefix[1]}_${flag}`.toUpperCase().replace(/-/g, '_');
    const i = file.text.slice(0, prefix.index).split('\n').length;
    return { value: name, evidence: `${codeEvidence(at(file.path), i, prefix[0])} (viper's AutomaticEnv: flag --${flag} is ${name})` };
  }
  return undefined;
}

/**
 * When the code gives no port: the one string literal named for the app's own port
 * (`EnvServerPort = "GOTIFY_SERVER_PORT"`, a config loader's key). The kit sets it to its port, so
 * the app listens where the checks look. Two different names are a guess: none.
 */
export function lonePortName(sources: SourceFile[], at: (f: string) => string): Fact<string> | undefined {
  const found = new Map<string, string>();
  for (const file of sources) {
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*\/\//.test(line)) return;
      for (const m of line.matchAll(/"([A-Z][A-Z0-9_]*_PORT)"/g)) {
        const name = m[1]!;
        if (ownPortName(name) && !found.has(name)) found.set(name, codeEvidence(at(file.path), i + 1, line));
      }
    });
  }
  if (found.size !== 1) return undefined;
  const [[name, evidence]] = [...found.entries()] as [[string, string]];
  return { value: name, evidence: `${evidence} (the one variable named for the app's port)` };
}
