import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectServices } from '../src/detect/services.js';
import { rustConfig, rustLanguageVersion } from '../stacks/rust/config.js';
import { detectRust } from '../stacks/rust/detect.js';
import { scratch } from './_scratch.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const dirs = scratch('rust');
const repo = dirs.files;
test.after(dirs.cleanup);

test('axum with a rust-toolchain.toml: every fact with its evidence', async () => {
  const facts = await detectRust(fixture('rust-axum'));
  assert.equal(facts, {
    path: '.',
    workspaceMembers: [],
    binaries: ['orders-api'],
    warnings: [],
    lockfile: { value: 'Cargo.lock', evidence: 'Cargo.lock version = 4' },
    package: { value: 'orders-api', evidence: 'Cargo.toml [package] name = "orders-api"' },
    binary: { value: 'orders-api', evidence: 'src/main.rs (package orders-api)' },
    edition: { value: '2021', evidence: 'Cargo.toml:4 edition = "2021"' },
    rustVersion: { value: '1.80', evidence: 'Cargo.toml:5 rust-version = "1.80"' },
    framework: { value: 'axum', evidence: 'Cargo.toml:8 [dependencies] axum = "0.8"' },
    port: { value: 3000, evidence: 'src/main.rs:12 let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();' },
    healthPath: { value: '/livez', evidence: 'src/main.rs:11 .route("/livez", get(|| async { "ok" }));' },
    toolchain: { value: '1.90.0', evidence: 'rust-toolchain.toml:2 channel = "1.90.0"' },
  });
  // The channel is used as written: rustup in the image would download any other.
  assert.equal(rustLanguageVersion(facts!), { value: '1.90.0', evidence: 'rust-toolchain.toml:2 channel = "1.90.0"' });
  assert.equal((await detectServices(fixture('rust-axum'))).map((s) => [s.stack, s.path]), [['rust', '.']]);
});

test('a workspace: members from a glob, the binary that listens chosen over a CLI, and a warning naming both', async () => {
  const dir = repo({
    'Cargo.toml': '[workspace]\nmembers = ["crates/*", "tools/migrate"]\n',
    'Cargo.lock': 'version = 3\n',
    'crates/api/Cargo.toml': '[package]\nname = "api"\nedition = "2021"\n\n[dependencies]\nactix-web = "4"\n',
    'crates/api/src/main.rs':
      'fn main() {\n    HttpServer::new(|| App::new().service(health)).bind(("0.0.0.0", 8081));\n}\n' +
      '#[get("/health")]\nasync fn health() -> &\'static str { "ok" }\n',
    'crates/core/Cargo.toml': '[package]\nname = "core"\n',
    'crates/core/src/lib.rs': 'pub fn f() {}\n',
    'tools/migrate/Cargo.toml': '[package]\nname = "migrate"\n',
    'tools/migrate/src/main.rs': 'fn main() {}\n',
  });
  const facts = await detectRust(dir);
  assert.equal(facts?.workspaceMembers, ['crates/api', 'crates/core', 'tools/migrate']);
  assert.equal(facts?.binaries, ['api', 'migrate']);
  assert.equal(facts?.binary, { value: 'api', evidence: 'crates/api/src/main.rs (package api)' });
  assert.equal(facts?.framework?.value, 'actix-web');
  assert.equal(facts?.port, { value: 8081, evidence: 'crates/api/src/main.rs:2 HttpServer::new(|| App::new().service(health)).bind(("0.0.0.0", 8081));' });
  assert.equal(facts?.healthPath?.value, '/health');
  assert.equal(facts?.warnings, ['several binaries: api, migrate; using api. Say which one this service runs (--start <binary>)']);
  assert.equal(rustLanguageVersion(facts!).value, '1.100');
});

test('[[bin]] names, no Cargo.lock warned about, no route: no health path invented, the config probes over TCP', async () => {
  const dir = repo({
    'Cargo.toml': '[package]\nname = "svc"\n\n[[bin]]\nname = "server"\npath = "src/server.rs"\n\n[dependencies]\nrocket = "0.5"\n',
    'src/server.rs': 'fn main() {}\n',
  });
  const facts = (await detectRust(dir))!;
  assert.equal(facts.binary, { value: 'server', evidence: 'Cargo.toml [[bin]] name = "server"' });
  assert.is(facts.healthPath, undefined);
  assert.match(facts.warnings.join('\n'), /no Cargo\.lock: .*cargo generate-lockfile/);
  const config = rustConfig(facts, { name: 'svc', path: '.' }, { port: 8000, build: null, test: null });
  assert.equal(config.start, 'server');
  assert.is('healthPath' in config, false);
  assert.is(config.framework, 'rocket');
});

test('a library crate is not a service', async () => {
  const dir = repo({ 'Cargo.toml': '[package]\nname = "lib"\n', 'Cargo.lock': 'version = 3\n', 'src/lib.rs': 'pub fn f() {}\n' });
  const facts = (await detectRust(dir))!;
  assert.is(facts.binary, undefined);
  assert.match(facts.warnings.join('\n'), /no binary target/);
});

test('axum 0.3-0.6 Server::bind(&"0.0.0.0:8080".parse()) is the port; an actix /health_check route is the health path', async () => {
  const dir = repo({
    'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\naxum = "0.5"\n',
    'Cargo.lock': 'version = 3\n',
    'src/main.rs': 'fn main() {\n    axum::Server::bind(&"0.0.0.0:8080".parse().unwrap());\n}\n',
    'src/startup.rs': 'fn app() {\n    App::new().route("/health_check", web::get().to(health_check));\n}\n',
  });
  const facts = (await detectRust(dir))!;
  assert.equal(facts.port, { value: 8080, evidence: 'src/main.rs:2 axum::Server::bind(&"0.0.0.0:8080".parse().unwrap());' });
  assert.equal(facts.healthPath?.value, '/health_check');
});

test("sqlx's compile-time query macros with no offline data (.sqlx/, sqlx-data.json): a warning that the image build fails, and how to fix it", async () => {
  const files = {
    'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nsqlx = { version = "0.7", features = ["postgres"] }\n',
    'Cargo.lock': 'version = 3\n',
    'src/main.rs': 'fn main() {}\n\nasync fn count(db: &PgPool) {\n    let n = sqlx::query_scalar!("select count(*) from users").fetch_one(db).await;\n}\n',
  };
  const warned = (await detectRust(repo(files)))!.warnings.filter((w) => w.includes('sqlx'));
  assert.equal(warned.length, 1);
  assert.match(warned[0]!, /^src\/main\.rs:4 let n = sqlx::query_scalar!.*: sqlx's query macros check .* Run `cargo sqlx prepare`/);
  const prepared = (await detectRust(repo({ ...files, '.sqlx/query-1.json': '{}' })))!;
  assert.not.ok(prepared.warnings.some((w) => w.includes('sqlx')), prepared.warnings.join('\n'));
});

test('the config crate reading files at run time: a warning that the image holds only the binary', async () => {
  const files = {
    'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nconfig = "0.14"\n',
    'Cargo.lock': 'version = 3\n',
    'src/main.rs': 'fn main() {}\n',
    'src/settings.rs': [
      'pub fn load() -> Settings {',
      '    let dir = std::env::current_dir().unwrap().join("settings");',
      '    config::Config::builder()',
      '        .add_source(config::File::from(dir.join("base.yaml")))',
      '        .build().unwrap().try_deserialize().unwrap()',
      '}',
      '',
    ].join('\n'),
  };
  const warned = (await detectRust(repo(files)))!.warnings.filter((w) => w.includes('config crate'));
  assert.equal(warned.length, 1);
  assert.match(warned[0]!, /^src\/settings\.rs:4 .*: the app reads configuration files at run time/);
});

test.run();
