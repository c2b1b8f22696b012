import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectEnvVars } from '../src/detect/env.js';
import { detectServices } from '../src/detect/services.js';
import { refuseUnsupported, type Candidate } from '../src/config/choose-services.js';
import { isValidConfig } from '../src/config/load.js';
import { envFromFacts } from '../src/config/from-answers.js';
import { dotnetConfig, dotnetLanguageVersion } from '../stacks/dotnet/config.js';
import { detectDotnet } from '../stacks/dotnet/detect.js';
import { dotnetProbe, dotnetView } from '../stacks/dotnet/view.js';
import { DOTNET_DEFAULT } from '../src/versions.js';
import { scratch } from './_scratch.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const dirs = scratch('dotnet');
const repo = dirs.files;
test.after(dirs.cleanup);

const web = (props = '<TargetFramework>net8.0</TargetFramework>') =>
  `<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    ${props}\n  </PropertyGroup>\n</Project>\n`;

test('ASP.NET Core minimal API in a solution: the web project (not the tests), TargetFramework, assembly, lock file, MapHealthChecks', async () => {
  const facts = await detectDotnet(fixture('aspnet-minimal'));
  assert.equal(facts, {
    path: '.',
    warnings: [],
    solution: { value: 'Orders.sln', evidence: 'Orders.sln present' },
    project: { value: 'src/Orders.Api/Orders.Api.csproj', evidence: 'src/Orders.Api/Orders.Api.csproj:1 <Project Sdk="Microsoft.NET.Sdk.Web">' },
    web: { value: true, evidence: 'src/Orders.Api/Orders.Api.csproj:1 <Project Sdk="Microsoft.NET.Sdk.Web">' },
    dotnetVersion: { value: '9.0', evidence: 'src/Orders.Api/Orders.Api.csproj:4 <TargetFramework>net9.0</TargetFramework>' },
    assemblyName: { value: 'Orders.Api', evidence: "src/Orders.Api/Orders.Api.csproj (no <AssemblyName>: the project's name)" },
    lockfile: { value: 'src/Orders.Api/packages.lock.json', evidence: 'src/Orders.Api/packages.lock.json present' },
    healthPath: { value: '/healthz', evidence: 'src/Orders.Api/Program.cs:9 app.MapHealthChecks("/healthz");' },
  });
  assert.equal(
    (await detectServices(fixture('aspnet-minimal'))).map((s) => [s.stack, s.path]),
    [['dotnet', '.']],
  );
  const config = dotnetConfig(facts!, { name: 'app', path: '.' }, { port: 8080, healthPath: '/healthz', build: null, test: null });
  assert.equal(config, {
    name: 'app',
    path: '.',
    stack: 'dotnet',
    framework: 'aspnetcore',
    project: 'src/Orders.Api/Orders.Api.csproj',
    lockfile: true,
    languageVersion: '9.0',
    test: 'dotnet test Orders.sln',
    start: 'dotnet Orders.Api.dll',
    port: 8080,
    healthPath: '/healthz',
  });
  const view = dotnetView(config, { dir: '', workspaceDir: null });
  assert.is(view.baseImage, 'mcr.microsoft.com/dotnet/sdk:9.0-noble');
  assert.is(view.runtimeImage, 'mcr.microsoft.com/dotnet/aspnet:9.0-noble-chiseled-extra');
  assert.is(view.user, '1654:1654');
  assert.is(view.dotnet?.restoreFlags, ' --locked-mode');
  assert.is(view.dotnet?.entrypoint, '["dotnet","Orders.Api.dll"]');
  assert.is(view.lockfilePath, 'src/Orders.Api/packages.lock.json');
  // The chiseled image has no shell: the probe is a program the image's dotnet runs, no single quote in its source.
  assert.equal(JSON.parse(dotnetProbe().healthCheckArgs), ['dotnet', '/opt/healthcheck/healthcheck.dll']);
  assert.ok(view.dotnet?.probeLines.some((l) => l.includes('http://127.0.0.1:{port}/healthz')));
  assert.not.ok([...(view.dotnet?.probeLines ?? []), ...(view.dotnet?.probeProjectLines ?? [])].some((l) => l.includes("'")));
});

test('a project at the root: AssemblyName, the newest of TargetFrameworks, MapGet health route, UseUrls port', async () => {
  const dir = repo({
    'Api.csproj': web('<TargetFrameworks>net8.0;net10.0</TargetFrameworks>\n    <AssemblyName>Shop.Web</AssemblyName>'),
    'Program.cs':
      'var builder = WebApplication.CreateBuilder(args);\nbuilder.WebHost.UseUrls("http://0.0.0.0:5080");\n' +
      'var app = builder.Build();\napp.MapGet("/health", () => "ok");\napp.Run();\n',
  });
  const facts = (await detectDotnet(dir))!;
  assert.equal(facts.project?.value, 'Api.csproj');
  assert.equal(facts.dotnetVersion, { value: '10.0', evidence: 'Api.csproj:3 <TargetFrameworks>net8.0;net10.0</TargetFrameworks>' });
  assert.equal(facts.assemblyName, { value: 'Shop.Web', evidence: 'Api.csproj:4 <AssemblyName>Shop.Web</AssemblyName>' });
  assert.equal(facts.healthPath, { value: '/health', evidence: 'Program.cs:4 app.MapGet("/health", () => "ok");' });
  assert.equal(facts.port, { value: 5080, evidence: 'Program.cs:2 builder.WebHost.UseUrls("http://0.0.0.0:5080");' });
  const config = dotnetConfig(facts, { name: 'app', path: '.' }, { port: 5080, build: null, test: null });
  assert.is(config.test, 'dotnet test Api.csproj');
  assert.is(config.start, 'dotnet Shop.Web.dll');
  assert.is(dotnetView(config, { dir: '', workspaceDir: null }).dotnet?.restoreFlags, '');
});

test('SQLite through EF Core is warned about: its file would live in the read-only image', async () => {
  const dir = repo({
    'Todo.Api/Todo.Api.csproj':
      '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n    <PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" />\n' +
      '  </ItemGroup>\n</Project>\n',
    'Directory.Build.props': '<Project>\n  <PropertyGroup>\n    <TargetFramework>net9.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n',
    'Todo.Api/Program.cs': 'var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddSqlite<TodoDb>("Data Source=.db/Todos.db");\n',
  });
  const facts = (await detectDotnet(dir))!;
  assert.is(facts.project?.value, 'Todo.Api/Todo.Api.csproj');
  assert.equal(facts.warnings, [
    'SQLite (Todo.Api/Todo.Api.csproj:3 <PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" />): its file would live in the image, ' +
      'read-only at run time and replaced by every deploy; use PostgreSQL (compose has it as an add-on) or mount a volume for the database file',
  ]);
  const npgsqlRef = '  <ItemGroup>\n    <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" />\n  </ItemGroup>\n</Project>';
  const npgsql = repo({ 'Api.csproj': web().replace('</Project>', npgsqlRef) });
  assert.equal((await detectDotnet(npgsql))!.warnings, []);
});

test('global.json at the root finds a project below it; a console app is not a service; no version: the LTS', async () => {
  const dir = repo({
    'global.json': '{ "sdk": { "version": "8.0.404" } }\n',
    'Api/Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web">\n</Project>\n',
    'Api/Program.cs': 'var app = WebApplication.Create(args);\napp.Run();\n',
  });
  const facts = (await detectDotnet(dir))!;
  assert.equal(facts.project?.value, 'Api/Api.csproj');
  assert.equal(facts.dotnetVersion, {
    value: '8.0',
    evidence: 'global.json:1 { "sdk": { "version": "8.0.404" } } (the SDK; no TargetFramework found)',
  });
  assert.is(facts.healthPath, undefined);

  const console = repo({
    'Tool.csproj': '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <OutputType>Exe</OutputType>\n  </PropertyGroup>\n</Project>\n',
  });
  assert.equal(await detectServices(console), []);

  const old = repo({ 'Old.csproj': web('<TargetFramework>net6.0</TargetFramework>') });
  assert.equal((await detectDotnet(old))!.warnings, [
    '.NET 6.0 (Old.csproj:3 <TargetFramework>net6.0</TargetFramework>) is past end of support and has no Ubuntu 24.04 images: retarget to net8.0 or later',
  ]);
  const framework = repo({ 'Legacy.csproj': web('<TargetFramework>net48</TargetFramework>') });
  assert.equal((await detectDotnet(framework))!.warnings, [
    'Legacy.csproj:3 <TargetFramework>net48</TargetFramework>: not a .NET (5+) target framework; the Linux images run net8.0 and later',
  ]);

  const bare = repo({ 'App.csproj': web('<Nullable>enable</Nullable>') });
  assert.equal(dotnetLanguageVersion((await detectDotnet(bare))!).value, DOTNET_DEFAULT);
});

test('env vars: GetEnvironmentVariable, configuration keys as their variables (: is __), connection strings', async () => {
  const env = await detectEnvVars(fixture('aspnet-minimal'));
  assert.equal(
    env.map((e) => [e.name, e.locations]),
    [
      ['ConnectionStrings__Orders', ['src/Orders.Api/Program.cs:6']],
      ['Jwt__Issuer', ['src/Orders.Api/Program.cs:5']],
      ['ORDERS_QUEUE', ['src/Orders.Api/Program.cs:8']],
    ],
  );
});

test('a solution layout: SQLite in the data project the web project references, npm run by publish, the UseHealthChecks middleware', async () => {
  const dir = repo({
    'Shop.slnx': '<Solution>\n  <Project Path="src/Site/Site.csproj" />\n  <Project Path="src/Data/Data.csproj" />\n</Solution>\n',
    'src/Site/Site.csproj':
      '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net9.0</TargetFramework>\n  </PropertyGroup>\n' +
      '  <ItemGroup>\n    <ProjectReference Include="..\\Data\\Data.csproj" />\n  </ItemGroup>\n' +
      '  <Target Name="BuildClient" AfterTargets="ComputeFilesToPublish">\n    <Exec WorkingDirectory="client" Command="npm ci" />\n  </Target>\n</Project>\n',
    'src/Data/Data.csproj':
      '<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n    <PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" />\n  </ItemGroup>\n</Project>\n',
    'src/Site/Program.cs': 'var app = WebApplication.CreateBuilder(args).Build();\napp.UseHealthChecks("/status/ready");\napp.Run();\n',
  });
  const facts = (await detectDotnet(dir))!;
  assert.equal(facts.healthPath, { value: '/status/ready', evidence: 'src/Site/Program.cs:2 app.UseHealthChecks("/status/ready");' });
  assert.equal(facts.warnings.length, 2, facts.warnings.join('\n'));
  assert.match(facts.warnings[0]!, /^SQLite \(src\/Data\/Data\.csproj:3 <PackageReference Include="Microsoft\.EntityFrameworkCore\.Sqlite" \/>\): /);
  assert.match(facts.warnings[1]!, /^src\/Site\/Site\.csproj:\d+ <Exec WorkingDirectory="client" Command="npm ci" \/>: /);
  assert.match(facts.warnings[1]!, /publishing runs Node's package manager, .* has no Node; /);
});

test('.NET before 8 is refused at init with the project line and the retarget, and deploy-kit.yaml cannot ask for its images', async () => {
  const old = repo({ 'Api.csproj': web('<TargetFramework>net6.0</TargetFramework>'), 'Program.cs': 'var app = WebApplication.Create();\n' });
  const [service] = await detectServices(old);
  const candidate = { service: service!, name: 'app', questions: {} } as unknown as Candidate;
  assert.throws(
    () => refuseUnsupported(candidate),
    /^Api\.csproj:3 <TargetFramework>net6\.0<\/TargetFramework>: \.NET 6\.0 is past end of support .* retarget the project to net8\.0 or later/,
  );
  const current = repo({ 'Api.csproj': web('<TargetFramework>net8.0</TargetFramework>'), 'Program.cs': 'var app = WebApplication.Create();\n' });
  const [ok] = await detectServices(current);
  refuseUnsupported({ service: ok!, name: 'app', questions: {} } as unknown as Candidate);
  const config = (languageVersion: string) =>
    ({
      version: 1,
      name: 'api',
      services: [
        { name: 'app', path: '.', stack: 'dotnet', framework: 'aspnetcore', project: 'Api.csproj', languageVersion, test: null },
      ].map((svc) => ({ ...svc, start: 'dotnet Api.dll', port: 8080 })),
      branches: { production: 'main', staging: null },
      ci: { provider: 'github' },
      targets: [{ type: 'compose' }],
      env: [],
    }) as unknown as Parameters<typeof isValidConfig>[0];
  assert.is(isValidConfig(config('8.0')), true);
  assert.is(isValidConfig(config('10.0')), true);
  assert.is(isValidConfig(config('6.0')), false);
});

test("appsettings.json beside Program.cs: each connection string is a secret ConnectionStrings__<Name>, whatever the code passes", async () => {
  const dir = repo({
    'src/Site/Site.csproj': web(),
    'src/Site/Program.cs': 'var builder = WebApplication.CreateBuilder(args);\nvar cs = builder.Configuration.GetConnectionString(Names.Db);\n',
    'src/Site/appsettings.json':
      '\uFEFF{\n  "ConnectionStrings": {\n    "ShopDb": "Server=localhost;Database=shop",\n    "Cache": "localhost:6379"\n  },\n' +
      '  "Logging": { "LogLevel": { "Default": "Information" } }\n}\n',
    // Not the deployed app's: a library project's settings and a test's.
    'src/Lib/appsettings.json': '{ "ConnectionStrings": { "Other": "x" } }\n',
  });
  const env = await detectEnvVars(dir);
  assert.equal(
    env.map((e) => [e.name, e.locations]),
    [
      ['ConnectionStrings__Cache', ['src/Site/appsettings.json:4']],
      ['ConnectionStrings__ShopDb', ['src/Site/appsettings.json:3']],
    ],
  );
  const [config] = envFromFacts(env, 8080);
  assert.is(config?.secret, true);
});

test("of several web projects, the one the solution lists first (Visual Studio's startup project) is deployed, and the others are named", async () => {
  // Shop.sln lists Web first; All.sln (alphabetical, sorted before it) opens on a library and marks none.
  const facts = await detectDotnet(fixture('aspnet-two-web'));
  assert.is(facts?.project?.value, 'src/Web/Web.csproj');
  assert.is(facts?.assemblyName?.value, 'Web');
  assert.is(facts?.healthPath?.value, '/health');
  assert.equal(facts?.warnings, [
    'several web projects: src/PublicApi/PublicApi.csproj, src/Web/Web.csproj; using src/Web/Web.csproj ' +
      '(Shop.sln:6 lists it first: the project Visual Studio starts); src/PublicApi/PublicApi.csproj is not deployed by this kit. ' +
      'To deploy another instead, set `project` (and `start`, `dotnet <assembly>.dll`) in deploy-kit.yaml',
  ]);
  // No solution lists a web project first: path order, said so.
  const plain = repo({ 'global.json': '{}', 'src/Admin/Admin.csproj': web(), 'src/Site/Site.csproj': web() });
  const said = (await detectDotnet(plain))!.warnings[0]!;
  assert.match(said, /; using src\/Admin\/Admin\.csproj \(no solution lists a web project first: the first in path order\); src\/Site/);
});

test.run();
