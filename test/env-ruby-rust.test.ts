// Ruby and Rust apps read their configuration from the environment too (a real-repo pattern: a
// Rails app's ENV.fetch in config/ and ERB in its YAML; an axum app's clap `env` fields): those
// variables reach .env.example and the add-ons like any other stack's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectEnvVars, envForStacks } from '../src/detect/env.js';
import { addonsFromEnv } from '../src/config/from-detection.js';
import { scratch } from './_scratch.js';

const dirs = scratch('env-rb-rs');
test.after(dirs.cleanup);

test('Ruby: ENV[], ENV.fetch (required only with no default and no block), ERB in YAML; comments skipped', async () => {
  const dir = dirs.files({
    'config/initializers/mail.rb': 'Mailer.key = ENV.fetch("MAIL_API_KEY")\nMailer.from = ENV["MAIL_FROM"]\n# ENV["COMMENTED_OUT"]\n',
    'config/puma.rb': 'threads ENV.fetch("MAX_THREADS") { 5 }\nport ENV.fetch("PORT", 3000)\n',
    // What the OS, Bundler or a CI runner sets is no variable of the deployment's.
    'config/boot.rb': 'ENV["BUNDLE_GEMFILE"] ||= "Gemfile"\nwarn ENV["PATH"] if ENV["CI"]\n',
    'config/database.yml': 'production:\n  url: <%= ENV["DATABASE_URL"] %>\n',
    'app/frontend/main.js': 'const k = process.env.BUNDLER_ONLY;\n',
  });
  const env = await detectEnvVars(dir);
  const byName = new Map(env.map((v) => [v.name, v]));
  assert.equal([...byName.keys()], ['BUNDLER_ONLY', 'DATABASE_URL', 'MAIL_API_KEY', 'MAIL_FROM', 'MAX_THREADS', 'PORT']);
  assert.equal(byName.get('MAIL_API_KEY'), { name: 'MAIL_API_KEY', locations: ['config/initializers/mail.rb:1'], required: true });
  assert.is(byName.get('MAX_THREADS')?.required, undefined, 'a block gives the default');
  assert.is(byName.get('PORT')?.required, undefined, 'a second argument is the default');
  assert.equal(byName.get('DATABASE_URL')?.locations, ['config/database.yml:2']);
  assert.equal(
    envForStacks(env, ['ruby']).map((v) => v.name),
    ['DATABASE_URL', 'MAIL_API_KEY', 'MAIL_FROM', 'MAX_THREADS', 'PORT'],
    'a variable only the JS bundle reads is no Ruby service variable',
  );
  assert.equal(addonsFromEnv(env).addons, { postgres: true });
});

test('Rust: env::var (required when unwrapped), dotenvy, clap env fields by name and by env = "X"', async () => {
  const dir = dirs.files({
    'src/config.rs': [
      '#[derive(clap::Parser)]',
      'pub struct Config {',
      '    /// The database to use.',
      '    #[clap(long, env)]',
      '    pub database_url: String,',
      '    #[arg(long, env = "SIGNING_KEY")]',
      '    pub key: String,',
      '    #[clap(long, env)]',
      '    pub sentry_dsn: Option<String>,',
      '}',
      '',
    ].join('\n'),
    'src/main.rs': 'fn main() {\n    let token = std::env::var("API_TOKEN").expect("set API_TOKEN");\n    let lvl = dotenvy::var("LOG_FILTER").ok();\n}\n',
  });
  const env = await detectEnvVars(dir);
  assert.equal(
    env.map((v) => [v.name, v.locations.join(' '), v.required === true]),
    [
      ['API_TOKEN', 'src/main.rs:2', true],
      ['DATABASE_URL', 'src/config.rs:5', true],
      ['LOG_FILTER', 'src/main.rs:3', false],
      ['SENTRY_DSN', 'src/config.rs:9', false],
      ['SIGNING_KEY', 'src/config.rs:6', true],
    ],
  );
  assert.equal(envForStacks(env, ['rust']).length, 5);
});

test.run();
