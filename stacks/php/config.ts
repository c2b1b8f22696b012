/** What `init` takes from a PHP service's facts. */
import type { ServiceConfig } from '../../src/config/types.js';
import { PHP_DEFAULT } from '../../src/versions.js';
import { TCP_HEALTH, detected } from '../shared.js';
import type { Detected, ServiceAnswers, ServiceQuestions } from '../types.js';
import type { PhpFacts } from './types.js';

/** Apache listens where the kit says (PORT); 8080 is unprivileged, so the app user can bind it. */
const PHP_PORT = 8080;

/** A PHP project is a service when a framework or a front controller serves it; a library is not. */
export function phpDeployable(f: PhpFacts): string | undefined {
  if (f.framework) return `${f.framework.value} app: ${f.framework.evidence}`;
  return f.documentRoot ? `PHP app: ${f.documentRoot.evidence}` : undefined;
}

export function phpQuestions(f: PhpFacts): ServiceQuestions {
  return {
    port: { value: String(PHP_PORT), evidence: `Apache in the image listens on PORT; ${PHP_PORT} by default` },
    healthPath: detected(f.healthPath),
    // Apache is the server: there is no start command to ask for.
    start: undefined,
    needsStart: false,
    fallback: { port: String(PHP_PORT), healthPath: TCP_HEALTH },
  };
}

export function phpLanguageVersion(f: PhpFacts): Detected {
  if (f.phpVersion) return { value: f.phpVersion.value, evidence: f.phpVersion.evidence };
  return { value: PHP_DEFAULT, evidence: `no .php-version or composer.json require.php: PHP ${PHP_DEFAULT}` };
}

export function phpConfig(f: PhpFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  return {
    ...base,
    stack: 'php',
    framework: f.framework?.value ?? 'none',
    languageVersion: a.languageVersion ?? f.phpVersion?.value ?? PHP_DEFAULT,
    ...(f.extensions.length > 0 ? { extensions: f.extensions } : {}),
    ...(f.documentRoot && f.documentRoot.value !== 'public' ? { documentRoot: f.documentRoot.value } : {}),
    ...(f.stdoutLogEnv ? { stdoutLogEnv: f.stdoutLogEnv.value } : {}),
    // Detected (Vite's build in a Node stage, Symfony's AssetMapper), given, or `none`: init passes it on.
    build: a.build,
    test: a.test,
    ...(f.migrate ? { migrate: f.migrate.value } : {}),
    port: a.port,
    ...(a.healthPath !== undefined ? { healthPath: a.healthPath } : {}),
  };
}
