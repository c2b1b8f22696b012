/**
 * doctor's rows for the JVM and .NET stacks: what makes their builds reproducible (the build
 * tool's wrapper, a pinned Java release, NuGet's lock file), read from detection's facts.
 */
import type { RepoFacts } from '../detect/types.js';
import type { Finding as DoctorFinding } from '../validate/types.js';

const inDir = (path: string, file: string): string => (path === '.' ? file : `${path}/${file}`);

export function auditJvmStacks(facts: RepoFacts): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  for (const s of facts.services ?? []) {
    if (s.stack === 'java') {
      const f = s.facts;
      const file = inDir(f.path, f.buildFile);
      if (!f.wrapper) {
        const maven = f.buildTool.value === 'maven';
        const tool = maven ? 'Maven' : 'Gradle';
        out.push({
          rule: 'java/no-wrapper', severity: 'error', file,
          message: `no ${maven ? 'mvnw' : 'gradlew'}: the image and CI build with the wrapper, which pins the ${tool} version every build uses`,
          fix: `run \`${maven ? 'mvn wrapper:wrapper' : 'gradle wrapper'}\` and commit ${maven ? 'mvnw and .mvn/wrapper/' : 'gradlew and gradle/wrapper/'}`,
        });
      }
      if (!f.javaVersion) {
        out.push({
          rule: 'java/no-release', severity: 'warning', file,
          message: 'the build pins no Java release: javac targets whatever JDK runs it, so CI, the image and a laptop can build different bytecode',
          fix: f.buildTool.value === 'maven'
            ? 'set <maven.compiler.release> (or <java.version> with Spring Boot) in pom.xml'
            : 'set java { toolchain { languageVersion = JavaLanguageVersion.of(21) } } in the build script',
        });
      }
    }
    if (s.stack === 'dotnet' && s.facts.project && !s.facts.lockfile) {
      out.push({
        rule: 'dotnet/no-lockfile', severity: 'warning', file: inDir(s.facts.path, s.facts.project.value),
        message: 'no packages.lock.json: each restore resolves floating and transitive NuGet versions anew, and CI cannot key its package cache',
        fix: 'set <RestorePackagesWithLockFile>true</RestorePackagesWithLockFile> in the project, run `dotnet restore` and commit packages.lock.json',
      });
    }
  }
  return out;
}
