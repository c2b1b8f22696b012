import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixture, scratch } from './_scratch.js';
import { detectGo } from '../stacks/go/detect.js';

const dirs = scratch('go');
/** A throwaway Go module: go.mod plus the given files. */
const module = (files: Record<string, string>, gomod = 'module example.com/app\n\ngo 1.22\n'): string => dirs.files({ 'go.mod': gomod, ...files });
test.after(dirs.cleanup);

const MAIN = 'package main\n\nfunc main() {}\n';

test('chi API in cmd/api: module, go and toolchain lines, main package, PORT default, health route', async () => {
  const go = await detectGo(fixture('go-chi'));
  assert.ok(go);
  assert.is(go.path, '.');
  assert.equal(go.module, { value: 'github.com/acme/orders', evidence: 'go.mod:1 module github.com/acme/orders' });
  assert.equal(go.goVersion, { value: '1.22.0', evidence: 'go.mod:3 go 1.22.0' });
  assert.equal(go.toolchain, { value: '1.22.5', evidence: 'go.mod:5 toolchain go1.22.5' });
  assert.equal(go.mainPackage, { value: './cmd/api', evidence: 'cmd/api/main.go:1 package main' });
  assert.equal(go.mainPackages, ['./cmd/api']);
  assert.equal(go.name, { value: 'api', evidence: 'cmd/api/' });
  assert.equal(go.cgo, { value: false, evidence: 'no `import "C"` in 2 .go files' });
  // routes_test.go listens on :7777: tests are not the app.
  assert.equal(go.port, { value: 9090, evidence: 'cmd/api/main.go:14 port = "9090"' });
  assert.equal(go.healthPath, { value: '/healthz', evidence: 'internal/routes/routes.go:13 r.Get("/healthz", ok)' });
  assert.equal(go.warnings, [], 'go.sum is there');
});

test('two main packages and cgo: the one that listens is chosen, both are warned about', async () => {
  const go = await detectGo(fixture('go-cgo'));
  assert.ok(go);
  assert.equal(go.mainPackages, ['./cmd/migrate', './cmd/server'], 'tools/gen is //go:build ignore');
  assert.equal(go.mainPackage, { value: './cmd/server', evidence: 'cmd/server/main.go:1 package main' });
  assert.is(go.name?.value, 'server');
  assert.equal(go.cgo, { value: true, evidence: 'cmd/server/native.go:4 import "C"' });
  assert.equal(go.warnings, [
    'several main packages: ./cmd/migrate, ./cmd/server; using ./cmd/server (it listens on a port). Say which one this service runs',
    'cmd/server/native.go:4 import "C": cgo: built with CGO_ENABLED=1 on the Debian golang image and run on distroless/cc (glibc, libgcc, libstdc++); ' +
      'any other C library it links must be added to the runtime image',
  ]);
  assert.equal(go.port, { value: 8081, evidence: 'cmd/server/main.go:10 http.ListenAndServe(":8081", nil)' });
  // Go 1.22 method patterns: "GET /health".
  assert.is(go.healthPath?.value, '/health');
  assert.equal(go.goVersion?.value, '1.21');
  assert.is(go.toolchain, undefined);
});

test('main.go at the root: build target ".", binary named after the module without its /vN suffix', async () => {
  const dir = module({ 'main.go': MAIN }, 'module github.com/acme/billing/v3\n\ngo 1.23\n');
  const go = await detectGo(dir);
  assert.equal(go?.mainPackage, { value: '.', evidence: 'main.go:1 package main' });
  assert.equal(go?.name, { value: 'billing', evidence: 'last element of module github.com/acme/billing/v3' });
});

test('port idioms: gin Run, echo Start, http.Server Addr, cmp.Or and getEnv defaults', async () => {
  const cases: Array<[string, number]> = [
    ['r := gin.Default()\n\tr.Run(":8088")', 8088],
    ['e := echo.New()\n\te.Logger.Fatal(e.Start(":1323"))', 1323],
    ['srv := &http.Server{\n\t\tAddr: ":8443",\n\t}', 8443],
    ['addr := ":" + cmp.Or(os.Getenv("PORT"), "3000")', 3000],
    ['port := getEnv("PORT", "5050")', 5050],
  ];
  for (const [body, port] of cases) {
    const go = await detectGo(module({ 'main.go': `package main\n\nfunc main() {\n\t${body}\n}\n` }));
    assert.is(go?.port?.value, port, body);
    assert.match(go?.port?.evidence ?? '', /^main\.go:\d+ /, body);
  }
});

test('health routes: gin GET, echo GET, gorilla HandleFunc, ranked /health over /ping', async () => {
  const dir = module({ 'main.go': 'package main\n\nfunc main() {\n\tr.GET("/ping", h)\n\tmux.HandleFunc("/api/health", h)\n}\n' });
  assert.equal((await detectGo(dir))?.healthPath, { value: '/api/health', evidence: 'main.go:5 mux.HandleFunc("/api/health", h)' });
});

test('cgo through a dependency (go-sqlite3) is a fact and a warning; a missing go.sum is warned about', async () => {
  const dir = module({ 'main.go': MAIN }, 'module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.22\n)\n');
  const go = await detectGo(dir);
  assert.equal(go?.cgo, { value: true, evidence: 'go.mod:6 github.com/mattn/go-sqlite3 v1.14.22 (needs cgo)' });
  assert.ok(
    go?.warnings.some((w) => w.startsWith('go.mod:6 github.com/mattn/go-sqlite3 v1.14.22: github.com/mattn/go-sqlite3 needs cgo')),
    String(go?.warnings),
  );
  assert.ok(
    go?.warnings.some((w) => w.startsWith('go.mod requires modules but there is no go.sum')),
    String(go?.warnings),
  );
});

test('no main package (a library, or only //go:build ignore files): no main, a warning', async () => {
  const go = await detectGo(module({ 'gen.go': `//go:build ignore\n\n${MAIN}`, 'lib.go': 'package app\n' }));
  assert.is(go?.mainPackage, undefined);
  assert.equal(go?.mainPackages, []);
  assert.ok(go?.warnings.some((w) => w.startsWith('no `package main` with `func main()` under .')), String(go?.warnings));
});

test('a nested module is not part of this one; main packages outside cmd/ count only when alone', async () => {
  const nested = module({ 'lib.go': 'package app\n', 'tools/go.mod': 'module example.com/tools\n\ngo 1.22\n', 'tools/main.go': MAIN });
  assert.is((await detectGo(nested))?.mainPackage, undefined);
  assert.is((await detectGo(nested, 'tools'))?.mainPackage?.evidence, 'tools/main.go:1 package main');

  const server = module({ 'server/main.go': MAIN });
  assert.is((await detectGo(server))?.mainPackage?.value, './server');
});

test('go.mod without a go line is warned about; no go.mod is no Go service', async () => {
  const go = await detectGo(module({ 'main.go': MAIN }, 'module example.com/app\n'));
  assert.is(go?.goVersion, undefined);
  assert.ok(go?.warnings.some((w) => w.startsWith('go.mod has no go directive')), String(go?.warnings));
  assert.is(await detectGo(fixture('py-plain')), undefined);
});


// Real-repo patterns (a whoami-like flag whose default reads its own variable; a cobra + viper
// server; a config loader's env key with no default in the code; gin's Match; GORM's sqlite).
test('port from the app own variable: getEnv("X_PORT_NUMBER", "80") is X_PORT_NUMBER, moved off the privileged default to 8080', async () => {
  const body =
    'var port string\n\nfunc init() {\n\tflag.StringVar(&port, "port", getEnv("SHOP_PORT_NUMBER", "80"), "port")\n}\n\n' +
    'func main() {\n\thttp.ListenAndServe(":"+port, nil)\n}\n';
  const go = await detectGo(module({ 'main.go': `package main\n\n${body}` }));
  assert.equal(go?.portEnv, { value: 'SHOP_PORT_NUMBER', evidence: 'main.go:6 (the default\'s variable)' });
  assert.is(go?.port?.value, 8080);
  assert.match(go?.port?.evidence ?? '', /default 80 needs root: the kit sets SHOP_PORT_NUMBER=8080/);
  // A variable of another service (a database's port) is never the app's.
  const dbMain = 'package main\n\nfunc main() {\n\tdbPort := getEnv("DB_PORT", "5432")\n\thttp.ListenAndServe(":9000", nil)\n}\n';
  const db = await detectGo(module({ 'main.go': dbMain }));
  assert.equal([db?.port?.value, db?.portEnv], [9000, undefined]);
});

test('port from a cobra flag default; viper AutomaticEnv with a prefix names its variable', async () => {
  const cmd = [
    'package main',
    '',
    'func init() {',
    '\trootCmd.Flags().Int("port", 8081, "port of server")',
    '\tviper.SetEnvPrefix("notes")',
    '\tviper.AutomaticEnv()',
    '}',
    '',
    'func main() { rootCmd.Execute() }',
    '',
  ].join('\n');
  const go = await detectGo(module({ 'main.go': cmd }));
  assert.equal(go?.port, { value: 8081, evidence: 'main.go:4 rootCmd.Flags().Int("port", 8081, "port of server")' });
  assert.equal(go?.portEnv?.value, 'NOTES_PORT');
  // Without viper the flag's default is still the port, with no variable to move it.
  const plain = await detectGo(module({ 'main.go': 'package main\n\nvar p = flag.Int("port", 7070, "listen port")\n\nfunc main() {}\n' }));
  assert.equal([plain?.port?.value, plain?.portEnv], [7070, undefined]);
});

test('no port in the code but one variable named for it (a config loader key): that variable carries the kit port; a peer address is no port', async () => {
  const files = {
    'main.go': 'package main\n\nfunc main() { serve() }\n',
    'keys.go': 'package main\n\nconst (\n\tEnvServerPort = "PAD_SERVER_PORT"\n\tEnvSSLPort = "PAD_SERVER_SSL_PORT"\n)\n',
    'router.go': 'package main\n\nfunc fix(ctx *gin.Context) {\n\tctx.Request.RemoteAddr = "127.0.0.1:65535"\n}\n',
  };
  const go = await detectGo(module(files));
  assert.is(go?.port, undefined);
  assert.equal(go?.portEnv?.value, 'PAD_SERVER_PORT');
});

test('gin Match with GET among its methods is a health route; GORM sqlite needs cgo', async () => {
  const dir = module(
    { 'main.go': 'package main\n\nfunc main() {\n\tg.Match([]string{"GET", "HEAD"}, "/health", h)\n}\n', 'go.sum': '' },
    'module example.com/app\n\ngo 1.22\n\nrequire (\n\tgorm.io/driver/sqlite v1.6.0\n\tgithub.com/mattn/go-sqlite3 v1.14.32 // indirect\n)\n',
  );
  const go = await detectGo(dir);
  assert.equal(go?.healthPath, { value: '/health', evidence: 'main.go:4 g.Match([]string{"GET", "HEAD"}, "/health", h)' });
  assert.equal(go?.cgo, { value: true, evidence: 'go.mod:6 gorm.io/driver/sqlite v1.6.0 (needs cgo)' });
  const post = await detectGo(module({ 'main.go': 'package main\n\nfunc main() {\n\tg.Match([]string{"POST"}, "/health", h)\n}\n' }));
  assert.is(post?.healthPath, undefined);
});

test('a SQLite driver in go.mod (cgo or pure Go) is warned about: the file would live in the container', async () => {
  const warned = async (req: string) =>
    (await detectGo(module({ 'main.go': MAIN, 'go.sum': '' }, `module example.com/app\n\ngo 1.22\n\nrequire (\n\t${req}\n)\n`)))!.warnings.filter((w) =>
      w.startsWith('SQLite ('),
    );
  const pure = (await warned('modernc.org/sqlite v1.34.0')).join('');
  assert.match(pure, /^SQLite \(go\.mod:6 modernc\.org\/sqlite v1\.34\.0\): its file would live in the container/);
  assert.equal((await warned('github.com/mattn/go-sqlite3 v1.14.22')).length, 1);
  assert.equal(await warned('github.com/mattn/go-sqlite3 v1.14.22 // indirect'), []);
  assert.equal(await warned('github.com/lib/pq v1.10.9'), []);
});

test.run();
