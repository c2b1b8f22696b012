import { join } from 'node:path';
import { SERVICE_PORTS, atPath, codeEvidence, readText, servicePath } from '../../src/detect/shared.js';
import { RUBY_DEFAULT, RUBY_NEWEST_MINOR } from '../../src/versions.js';
import type { RubyFacts, RubyFramework } from './types.js';

const minorNumber = (v: string): number[] => v.split('.').map(Number);
const newer = (a: string, b: string): boolean => {
  const [am = 0, an = 0] = minorNumber(a);
  const [bm = 0, bn = 0] = minorNumber(b);
  return am !== bm ? am > bm : an > bn;
};

/**
 * The Ruby a Gemfile `ruby` requirement gets: an exact version as written; a minimum (`>= 3.2`) the
 * default when that satisfies it; a pessimistic one (`~> 3.1`) the newest minor of its major line.
 */
export function rubyForRequirement(spec: string, minimum: string): { version: string; why: string } {
  const op = /^\s*(~>|>=|>)?/.exec(spec)?.[1];
  if (op === '~>') {
    const newest = RUBY_NEWEST_MINOR[minimum.split('.')[0] ?? ''];
    if (newest && !newer(minimum, newest)) return { version: newest, why: `a range within Ruby ${minimum.split('.')[0]}; Ruby ${newest} is its newest` };
  }
  if (op === '>=' || op === '>') {
    if (newer(RUBY_DEFAULT, minimum)) return { version: RUBY_DEFAULT, why: `a minimum; Ruby ${RUBY_DEFAULT} satisfies it` };
  }
  return { version: minimum, why: op ? 'a minimum' : 'as written' };
}

/** Gemfile.lock's specs: `    name (version)` at four spaces, under GEM, GIT or PATH. */
function lockedGems(lock: string): Map<string, string> {
  const gems = new Map<string, string>();
  for (const m of lock.matchAll(/^ {4}([A-Za-z0-9_.-]+) \(([^)\s]+)[^)]*\)$/gm)) if (!gems.has(m[1]!)) gems.set(m[1]!, m[2]!);
  return gems;
}

/** The gems the Gemfile names (`gem "x"`), with their line, for when there is no lockfile. */
function gemfileGems(gemfile: string): Map<string, number> {
  const gems = new Map<string, number>();
  gemfile.split('\n').forEach((line, i) => {
    const m = /^\s*gem\s+["']([A-Za-z0-9_.-]+)["']/.exec(line);
    if (m && !gems.has(m[1]!)) gems.set(m[1]!, i + 1);
  });
  return gems;
}

const minorOf = (v: string): string | undefined => /^(?:ruby-)?(\d+\.\d+)/.exec(v.trim())?.[1];

/** Rails 7.1 and later generate `get "up" => "rails/health#show"`; the route decides, the version says why. */
function atLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

const FRAMEWORK_GEMS: ReadonlyArray<[string, RubyFramework]> = [
  ['rails', 'rails'],
  ['railties', 'rails'],
  ['hanami', 'hanami'],
  ['sinatra', 'sinatra'],
];

/** Scripts a plain Ruby service is started from, in the order they are tried. */
const SCRIPTS = ['app.rb', 'main.rb', 'server.rb'];

/** Job backends and the command that runs their worker. */
const JOB_GEMS: ReadonlyArray<readonly [gem: string, command: string]> = [
  ['sidekiq', 'bundle exec sidekiq'],
  ['solid_queue', 'bin/jobs'],
  ['good_job', 'bundle exec good_job start'],
  ['resque', 'bundle exec rake resque:work'],
  ['delayed_job', 'bin/delayed_job run'],
];

/**
 * Detects a Ruby service in `root/path` from its Gemfile: Gemfile.lock, the Ruby version, the
 * framework, Puma, bootsnap, native gems, the start command, port and health route.
 *
 * @example
 *   const ruby = await detectRuby('/repo')
 *   ruby?.framework // { value: 'rails', evidence: 'Gemfile.lock: rails (7.2.1)' }
 */
export async function detectRuby(root: string, path = '.'): Promise<RubyFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);
  const gemfile = await readText(join(dir, 'Gemfile'));
  if (gemfile === undefined) return undefined;
  const warnings: string[] = [];
  const facts: RubyFacts = { path: rel, gems: [], warnings };

  const lock = await readText(join(dir, 'Gemfile.lock'), 4 * 1024 * 1024);
  const locked = lock === undefined ? new Map<string, string>() : lockedGems(lock);
  const declared = gemfileGems(gemfile);
  if (lock === undefined) {
    warnings.push(`no ${at('Gemfile.lock')}: the image installs in Bundler's deployment mode, which needs it; run \`bundle lock\` and commit it`);
  } else {
    const bundler = /^BUNDLED WITH\n\s+(\S+)/m.exec(lock)?.[1];
    facts.lockfile = { value: 'Gemfile.lock', evidence: `${at('Gemfile.lock')} present${bundler ? ` (bundled with ${bundler})` : ''}` };
  }
  /** A gem's evidence: its locked version, else its Gemfile line. */
  const gem = (name: string): string | undefined => {
    const v = locked.get(name);
    if (v) return `${at('Gemfile.lock')}: ${name} (${v})`;
    const line = declared.get(name);
    return line ? `${at('Gemfile')}:${line} gem "${name}"` : undefined;
  };

  // The Ruby version: .ruby-version, the Gemfile's `ruby` line, Gemfile.lock's RUBY VERSION.
  const dotVersion = await readText(join(dir, '.ruby-version'));
  const gemfileRuby = gemfile.split('\n').findIndex((l) => /^\s*ruby\s+["'][^"']+["']/.test(l));
  const lockRuby = lock ? /^RUBY VERSION\n\s+ruby (\S+)/m.exec(lock)?.[1] : undefined;
  if (dotVersion && minorOf(dotVersion)) {
    facts.rubyVersion = { value: minorOf(dotVersion)!, evidence: `${at('.ruby-version')} "${dotVersion.trim()}"` };
  } else if (gemfileRuby >= 0) {
    const line = gemfile.split('\n')[gemfileRuby]!;
    const spec = /["']([^"']+)["']/.exec(line)![1]!;
    const v = minorOf(spec.replace(/^[~>=<\s]+/, ''));
    if (v) {
      const { version, why } = rubyForRequirement(spec, v);
      facts.rubyVersion = { value: version, evidence: `${codeEvidence(at('Gemfile'), gemfileRuby + 1, line.trim())} (${why})` };
    }
  } else if (lockRuby && minorOf(lockRuby)) {
    facts.rubyVersion = { value: minorOf(lockRuby)!, evidence: `${at('Gemfile.lock')} RUBY VERSION ruby ${lockRuby}` };
  }

  for (const [name, framework] of FRAMEWORK_GEMS) {
    const evidence = gem(name);
    if (evidence) {
      facts.framework = { value: framework, evidence };
      break;
    }
  }
  const configRu = await readText(join(dir, 'config.ru'));
  if (!facts.framework && configRu !== undefined) facts.framework = { value: 'rack', evidence: `${at('config.ru')} present` };
  if (facts.framework?.value === 'rails') {
    const v = locked.get('rails') ?? locked.get('railties');
    if (v) facts.railsVersion = { value: v, evidence: `${at('Gemfile.lock')}: rails (${v})` };
  }

  const puma = gem('puma');
  if (puma) facts.puma = { value: true, evidence: puma };
  for (const name of ['bootsnap', 'pg', 'mysql2']) if (gem(name)) facts.gems.push(name);

  const rails = facts.framework?.value === 'rails';
  if (rails) {
    const pipeline = gem('propshaft') ?? gem('sprockets-rails');
    if (pipeline) facts.assets = { value: true, evidence: pipeline };
    const dbFiles = ['db/schema.rb', 'db/structure.sql', 'config/database.yml'];
    for (const f of dbFiles) {
      if ((await readText(join(dir, f))) !== undefined) {
        facts.migrations = { value: true, evidence: `${at(f)} present` };
        break;
      }
    }
    // config/database.yml kept out of git, a template committed in its place: Rails reads the file as it boots.
    if ((await readText(join(dir, 'config/database.yml'))) === undefined) {
      for (const t of ['config/database.yml.sample', 'config/database.yml.example', 'config/database.yml.dist']) {
        if ((await readText(join(dir, t))) === undefined) continue;
        warnings.push(
          `${at('config/database.yml')} is not in the repository (only ${at(t)}), and the image is built from the repository: Rails fails to ` +
            'boot without it unless DATABASE_URL is set. Set DATABASE_URL in the environment (the PostgreSQL add-on does), or commit a ' +
            'config/database.yml that reads its settings from ENV',
        );
        break;
      }
    }
    // Rails 7.1+ generates the /up route (rails/health#show); the route must still be there.
    const routes = await readText(join(dir, 'config/routes.rb'));
    const lines = routes?.split('\n') ?? [];
    const i = lines.findIndex((l) => /rails\/health#show/.test(l) && !/^\s*#/.test(l));
    if (i >= 0) {
      const route = /get\s+["']\/?([^"']*)["']/.exec(lines[i]!)?.[1];
      if (route !== undefined) {
        const version = facts.railsVersion && atLeast(facts.railsVersion.value, 7, 1) ? `Rails ${facts.railsVersion.value} (7.1+), ` : '';
        facts.healthPath = { value: `/${route}`, evidence: `${version}${codeEvidence(at('config/routes.rb'), i + 1, lines[i]!.trim())}` };
      }
    } else if (facts.railsVersion && atLeast(facts.railsVersion.value, 7, 1)) {
      warnings.push(`Rails ${facts.railsVersion.value} generates a /up health route, but ${at('config/routes.rb')} does not route rails/health#show: the checks connect over TCP`);
    }
  }

  // A job backend runs its jobs in a process of its own, which the kit does not start (Solid Queue can run inside Puma).
  for (const [name, command] of JOB_GEMS) {
    const evidence = gem(name);
    if (!evidence) continue;
    const inPuma = name === 'solid_queue' ? ' (or set SOLID_QUEUE_IN_PUMA=1 where Puma loads its plugin)' : '';
    warnings.push(
      `${evidence}: jobs run in a worker process the kit does not start: run \`${command}\` from the same image as a second process ` +
        `(a compose service with that command)${inPuma}, or the jobs queue up and never run`,
    );
    break;
  }

  // The start command: Procfile's web line, Puma, `rails server`, or the script itself.
  const procfile = await readText(join(dir, 'Procfile'));
  const procLines = procfile?.split('\n') ?? [];
  const web = procLines.findIndex((l) => /^web:\s*\S/.test(l));
  const pumaConfig = (await readText(join(dir, 'config/puma.rb'))) !== undefined;
  if (web >= 0) {
    facts.start = { value: procLines[web]!.replace(/^web:\s*/, '').trim(), evidence: codeEvidence(at('Procfile'), web + 1, procLines[web]!.trim()) };
  } else if (puma && pumaConfig) {
    facts.start = { value: 'bundle exec puma -C config/puma.rb', evidence: `${puma} and ${at('config/puma.rb')}` };
  } else if (rails && (await readText(join(dir, 'bin/rails'))) !== undefined && puma) {
    facts.start = { value: 'bin/rails server', evidence: `${puma}; ${at('bin/rails')} (rails server runs Puma)` };
  } else if (puma && configRu !== undefined) {
    facts.start = { value: 'bundle exec puma', evidence: `${puma} and ${at('config.ru')}` };
  } else if (!rails) {
    for (const script of SCRIPTS) {
      const text = await readText(join(dir, script));
      if (text === undefined) continue;
      // A Sinatra classic app serves itself only through a server gem it can find.
      if (facts.framework && !puma) break;
      facts.start = { value: `ruby ${script}`, evidence: `${at(script)} present` };
      break;
    }
  }
  if (facts.framework && !facts.start && !puma) {
    warnings.push(`${facts.framework.value} app without puma in ${at('Gemfile')}: add \`gem "puma"\` (Ruby 3+ ships no web server) or give --start`);
  }

  // The port: Puma's config or the script's listen call.
  const portSources = ['config/puma.rb', ...SCRIPTS];
  for (const f of portSources) {
    const text = await readText(join(dir, f));
    if (!text) continue;
    const lines = text.split('\n');
    const i = lines.findIndex((l) => /\bport\b|PORT|TCPServer\.new/.test(l) && /\b\d{2,5}\b/.test(l) && !/^\s*#/.test(l));
    if (i >= 0) {
      const n = Number([...lines[i]!.matchAll(/\b(\d{2,5})\b/g)].at(-1)![1]);
      if (n >= 80 && n < 65536 && !SERVICE_PORTS.has(n)) {
        facts.port = { value: n, evidence: codeEvidence(at(f), i + 1, lines[i]!.trim()) };
        break;
      }
    }
  }
  // Puma run directly (not through `rails server`, which defaults to 3000) whose config names no
  // port or bind listens on Puma's own default, 9292, and reads no PORT.
  const pumaText = await readText(join(dir, 'config/puma.rb'));
  if (!facts.port && pumaText !== undefined && /\bpuma\b/.test(facts.start?.value ?? '') && !/^\s*(?:port|bind|ssl_bind)\b/m.test(pumaText)) {
    facts.port = { value: 9292, evidence: `${at('config/puma.rb')} sets no port or bind: Puma listens on its default 9292 (and reads no PORT)` };
  }
  // A script or Sinatra app's health route: a literal "/health"-like path in the code.
  if (!facts.healthPath && !rails) {
    for (const f of [...SCRIPTS, 'config.ru']) {
      const text = await readText(join(dir, f));
      if (!text) continue;
      const lines = text.split('\n');
      const i = lines.findIndex((l) => /["']\/(?:health|healthz|up|ping)["']/.test(l) && !/^\s*#/.test(l));
      if (i >= 0) {
        facts.healthPath = { value: /["'](\/(?:health|healthz|up|ping))["']/.exec(lines[i]!)![1]!, evidence: codeEvidence(at(f), i + 1, lines[i]!.trim()) };
        break;
      }
    }
  }
  return facts satisfies RubyFacts;
}
