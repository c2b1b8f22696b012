/** doctor's PHP rows: composer.lock against composer.json, and the health route of a PHP app at the root. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RepoFacts } from '../detect/types.js';
import type { Finding } from '../validate/types.js';

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Each PHP service's composer.lock: present, and written for its composer.json (the content-hash Composer checks). */
function auditComposerLock(root: string, facts: Pick<RepoFacts, 'services'>): Finding[] {
  const out: Finding[] = [];
  for (const s of facts.services ?? []) {
    if (s.stack !== 'php') continue;
    const at = (f: string) => (s.path === '.' ? f : `${s.path}/${f}`);
    const status = s.facts.lockStatus;
    if (status === 'missing') {
      out.push({
        rule: 'php/no-lockfile', severity: 'error', file: at('composer.json'),
        message: 'no composer.lock: every image build resolves dependencies anew, so production can run code nobody tested',
        fix: 'run `composer update --lock` and commit composer.lock',
      });
    } else if (status !== 'in-sync') {
      const lines = (readOrEmpty(join(root, at('composer.lock')))).split('\n');
      const line = Math.max(1, lines.findIndex((l) => l.includes('"content-hash"')) + 1);
      out.push({
        rule: 'php/lockfile-out-of-sync', severity: 'error', file: at('composer.lock'), line,
        message: status === 'invalid'
          ? 'composer.lock is not valid JSON: `composer install` in the image build fails'
          : 'composer.lock was written for another composer.json (its content-hash differs): the image installs the old dependency set',
        fix: 'run `composer update --lock` and commit composer.lock',
      });
    }
  }
  return out;
}

/**
 * A PHP app at the root whose code serves no health route: its checks connect over TCP. (doctor's
 * Node row skips a root package.json that only builds such an app's assets: it is no server.)
 */
function auditPhpHealth(facts: Pick<RepoFacts, 'services'>): Finding[] {
  const app = (facts.services ?? []).find((s) => s.path === '.' && s.stack === 'php');
  if (app?.stack !== 'php' || app.facts.healthPath) return [];
  return [{
    rule: 'app/no-health-route', severity: 'warning', file: 'composer.json',
    message: "no health route found in the code (Laravel's `health:` route, a /health route or script): " +
      'the checks connect over TCP, which a hung app still passes',
    fix: app.facts.framework?.value === 'slim'
      ? "add one (Slim: `$app->get('/health', fn ($request, $response) => $response);` in app/routes.php), and set healthPath in deploy-kit.yaml"
      : "add one (Laravel 11+: `health: '/up'` in bootstrap/app.php's withRouting), and set healthPath in deploy-kit.yaml",
  }];
}

/**
 * Symfony commits `.env` (and `.env.dev`, `.env.test`, `.env.prod`) by design: they hold the
 * defaults, and secrets go in `.env*.local` or the real environment. Those committed files stay a
 * finding, as a warning that says what to check; a committed `.local` file is still an error.
 */
export function symfonyDotenv(facts: Pick<RepoFacts, 'services'>, findings: Finding[]): Finding[] {
  const symfony = (facts.services ?? []).some((s) => s.path === '.' && s.stack === 'php' && s.facts.framework?.value === 'symfony');
  if (!symfony) return findings;
  return findings.map((f) =>
    f.rule === 'dotenv/tracked' && /^\.env(?:\.(?:dev|test|prod))?$/.test(f.file)
      ? {
          ...f,
          severity: 'warning',
          message: `${f.file} is committed, as Symfony intends for defaults: it must hold no secret (the image reads none of it)`,
          fix: 'keep secrets in .env.local (ignored by git) or the platform\'s secret store, and rotate any that were committed',
        }
      : f,
  );
}

/** The PHP rows of doctor: composer.lock present and in sync, and the health route the probes call. */
export function auditPhp(root: string, facts: RepoFacts): Finding[] {
  return [...auditComposerLock(root, facts), ...auditPhpHealth(facts)];
}
