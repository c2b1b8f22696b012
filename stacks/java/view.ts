/** A Java service's template data: the build tool, the framework's jar layout, the images, the probe. */
import type { ServiceConfig } from '../../src/config/types.js';
import { JAVA_DEFAULT, javaBuildImage, javaRuntimeImage } from '../../src/versions.js';
import { appPortEnv, inDir, probeForms } from '../shared.js';
import type { Probe, ServiceDirs, StackView } from '../types.js';
import { upTo } from './config.js';
import type { JavaStackView } from './types.js';

/** The uid:gid the runtime stage creates (the Ubuntu base's own `ubuntu` user is removed first). */
const JAVA_USER = '1000:1000';

/**
 * bash's /dev/tcp: the Temurin JRE images are Ubuntu with bash, head and grep, but no curl or wget.
 * Without a route it only connects; with one it wants a 200 status line.
 */
export function javaProbe(s: Pick<ServiceConfig, 'port' | 'healthPath'>): Probe {
  const connect = `exec 3<>/dev/tcp/127.0.0.1/${s.port}`;
  const sh =
    s.healthPath === undefined
      ? connect
      : `${connect} && printf "GET ${s.healthPath} HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n" >&3 && head -n 1 <&3 | grep -q " 200 "`;
  return probeForms(['bash', '-c', sh], `bash -c '${sh}'`);
}

/** "3.3.1" >= 3.3; an unknown version is taken as current. */
function atLeast(version: string | undefined, major: number, minor: number): boolean {
  if (!version) return true;
  const [a = 0, b = 0] = version.split('.').map((n) => Number.parseInt(n, 10));
  return a > major || (a === major && b >= minor);
}

/**
 * What each framework's build writes, and the command that builds it (tests run in CI, not in the
 * image). `sub` is a Gradle subproject's or Maven module's directory inside the build root ("" for
 * the root project): Maven builds it with the modules it depends on (`-pl app -am`).
 */
function packaging(s: ServiceConfig, maven: boolean, sub: string): { packageCommand: string; jarGlob: string } {
  const outDir = `${sub ? `${sub}/` : ''}${maven ? 'target' : 'build/libs'}`;
  if (maven) return { packageCommand: `./mvnw -B -ntp${sub ? ` -pl ${sub} -am` : ''} package -DskipTests`, jarGlob: `${outDir}/*.jar` };
  const gradlew = `./gradlew --no-daemon${sub ? ` -p ${sub}` : ''}`;
  if (s.framework === 'spring-boot') return { packageCommand: `${gradlew} bootJar`, jarGlob: `${outDir}/*.jar` };
  if (s.framework === 'quarkus') return { packageCommand: `${gradlew} quarkusBuild`, jarGlob: `${outDir}/*.jar` };
  // Micronaut's Gradle projects build their runnable jar with the shadow plugin.
  return { packageCommand: `${gradlew} shadowJar`, jarGlob: `${outDir}/*-all.jar` };
}

export function javaView(s: ServiceConfig, { dir, workspaceDir }: ServiceDirs): StackView {
  const languageVersion = s.languageVersion ?? JAVA_DEFAULT;
  const maven = s.packageManager !== 'gradle';
  // A Gradle subproject or Maven module built from the root: its directory inside the root's build.
  const sub = workspaceDir === null ? '' : workspaceDir === '' ? dir : dir.slice(workspaceDir.length + 1);
  const springBoot = s.framework === 'spring-boot';
  const quarkus = s.framework === 'quarkus';
  const micronaut = s.framework === 'micronaut';
  const env: JavaStackView['env'] = [{ name: 'PORT', value: String(s.port) }, ...appPortEnv(s)];
  if (springBoot) env.push({ name: 'SERVER_PORT', value: String(s.port) }, { name: 'SERVER_SHUTDOWN', value: 'graceful' });
  if (quarkus) env.push({ name: 'QUARKUS_HTTP_PORT', value: String(s.port) }, { name: 'QUARKUS_SHUTDOWN_TIMEOUT', value: '10' });
  // Micronaut 4.9+ drains in-flight requests on SIGTERM only when asked (off by default; older 4.x ignores the keys).
  if (micronaut) {
    env.push(
      { name: 'MICRONAUT_SERVER_PORT', value: String(s.port) },
      { name: 'MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_ENABLED', value: 'true' },
      { name: 'MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_GRACE_PERIOD', value: '10s' },
    );
  }
  const java: JavaStackView = {
    maven,
    gradle: !maven,
    wrapper: maven ? './mvnw' : './gradlew',
    wrapperFile: `${sub ? `${upTo(sub)}/` : ''}${maven ? 'mvnw' : 'gradlew'}`,
    goOffline: `./mvnw -B -ntp${sub ? ` -pl ${sub} -am` : ''} dependency:go-offline`,
    skeletonFind: String.raw`-name pom.xml -o -name mvnw -o -path './.mvn/*'`,
    ...packaging(s, maven, sub),
    outDir: `${sub ? `${sub}/` : ''}${maven ? 'target' : 'build'}`,
    springBoot,
    quarkus,
    micronaut,
    bootTools: atLeast(s.frameworkVersion, 3, 3),
    bootLauncher: atLeast(s.frameworkVersion, 3, 2) ? 'org.springframework.boot.loader.launch.JarLauncher' : 'org.springframework.boot.loader.JarLauncher',
    env,
    javaToolOptions: '-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError',
    user: JAVA_USER,
  };
  const buildFile = maven ? 'pom.xml' : 'build.gradle.kts';
  const framework = springBoot ? 'Spring Boot' : quarkus ? 'Quarkus' : micronaut ? 'Micronaut' : 'Java';
  return {
    testJob: true,
    languageVersion,
    baseImage: javaBuildImage(languageVersion),
    runtimeImage: javaRuntimeImage(languageVersion),
    // A module's dependencies are updated, and CI's cache keyed, on the reactor's root pom.xml too.
    lockfilePath: maven ? inDir(workspaceDir ?? dir, buildFile) : null,
    ciCacheFiles: maven
      ? [...(workspaceDir === null ? [] : [inDir(workspaceDir, 'pom.xml')]), inDir(dir, 'pom.xml')]
      : [inDir(workspaceDir ?? dir, 'gradle/wrapper/gradle-wrapper.properties')],
    imageSummary: `${framework} on the Java ${languageVersion} JRE, built by ${maven ? 'Maven' : 'Gradle'}`,
    runsAs: 'the unprivileged `app` user (uid 1000)',
    user: JAVA_USER,
    // JDBC drivers take no `postgresql://user:password@` URL: the JDBC form, credentials as parameters (pgjdbc reads them).
    postgresUrl: 'jdbc:postgresql://postgres:5432/${POSTGRES_DB:-app}?user=${POSTGRES_USER:-app}&password=${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}',
    // A JVM framework takes seconds to start on a small CPU share: probes count from a minute on.
    startPeriod: 60,
    // The JVM installs its own SIGTERM handler (shutdown hooks run), even as PID 1.
    tiniNeeded: false,
    java,
  };
}
