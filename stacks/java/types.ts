/** A Java or Kotlin service built by Maven or Gradle: what detection learns about it, and what its templates read. */
import type { Fact } from '../../src/detect/fact.js';

export type JavaFramework = 'spring-boot' | 'quarkus' | 'micronaut';
export type JavaBuildTool = 'maven' | 'gradle';
/** The migration tool the framework runs when the app starts. */
export type StartMigrations = 'flyway' | 'liquibase';

/** An application.properties/.yml the framework reads: its repo-relative path and text. */
export interface ConfigFile {
  file: string;
  text: string;
}

export interface JavaFacts {
  path: string;
  buildTool: Fact<JavaBuildTool>;
  /** pom.xml, build.gradle.kts or build.gradle (relative to the service). */
  buildFile: string;
  /** mvnw or gradlew, when committed (the image and CI build with it). */
  wrapper?: Fact<string>;
  /** The build lists subprojects or modules (settings' include, pom's <modules>): the root itself may be no app. */
  multiProject?: boolean;
  /** A Gradle subproject the root's settings include, or a Maven module its pom lists: the repository-relative root it builds from ("."). */
  buildRoot?: Fact<string>;
  /** The Java release the build compiles for, e.g. "21". */
  javaVersion?: Fact<string>;
  framework?: Fact<JavaFramework>;
  /** The framework's version from the build file (Spring Boot's decides how its jar is split into layers). */
  frameworkVersion?: Fact<string>;
  /** A web server dependency (spring-boot-starter-web/webmvc/webflux, quarkus-rest, micronaut-http-server). */
  web?: Fact<boolean>;
  /**
   * The build runs the front end's npm build itself (frontend-maven-plugin, Gradle's node plugin):
   * the package.json beside it is part of this service, not a Node app of its own.
   */
  frontendBuild?: Fact<string>;
  /** Kotlin sources or the Kotlin plugin: shown, nothing in the image changes. */
  kotlin?: Fact<boolean>;
  /** Flyway or Liquibase, run by the framework when the app starts (Spring Boot by default, Quarkus and Micronaut when configured to). */
  migrateOnStart?: Fact<StartMigrations>;
  port?: Fact<number>;
  healthPath?: Fact<string>;
  warnings: string[];
}

/** The service view's `java` field: what its templates read. */
export interface JavaStackView {
  maven: boolean;
  gradle: boolean;
  /** ./mvnw or ./gradlew. */
  wrapper: string;
  /** The wrapper from the service's directory: mvnw, gradlew, or ../mvnw, ../gradlew for a subproject built from the root. */
  wrapperFile: string;
  /** Maven: the command that resolves the build's dependencies and plugins into their own layer. */
  goOffline: string;
  /** Maven: `find` tests selecting the build files the dependency layer is made from. */
  skeletonFind: string;
  /** The command that builds the deployable artifact in the build stage. */
  packageCommand: string;
  /** The directory the build writes to (target or build). */
  outDir: string;
  springBoot: boolean;
  quarkus: boolean;
  micronaut: boolean;
  /** Spring Boot 3.3+: `-Djarmode=tools ... extract --layers --launcher`; older: layertools. */
  bootTools: boolean;
  /** Spring Boot's JarLauncher class for its version. */
  bootLauncher: string;
  /** The jar glob after the build (Micronaut's Gradle shadow jar is *-all.jar). */
  jarGlob: string;
  /** Environment the runtime stage sets: the port and graceful shutdown for the framework. */
  env: Array<{ name: string; value: string }>;
  javaToolOptions: string;
  user: string;
}
