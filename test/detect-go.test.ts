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

test.run();
