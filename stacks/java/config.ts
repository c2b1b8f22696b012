/** What `init` takes from a Java service's facts. */
import type { ServiceConfig } from '../../src/config/types.js';
import { JAVA_DEFAULT } from '../../src/versions.js';
import { TCP_HEALTH, detected } from '../shared.js';
import type { Detected, ServiceAnswers, ServiceQuestions } from '../types.js';
import { FRAMEWORK_NAMES } from './detect.js';
import type { JavaFacts } from './types.js';

/** A Spring Boot, Quarkus or Micronaut app with an HTTP server is a service; a library or a batch job is not. */
export function javaDeployable(f: JavaFacts): string | undefined {
  if (!f.framework) return undefined;
  if (!f.web) return undefined;
  return `${f.framework.value} web app: ${f.web.evidence}`;
}

/**
 * Why the repository's own build is no service: a framework app without its HTTP server dependency
 * (a module of a multi-module build, or the root that lists them, is said nothing about).
 */
export function javaNotDeployed(f: JavaFacts): string | undefined {
  if (f.path !== '.' || f.multiProject || !f.framework || f.web) return undefined;
  const { name, server } = FRAMEWORK_NAMES[f.framework.value];
  return (
    `${f.buildFile}: a ${name} app (${f.framework.evidence}) with no HTTP server dependency, so no web service to deploy; ` +
    `if it serves HTTP, add ${server} to ${f.buildFile}`
  );
}

export function javaQuestions(f: JavaFacts): ServiceQuestions {
  // The framework starts the server from the jar: nothing to ask.
  return { port: detected(f.port), healthPath: detected(f.healthPath), start: undefined, needsStart: false, fallback: { port: '8080', healthPath: TCP_HEALTH } };
}

export function javaLanguageVersion(f: JavaFacts): Detected {
  if (f.javaVersion) return { value: f.javaVersion.value, evidence: f.javaVersion.evidence };
  return { value: JAVA_DEFAULT, evidence: `no Java release in the build file, .java-version or .sdkmanrc: Java ${JAVA_DEFAULT} (the newest LTS)` };
}

/** The relative way up from `path` to the repository root: "app" -> "..", "services/api" -> "../..". */
export const upTo = (path: string): string => path.split('/').map(() => '..').join('/');

/**
 * CI's test command, run in the service's directory. A subproject's tests use the root's wrapper:
 * Gradle finds the root's settings itself; Maven is pointed at the root's pom and builds the
 * module with the modules it depends on (`-pl` is relative to that pom's directory).
 */
function javaTest(f: JavaFacts, maven: boolean): string {
  const up = f.buildRoot ? upTo(f.path) : '.';
  if (!maven) return `${up}/gradlew test --no-daemon`;
  return f.buildRoot ? `${up}/mvnw -B -f ${up}/pom.xml -pl ${f.path} -am verify` : './mvnw -B verify';
}

export function javaConfig(f: JavaFacts, base: { name: string; path: string }, a: ServiceAnswers): ServiceConfig {
  const maven = f.buildTool.value === 'maven';
  return {
    ...base,
    stack: 'java',
    framework: f.framework?.value ?? 'none',
    ...(f.frameworkVersion ? { frameworkVersion: f.frameworkVersion.value } : {}),
    packageManager: f.buildTool.value,
    languageVersion: a.languageVersion ?? f.javaVersion?.value ?? JAVA_DEFAULT,
    test: a.test ?? javaTest(f, maven),
    ...(f.buildRoot ? { workspaceRoot: f.buildRoot.value } : {}),
    ...(f.migrateOnStart ? { migrateOnStart: f.migrateOnStart.value } : {}),
    port: a.port,
    ...(a.healthPath !== undefined ? { healthPath: a.healthPath } : {}),
  };
}
