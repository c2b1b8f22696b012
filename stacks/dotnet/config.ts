/** What `init` takes from an ASP.NET Core service's facts. */
import type { ServiceConfig } from '../../src/config/types.js';
import { DOTNET_DEFAULT } from '../../src/versions.js';
import { TCP_HEALTH, detected } from '../shared.js';
import type { Detected, ServiceAnswers, ServiceQuestions } from '../types.js';
import type { DotnetFacts } from './types.js';

/** An ASP.NET Core project (Microsoft.NET.Sdk.Web) is a service; a class library or a console tool is not. */
export function dotnetDeployable(f: DotnetFacts): string | undefined {
  return f.web && f.project ? `ASP.NET Core project: ${f.web.evidence}` : undefined;
}

export function dotnetQuestions(f: DotnetFacts): ServiceQuestions {
  // `dotnet <assembly>.dll` is the command: nothing to ask. ASP.NET Core images listen on 8080 since .NET 8.
  return { port: detected(f.port), healthPath: detected(f.healthPath), start: undefined, needsStart: false, fallback: { port: '8080', healthPath: TCP_HEALTH } };
}

export function dotnetLanguageVersion(f: DotnetFacts): Detected {
  if (f.dotnetVersion) return { value: f.dotnetVersion.value, evidence: f.dotnetVersion.evidence };
  return { value: DOTNET_DEFAULT, evidence: `no TargetFramework or global.json: .NET ${DOTNET_DEFAULT} (the current LTS)` };
}

export function dotnetConfig(f: DotnetFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  const project = f.project?.value ?? `${base.name}.csproj`;
  return {
    ...base,
    stack: 'dotnet',
    framework: 'aspnetcore',
    project,
    ...(f.lockfile ? { lockfile: true } : {}),
    languageVersion: a.languageVersion ?? f.dotnetVersion?.value ?? DOTNET_DEFAULT,
    test: a.test ?? `dotnet test ${f.solution?.value ?? project}`,
    start: a.start ?? `dotnet ${f.assemblyName?.value ?? base.name}.dll`,
    port: a.port,
    ...(a.healthPath !== undefined ? { healthPath: a.healthPath } : {}),
  };
}
