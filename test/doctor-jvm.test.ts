import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectRepo } from '../src/detect/index.js';
import { auditJvmStacks } from '../src/doctor/jvm.js';
import { scratch } from './_scratch.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const dirs = scratch('doctor-jvm');
const repo = dirs.files;
test.after(dirs.cleanup);

const rows = async (dir: string) => auditJvmStacks(await detectRepo(dir)).map((f) => `${f.severity} ${f.rule} ${f.file}`);

test('the fixtures pin their wrapper, Java release and NuGet lock file: no rows', async () => {
  for (const name of ['spring-maven', 'spring-gradle-kts', 'quarkus-api', 'aspnet-minimal']) assert.equal(await rows(fixture(name)), [], name);
});

test('no wrapper and no release is an error and a warning on the build file; a project without packages.lock.json a warning', async () => {
  const gradle = repo({
    'services/api/build.gradle': "plugins { id 'io.quarkus' version '3.15.1' }\ndependencies { implementation 'io.quarkus:quarkus-rest' }\n",
  });
  assert.equal(await rows(gradle), ['error java/no-wrapper services/api/build.gradle', 'warning java/no-release services/api/build.gradle']);
  const findings = auditJvmStacks(await detectRepo(gradle));
  assert.match(findings[0]?.fix ?? '', /gradle wrapper/);
  const dotnet = repo({
    'Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n',
  });
  assert.equal(await rows(dotnet), ['warning dotnet/no-lockfile Api.csproj']);
});

test.run();
