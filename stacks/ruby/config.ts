/** What `init` takes from a Ruby service's facts. */
import type { ServiceConfig } from '../../src/config/types.js';
import { RUBY_DEFAULT } from '../../src/versions.js';
import { TCP_HEALTH, detected } from '../shared.js';
import type { Detected, ServiceAnswers, ServiceQuestions } from '../types.js';
import type { RubyFacts } from './types.js';

/** Rails' and Puma-with-Rails' default port is 3000; rackup's and bare Puma's 9292; a script's, 8080. */
function defaultPort(f: RubyFacts): number {
  if (f.framework?.value === 'rails') return 3000;
  if (f.puma) return 9292;
  return 8080;
}

/** A Ruby project is a service when it starts something or uses a web framework. */
export function rubyDeployable(f: RubyFacts): string | undefined {
  if (f.start) return `${f.framework?.value ?? 'Ruby'} app: ${f.start.evidence}`;
  return f.framework ? `${f.framework.value} app: ${f.framework.evidence}` : undefined;
}

export function rubyQuestions(f: RubyFacts): ServiceQuestions {
  return {
    port: detected(f.port),
    healthPath: detected(f.healthPath),
    start: detected(f.start),
    needsStart: true,
    fallback: { port: String(defaultPort(f)), healthPath: TCP_HEALTH, ...(f.puma ? { start: 'bundle exec puma' } : {}) },
  };
}

export function rubyLanguageVersion(f: RubyFacts): Detected {
  if (f.rubyVersion) return { value: f.rubyVersion.value, evidence: f.rubyVersion.evidence };
  return { value: RUBY_DEFAULT, evidence: `no .ruby-version or Gemfile ruby line: Ruby ${RUBY_DEFAULT}` };
}

/** `bundle exec puma` without a config binds 0.0.0.0:9292: the configured port is passed on. */
function withPort(start: string, port: number): string {
  return start === 'bundle exec puma' ? `bundle exec puma --port ${port}` : start;
}

export function rubyConfig(f: RubyFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  const rails = f.framework?.value === 'rails';
  return {
    ...base,
    stack: 'ruby',
    framework: f.framework?.value ?? 'none',
    languageVersion: a.languageVersion ?? f.rubyVersion?.value ?? RUBY_DEFAULT,
    ...(f.gems.length > 0 ? { gems: f.gems } : {}),
    // The build stage's command, run with a dummy secret: Rails' asset pipeline.
    build: a.build ?? (rails && f.assets?.value ? 'bin/rails assets:precompile' : null),
    test: a.test ?? (rails ? 'bin/rails test' : null),
    start: withPort(a.start ?? f.start?.value ?? (f.puma ? 'bundle exec puma' : 'ruby app.rb'), a.port),
    ...(rails && f.migrations?.value ? { migrate: 'bin/rails db:prepare' } : {}),
    port: a.port,
    ...(a.healthPath !== undefined ? { healthPath: a.healthPath } : {}),
  };
}
