import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectEnvVars } from '../src/detect/env.js';
import { detectServices } from '../src/detect/services.js';
import { javaConfig, javaDeployable, javaLanguageVersion } from '../stacks/java/config.js';
import { detectJava } from '../stacks/java/detect.js';
import { javaProbe, javaView } from '../stacks/java/view.js';
import { JAVA_DEFAULT } from '../src/versions.js';
import { renderScenario } from './_render.js';
import { scratch } from './_scratch.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const dirs = scratch('java');
const repo = dirs.files;
test.after(dirs.cleanup);

const pom = (body: string) => `<project>\n  <modelVersion>4.0.0</modelVersion>\n${body}\n</project>\n`;
const dep = (group: string, artifact: string) =>
  `    <dependency>\n      <groupId>${group}</groupId>\n      <artifactId>${artifact}</artifactId>\n    </dependency>`;

test('Spring Boot on Maven: wrapper, Java release, Boot version, web starter, port and Actuator, each with its evidence', async () => {
  const facts = await detectJava(fixture('spring-maven'));
  assert.equal(facts, {
    path: '.',
    buildTool: { value: 'maven', evidence: 'pom.xml present' },
    buildFile: 'pom.xml',
    warnings: [],
    wrapper: { value: 'mvnw', evidence: 'mvnw present' },
    javaVersion: { value: '21', evidence: 'pom.xml:13 <java.version>21</java.version>' },
    framework: { value: 'spring-boot', evidence: 'pom.xml:6 <artifactId>spring-boot-starter-parent</artifactId>' },
    frameworkVersion: { value: '3.5.6', evidence: 'pom.xml <artifactId>spring-boot-starter-parent</artifactId> <version>3.5.6</version>' },
    web: { value: true, evidence: 'pom.xml:18 <artifactId>spring-boot-starter-web</artifactId>' },
    port: { value: 8081, evidence: 'src/main/resources/application.properties:2 server.port=${PORT:8081}' },
    healthPath: { value: '/actuator/health', evidence: 'pom.xml:22 <artifactId>spring-boot-starter-actuator</artifactId> (Spring Boot Actuator)' },
  });
  assert.equal(
    (await detectServices(fixture('spring-maven'))).map((s) => [s.stack, s.path, s.evidence]),
    [['java', '.', 'spring-boot web app: pom.xml:18 <artifactId>spring-boot-starter-web</artifactId>']],
  );
  const config = javaConfig(facts!, { name: 'app', path: '.' }, { port: 8081, healthPath: '/actuator/health', build: null, test: null });
  assert.equal(config, {
    name: 'app',
    path: '.',
    stack: 'java',
    framework: 'spring-boot',
    frameworkVersion: '3.5.6',
    packageManager: 'maven',
    languageVersion: '21',
    test: './mvnw -B verify',
    port: 8081,
    healthPath: '/actuator/health',
  });
  const view = javaView(config, { dir: '', workspaceDir: null });
  assert.is(view.baseImage, 'eclipse-temurin:21-jdk-noble');
  assert.is(view.runtimeImage, 'eclipse-temurin:21-jre-noble');
  assert.ok(view.java?.bootTools, 'Boot 3.5 extracts with jarmode=tools');
  assert.is(view.java?.bootLauncher, 'org.springframework.boot.loader.launch.JarLauncher');
  assert.equal(view.java?.env, [
    { name: 'PORT', value: '8081' },
    { name: 'SERVER_PORT', value: '8081' },
    { name: 'SERVER_SHUTDOWN', value: 'graceful' },
  ]);
  assert.match(view.postgresUrl ?? '', /^jdbc:postgresql:\/\/postgres:5432\//);
});

test('Spring Boot on Gradle with the Kotlin DSL: toolchain release, plugin version, a controller route under its class prefix', async () => {
  const facts = (await detectJava(fixture('spring-gradle-kts')))!;
  assert.equal(facts.buildTool, { value: 'gradle', evidence: 'build.gradle.kts present' });
  assert.equal(facts.wrapper, { value: 'gradlew', evidence: 'gradlew present' });
  assert.equal(facts.javaVersion, { value: '17', evidence: 'build.gradle.kts:13 languageVersion = JavaLanguageVersion.of(17)' });
  assert.equal(facts.frameworkVersion?.value, '3.2.5');
  assert.equal(facts.web?.evidence, 'build.gradle.kts:22 implementation("org.springframework.boot:spring-boot-starter-webflux")');
  assert.equal(facts.kotlin?.value, true);
  // No Actuator: the route the code maps, never an invented one.
  assert.equal(facts.healthPath, {
    value: '/api/health',
    evidence: 'src/main/kotlin/com/example/catalog/StatusController.kt:10 @GetMapping("/health") (class prefix /api)',
  });
  assert.is(facts.port, undefined);
  const view = javaView(javaConfig(facts, { name: 'app', path: '.' }, { port: 8080, build: null, test: null }), { dir: '', workspaceDir: null });
  // Boot 3.2: layertools (jarmode=tools came in 3.3), the launcher in its 3.2 package.
  assert.not.ok(view.java?.bootTools);
  assert.is(view.java?.bootLauncher, 'org.springframework.boot.loader.launch.JarLauncher');
  assert.is(view.java?.packageCommand, './gradlew --no-daemon bootJar');
  assert.is(javaConfig(facts, { name: 'app', path: '.' }, { port: 8080, build: null, test: null }).test, './gradlew test --no-daemon');
});

test('Quarkus on Maven: maven.compiler.release, the platform version, /q/health from SmallRye Health', async () => {
  const facts = (await detectJava(fixture('quarkus-api')))!;
  assert.equal(facts.framework?.value, 'quarkus');
  assert.equal(facts.frameworkVersion?.value, '3.15.1');
  assert.equal(facts.javaVersion, { value: '21', evidence: 'pom.xml:8 <maven.compiler.release>21</maven.compiler.release>' });
  assert.equal(facts.web?.evidence, 'pom.xml:26 <artifactId>quarkus-rest</artifactId>');
  assert.equal(facts.healthPath, { value: '/q/health', evidence: 'pom.xml:30 <artifactId>quarkus-smallrye-health</artifactId> (SmallRye Health)' });
  assert.equal(facts.port, { value: 8080, evidence: 'src/main/resources/application.properties:1 quarkus.http.port=8080' });
  const view = javaView(javaConfig(facts, { name: 'app', path: '.' }, { port: 8080, healthPath: '/q/health', build: null, test: null }), {
    dir: '',
    workspaceDir: null,
  });
  assert.ok(view.java?.quarkus);
  assert.equal(
    view.java?.env.map((e) => e.name),
    ['PORT', 'QUARKUS_HTTP_PORT', 'QUARKUS_SHUTDOWN_TIMEOUT'],
  );
});

test('no wrapper, Boot 2.7 and a management port: warnings, layertools and the old launcher, no Actuator route', async () => {
  const dir = repo({
    'pom.xml': pom(
      '  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n' +
        '    <version>2.7.18</version>\n  </parent>\n' +
        `  <dependencies>\n${dep('org.springframework.boot', 'spring-boot-starter-web')}\n` +
        `${dep('org.springframework.boot', 'spring-boot-starter-actuator')}\n  </dependencies>`,
    ),
    'src/main/resources/application.yml': 'server:\n  port: 9090\nmanagement:\n  server:\n    port: 9091\n',
    '.java-version': '11.0.22\n',
  });
  const facts = (await detectJava(dir))!;
  assert.equal(facts.warnings, [
    'no mvnw: the image and CI build with the wrapper, which pins the maven version; run `mvn wrapper:wrapper` and commit it',
    "Spring Boot Actuator answers on its own port (src/main/resources/application.yml:5 port: 9091): the probes use the app's routes or TCP instead",
  ]);
  assert.equal(facts.javaVersion, { value: '11', evidence: '.java-version "11.0.22"' });
  assert.equal(facts.port, { value: 9090, evidence: 'src/main/resources/application.yml:2 port: 9090' });
  assert.is(facts.healthPath, undefined);
  const view = javaView(javaConfig(facts, { name: 'app', path: '.' }, { port: 9090, build: null, test: null }), { dir: '', workspaceDir: null });
  assert.not.ok(view.java?.bootTools);
  assert.is(view.java?.bootLauncher, 'org.springframework.boot.loader.JarLauncher');
  // No route: the probe only connects.
  assert.equal(javaProbe({ port: 9090 }).healthCheckArgs, '["bash","-c","exec 3<>/dev/tcp/127.0.0.1/9090"]');
});

test('Micronaut on Gradle (Groovy DSL) with management; a JAX-RS route needs @GET; .sdkmanrc; libraries are not services', async () => {
  const micronaut = repo({
    'build.gradle':
      'plugins {\n  id("io.micronaut.application") version "4.4.2"\n}\njava { sourceCompatibility = JavaVersion.toVersion("21") }\n' +
      'dependencies {\n  implementation("io.micronaut:micronaut-http-server-netty")\n  implementation("io.micronaut:micronaut-management")\n}\n',
    gradlew: '#!/bin/sh\n',
    '.sdkmanrc': 'java=21.0.5-tem\n',
  });
  const m = (await detectJava(micronaut))!;
  assert.equal(m.framework?.value, 'micronaut');
  assert.equal(m.healthPath?.value, '/health');
  assert.equal(m.javaVersion, { value: '21', evidence: '.sdkmanrc:1 java=21.0.5-tem' });
  const mv = javaView(javaConfig(m, { name: 'app', path: '.' }, { port: 8080, build: null, test: null }), { dir: '', workspaceDir: null });
  assert.is(mv.java?.jarGlob, 'build/libs/*-all.jar');
  // Graceful shutdown is off by default in Micronaut (4.9+): the image turns it on, as Spring Boot's and Quarkus's do theirs.
  assert.equal(mv.java?.env, [
    { name: 'PORT', value: '8080' },
    { name: 'MICRONAUT_SERVER_PORT', value: '8080' },
    { name: 'MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_ENABLED', value: 'true' },
    { name: 'MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_GRACE_PERIOD', value: '10s' },
  ]);

  const jaxrs = repo({
    'pom.xml': pom(`  <dependencies>\n${dep('io.quarkus', 'quarkus-rest')}\n  </dependencies>`),
    'src/main/java/a/Ops.java':
      '@Path("/ops")\npublic class Ops {\n  @POST\n  @Path("/ping")\n  public void post() {}\n\n' +
      '  @GET\n  @Path("/health")\n  public String health() { return "ok"; }\n}\n',
  });
  const j = (await detectJava(jaxrs))!;
  assert.equal(j.healthPath, { value: '/ops/health', evidence: 'src/main/java/a/Ops.java:8 @Path("/health") (class prefix /ops)' });
  assert.equal(javaLanguageVersion(j).value, JAVA_DEFAULT);

  const war = repo({
    'pom.xml': pom(
      `  <packaging>war</packaging>\n  <dependencies>\n${dep('org.springframework.boot', 'spring-boot-starter-web')}\n  </dependencies>`,
    ),
    mvnw: '#!/bin/sh\n',
  });
  assert.equal((await detectJava(war))!.warnings, [
    'the build makes a war (pom.xml:3 <packaging>war</packaging>): the image runs an executable jar; package a jar for this service',
    "no Spring Boot version in pom.xml: the image extracts the jar's layers as Spring Boot 3.3+ does (jarmode tools)",
  ]);

  const old = repo({
    'build.gradle':
      "plugins { id 'org.springframework.boot' version '2.3.12.RELEASE' }\n" +
      "dependencies { implementation 'org.springframework.boot:spring-boot-starter-web' }\n",
    gradlew: '',
  });
  assert.match((await detectJava(old))!.warnings.join('\n'), /Spring Boot 2\.3\.12\.RELEASE .* builds no layered jar/);

  // gradle init's layout: the wrapper and settings at the root, the app in app/.
  const init = repo({
    'settings.gradle.kts': 'rootProject.name = "demo"\ninclude("app")\n',
    gradlew: '#!/bin/sh\n',
    'app/build.gradle.kts':
      'plugins { id("io.micronaut.application") version "4.4.2" }\ndependencies { implementation("io.micronaut:micronaut-http-server-netty") }\n',
  });
  // It builds from the root, with the root's wrapper: nothing to warn about.
  assert.equal(
    (await detectServices(init)).map((s) => [s.stack, s.path, s.facts.warnings, (s.facts as { buildRoot?: unknown }).buildRoot]),
    [['java', 'app', [], { value: '.', evidence: 'settings.gradle.kts:2 include("app")' }]],
  );
  // A wrapper at the root whose settings do not include the directory: it cannot build there.
  const stray = repo({
    'settings.gradle.kts': 'rootProject.name = "demo"\n',
    gradlew: '#!/bin/sh\n',
    'app/build.gradle.kts':
      'plugins { id("io.micronaut.application") version "4.4.2" }\ndependencies { implementation("io.micronaut:micronaut-http-server-netty") }\n',
  });
  assert.equal(
    (await detectServices(stray)).map((s) => [s.stack, s.path, s.facts.warnings]),
    [
      [
        'java',
        'app',
        [
          'app/build.gradle.kts is part of the Gradle build at the repository root (gradlew is there), which does not list it: ' +
            "the Dockerfile and CI build app on its own, which fails without its own gradlew and the root's plugins; " +
            'add include("app") to the root\'s settings and run init again (the image then builds it from the root with ' +
            '`./gradlew :app:shadowJar`), or make it build alone',
        ],
      ],
    ],
  );

  const library = repo({ 'pom.xml': pom(`  <dependencies>\n${dep('org.springframework.boot', 'spring-boot-starter')}\n  </dependencies>`) });
  assert.is(javaDeployable((await detectJava(library))!), undefined);
  assert.equal(await detectServices(library), []);
});

test("env vars: System.getenv in Java and Kotlin, upper-case placeholders in the default profile's application config only", async () => {
  const env = await detectEnvVars(fixture('spring-maven'));
  assert.equal(
    env.map((e) => [e.name, e.locations]),
    [
      ['APP_VERSION', ['src/main/java/com/example/orders/OrdersApplication.java:13']],
      ['DATABASE_PASSWORD', ['src/main/resources/application.properties:5']],
      ['DATABASE_URL', ['src/main/resources/application.properties:3']],
      ['DATABASE_USER', ['src/main/resources/application.properties:4']],
      ['PORT', ['src/main/resources/application.properties:2']],
    ],
  );
  const kotlin = await detectEnvVars(fixture('spring-gradle-kts'));
  assert.equal(
    kotlin.map((e) => e.name),
    ['CATALOG_REGION'],
  );
  const other = repo({
    'compose.yml': 'x: ${NOT_READ_BY_APP}\n',
    'src/main/resources/application.yml': 'a: ${APP_KEY:x}\nb: ${spring.application.name}\n',
    // A profile's file counts only when the profile is on (spring-petclinic's application-postgres.properties).
    'src/main/resources/application-postgres.properties': 'spring.datasource.password=${POSTGRES_PASS:petclinic}\n',
  });
  assert.equal(
    (await detectEnvVars(other)).map((e) => e.name),
    ['APP_KEY'],
  );
});

test("a Micronaut image's runtime stage turns graceful shutdown on, and its comment says so", async () => {
  const files = await renderScenario({
    version: 1,
    name: 'orders-micronaut',
    services: [
      {
        name: 'app',
        path: '.',
        stack: 'java',
        framework: 'micronaut',
        packageManager: 'gradle',
        languageVersion: '21',
        test: null,
        port: 8080,
        healthPath: '/health',
      },
    ],
    branches: { production: 'main', staging: null },
    ci: { provider: 'github' },
    targets: [{ type: 'compose' }],
    env: [],
  });
  const dockerfile = files.find((f) => f.path === 'Dockerfile')!.content;
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  assert.match(runtime, /^ {4}MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_ENABLED=true \\$/m);
  assert.match(runtime, /^ {4}MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_GRACE_PERIOD=10s$/m);
  assert.match(runtime, /shutdown hooks run and Micronaut \(4\.9 and later\) drains requests for up to 10 s\./);
});

test.run();
