/** An ASP.NET Core service: what detection learns about it, and what its templates read. */
import type { Fact } from '../../src/detect/fact.js';

export interface DotnetFacts {
  path: string;
  /** The solution file (.sln or .slnx) at the service's path, when there is one: CI tests it. */
  solution?: Fact<string>;
  /** The web project to publish, relative to the service's path, e.g. "src/Api/Api.csproj". */
  project?: Fact<string>;
  /** ASP.NET Core: the project uses Microsoft.NET.Sdk.Web. */
  web?: Fact<boolean>;
  /** "8.0", from the project's TargetFramework (net8.0), else global.json's SDK. */
  dotnetVersion?: Fact<string>;
  /** The assembly the publish step writes (<AssemblyName>, else the project file's name). */
  assemblyName?: Fact<string>;
  /** packages.lock.json beside the project: restore runs in locked mode, CI caches on it. */
  lockfile?: Fact<string>;
  port?: Fact<number>;
  healthPath?: Fact<string>;
  warnings: string[];
}

/** The service view's `dotnet` field: what its templates read. */
export interface DotnetStackView {
  /** The project to restore and publish, relative to the build context. */
  project: string;
  /** `find` tests selecting what restore reads: project files, props and targets, global.json, NuGet config, lock files. */
  skeletonFind: string;
  /** `--locked-mode` when packages.lock.json is committed, else "". */
  restoreFlags: string;
  /** The target framework moniker, e.g. "net10.0". */
  tfm: string;
  /** ENTRYPOINT as JSON: ["dotnet", "Api.dll"]. */
  entrypoint: string;
  /** The C# health probe's source and project file, one printf argument per line (no single quotes). */
  probeLines: string[];
  probeProjectLines: string[];
  probeDll: string;
  user: string;
  /** CI caches NuGet packages (setup-dotnet needs packages.lock.json for its key). */
  cache: boolean;
}
