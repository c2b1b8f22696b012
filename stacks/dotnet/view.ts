/** An ASP.NET Core service's template data: the project, the images, the probe. */
import type { ServiceConfig } from '../../src/config/types.js';
import { DOTNET_APP_USER, DOTNET_DEFAULT, dotnetRuntimeImage, dotnetSdkImage } from '../../src/versions.js';
import { inDir, probeForms } from '../shared.js';
import type { Probe, ServiceDirs, StackView } from '../types.js';
import type { DotnetStackView } from './types.js';

const PROBE_DLL = '/opt/healthcheck/healthcheck.dll';

/** A tiny C# program built beside the app and run by the image's own `dotnet`: chiseled images have no shell, curl or wget. */
export function dotnetProbe(): Probe {
  return probeForms(['dotnet', PROBE_DLL], `dotnet ${PROBE_DLL}`);
}

/** The probe's source, one printf argument per line (no single quotes). Without a route it only connects. */
function probeLines(port: number, healthPath: string | undefined): string[] {
  const check =
    healthPath === undefined
      ? [
          'using var client = new System.Net.Sockets.TcpClient();',
          'using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(4));',
          'await client.ConnectAsync("127.0.0.1", port, timeout.Token);',
          'return 0;',
        ]
      : [
          'using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };',
          `using var response = await http.GetAsync($"http://127.0.0.1:{port}${healthPath}");`,
          'return response.IsSuccessStatusCode ? 0 : 1;',
        ];
  return [`var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "${port}");`, 'try', '{', ...check, '}', 'catch (Exception)', '{', 'return 1;', '}'];
}

function probeProjectLines(tfm: string): string[] {
  return [
    '<Project Sdk="Microsoft.NET.Sdk">',
    '<PropertyGroup>',
    '<OutputType>Exe</OutputType>',
    `<TargetFramework>${tfm}</TargetFramework>`,
    '<ImplicitUsings>enable</ImplicitUsings>',
    '<UseAppHost>false</UseAppHost>',
    '<InvariantGlobalization>true</InvariantGlobalization>',
    '</PropertyGroup>',
    '</Project>',
  ];
}

export function dotnetView(s: ServiceConfig, { dir }: ServiceDirs): StackView {
  const languageVersion = s.languageVersion ?? DOTNET_DEFAULT;
  const project = s.project ?? `${s.name}.csproj`;
  const tfm = `net${languageVersion}`;
  const start = (s.start ?? `dotnet ${s.name}.dll`).split(/ +/);
  const projectDir = project.includes('/') ? project.slice(0, project.lastIndexOf('/')) : '';
  const lockfile = s.lockfile === true ? inDir(dir, inDir(projectDir, 'packages.lock.json')) : null;
  const dotnet: DotnetStackView = {
    project,
    skeletonFind: String.raw`-name '*.csproj' -o -name '*.fsproj' -o -name '*.sln' -o -name '*.slnx' -o -name '*.props' -o -name '*.targets' -o -name global.json -o -iname nuget.config -o -name packages.lock.json`,
    restoreFlags: s.lockfile === true ? ' --locked-mode' : '',
    tfm,
    entrypoint: JSON.stringify(start),
    probeLines: probeLines(s.port, s.healthPath),
    probeProjectLines: probeProjectLines(tfm),
    probeDll: PROBE_DLL,
    user: DOTNET_APP_USER,
    cache: lockfile !== null,
  };
  return {
    testJob: true,
    languageVersion,
    baseImage: dotnetSdkImage(languageVersion),
    runtimeImage: dotnetRuntimeImage(languageVersion),
    lockfilePath: lockfile,
    ciCacheFiles: [lockfile ?? inDir(dir, project)],
    imageSummary: `ASP.NET Core on .NET ${languageVersion}, the chiseled runtime image`,
    runsAs: `the image's unprivileged \`app\` user (uid ${DOTNET_APP_USER.split(':')[0]})`,
    user: DOTNET_APP_USER,
    // The .NET host stops the app on SIGTERM itself (graceful shutdown, 30 s by default), even as PID 1.
    tiniNeeded: false,
    dotnet,
  };
}
