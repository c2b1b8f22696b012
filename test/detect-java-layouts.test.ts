/** Java layouts seen in real repositories: a Maven build that builds its front end, config/ on the classpath, SQLite, a prod profile. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answerValidators } from '../src/cli/init-flags.js';
import { detectRepo } from '../src/detect/index.js';
import { detectServices } from '../src/detect/services.js';
import { chooseServices } from '../src/config/choose-services.js';
import { detectJava } from '../stacks/java/detect.js';
import { javaConfig } from '../stacks/java/config.js';
import type { ServiceAnswers } from '../stacks/types.js';
import { renderScenario } from './_render.js';
import { scratch } from './_scratch.js';

const dirs = scratch('java-layouts');
const repo = dirs.files;
test.after(dirs.cleanup);

const dep = (group: string, artifact: string) =>
  `    <dependency>\n      <groupId>${group}</groupId>\n      <artifactId>${artifact}</artifactId>\n    </dependency>`;
const bootPom = (deps: string[], extra = '') =>
  '<project>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n' +
  `    <version>3.4.1</version>\n  </parent>\n  <dependencies>\n${[dep('org.springframework.boot', 'spring-boot-starter-web'), ...deps].join('\n')}\n` +
  `  </dependencies>\n${extra}</project>\n`;
const frontendPlugin =
  '  <build>\n    <plugins>\n      <plugin>\n        <groupId>com.github.eirslett</groupId>\n' +
  '        <artifactId>frontend-maven-plugin</artifactId>\n      </plugin>\n    </plugins>\n  </build>\n';
const angular = {
  'package.json': JSON.stringify({
    name: 'shop',
    scripts: { build: 'ng build', start: 'ng serve' },
    dependencies: { '@angular/core': '19.0.0' },
    devDependencies: { '@angular/cli': '19.0.0' },
  }),
  'angular.json': JSON.stringify({ projects: { shop: { architect: { build: { options: { outputPath: 'target/classes/static' } } } } } }),
};

test('a Maven build that runs the front end npm build is one Java service; without the plugin, both stacks are listed', async () => {
  const built = repo({ 'pom.xml': bootPom([], frontendPlugin), mvnw: '', ...angular });
  assert.equal(
    (await detectServices(built)).map((s) => [s.path, s.stack]),
    [['.', 'java']],
  );
  const facts = await detectJava(built);
  assert.is(facts?.frontendBuild?.evidence, 'pom.xml:17 <artifactId>frontend-maven-plugin</artifactId>');
  const apart = repo({ 'pom.xml': bootPom([]), mvnw: '', ...angular });
  assert.equal(
    (await detectServices(apart)).map((s) => s.stack).sort(),
    ['java', 'node'],
  );
});

test('--stack takes every stack, java and dotnet included; an unknown one lists them', () => {
  assert.is(answerValidators.stack('.=java'), undefined);
  assert.is(answerValidators.stack('api=dotnet'), undefined);
  assert.match(answerValidators.stack('.=cobol')!, /"\.=cobol" is not <path>=<stack> \(node, .*java, dotnet.*\)/);
});

test("Spring Boot's config/ on the classpath: the Actuator base path and the port come from there", async () => {
  const dir = repo({
    'pom.xml': bootPom([dep('org.springframework.boot', 'spring-boot-starter-actuator')]),
    mvnw: '',
    'src/main/resources/config/application.yml': 'server:\n  port: 8090\nmanagement:\n  endpoints:\n    web:\n      base-path: /management\n',
  });
  const facts = await detectJava(dir);
  assert.is(facts?.healthPath?.value, '/management/health');
  assert.match(facts!.healthPath!.evidence, /src\/main\/resources\/config\/application\.yml:6 base-path: \/management/);
  assert.equal(facts?.port, { value: 8090, evidence: 'src/main/resources/config/application.yml:2 port: 8090' });
});

test('SQLite through sqlite-jdbc and a Maven prod profile are said, with where and what to do', async () => {
  const dir = repo({
    'pom.xml': bootPom(
      [dep('org.xerial', 'sqlite-jdbc')],
      '  <profiles>\n    <profile>\n      <id>dev</id>\n    </profile>\n    <profile>\n      <id>prod</id>\n    </profile>\n  </profiles>\n',
    ),
    mvnw: '',
  });
  const warnings = (await detectJava(dir))!.warnings;
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0]!, /^pom\.xml declares a Maven profile "prod" \(pom\.xml:\d+ <id>prod<\/id>\) that the image does not switch on: .* add -Pprod /);
  assert.match(warnings[1]!, /^SQLite \(pom\.xml:\d+ <artifactId>sqlite-jdbc<\/artifactId>\): .* use PostgreSQL \(--addons postgres\)/);
  const plain = repo({ 'pom.xml': bootPom([]), mvnw: '' });
  assert.equal((await detectJava(plain))!.warnings, []);
});

test("a Gradle subproject the root's settings include builds from the root: its wrapper, plugin version and Java release", async () => {
  const dir = repo({
    'settings.gradle.kts': 'rootProject.name = "shop"\ninclude("web")\n',
    gradlew: '#!/bin/sh\n',
    'build.gradle.kts':
      'plugins {\n  id("org.springframework.boot") version "2.7.18"\n}\nallprojects {\n  java.sourceCompatibility = JavaVersion.VERSION_17\n}\n',
    'web/build.gradle.kts': 'dependencies {\n  implementation("org.springframework.boot:spring-boot-starter-web")\n}\n',
  });
  const [service] = await detectServices(dir);
  const facts = service!.facts as NonNullable<Awaited<ReturnType<typeof detectJava>>>;
  assert.equal(facts.frameworkVersion, { value: '2.7.18', evidence: 'build.gradle.kts id("org.springframework.boot") version "2.7.18"' });
  assert.equal(facts.javaVersion, { value: '17', evidence: 'build.gradle.kts:5 java.sourceCompatibility = JavaVersion.VERSION_17' });
  assert.equal(facts.buildRoot, { value: '.', evidence: 'settings.gradle.kts:2 include("web")' });
  assert.match(facts.wrapper!.evidence, /^gradlew at the repository root \(web is a subproject of its build: settings\.gradle\.kts:2 include\("web"\)\)$/);
  assert.equal(facts.warnings, []);
  // The root that only lists subprojects is no app, and no note says it lacks a server.
  assert.equal((await detectRepo(dir)).warnings.filter((w) => !/not a git repository/.test(w)), []);
  const config = javaConfig(facts, { name: 'web', path: 'web' }, { port: 8080 } as ServiceAnswers);
  assert.is(config.workspaceRoot, '.');
  assert.is(config.test, '../gradlew test --no-daemon');

  const files = await renderScenario({
    version: 1,
    name: 'shop',
    services: [config],
    branches: { production: 'main', staging: null },
    ci: { provider: 'gitlab' },
    targets: [{ type: 'compose' }],
    env: [],
  });
  const file = (path: string) => files.find((f) => f.path === path)?.content ?? '';
  const dockerfile = file('web/Dockerfile');
  assert.match(dockerfile, /^# Build: {2}docker build -t shop -f web\/Dockerfile \.$/m);
  assert.match(dockerfile, /^ && \.\/gradlew --no-daemon -p web bootJar -x test \\$/m);
  assert.match(dockerfile, /\$\(ls web\/build\/libs\/\*\.jar /);
  assert.match(dockerfile, /-Djarmode=layertools/);
  // BuildKit reads the ignore file beside the Dockerfile when the context is the root.
  assert.is(file('web/.dockerignore'), '');
  assert.match(file('web/Dockerfile.dockerignore'), /^web\/build$/m);
  assert.match(file('compose.yaml'), /context: \.\n\s+dockerfile: web\/Dockerfile/);
  assert.match(file('.gitlab-ci.yml'), /- cd web\n\s+- chmod \+x \.\.\/gradlew\n/);
});

test("a Maven module the root's reactor lists builds from the root: -pl <module> -am, the jar from <module>/target, CI on the root's pom", async () => {
  const dir = repo({
    'pom.xml': bootPom([], '  <modules>\n    <module>services</module>\n  </modules>\n').replace('spring-boot-starter-web', 'spring-boot-starter'),
    mvnw: '#!/bin/sh\n',
    'services/pom.xml': '<project>\n  <modules>\n    <module>core</module>\n    <module>./api/</module>\n  </modules>\n</project>\n',
    'services/core/pom.xml': '<project><artifactId>core</artifactId></project>\n',
    'services/api/pom.xml': `<project>\n  <dependencies>\n${dep('org.springframework.boot', 'spring-boot-starter-web')}\n  </dependencies>\n</project>\n`,
  });
  const services = await detectServices(dir);
  assert.equal(services.map((s) => s.path), ['services/api']);
  const facts = services[0]!.facts as NonNullable<Awaited<ReturnType<typeof detectJava>>>;
  assert.equal(facts.buildRoot, { value: '.', evidence: 'pom.xml:14 <module>services</module>, services/pom.xml:4 <module>./api/</module>' });
  assert.equal(facts.frameworkVersion?.value, '3.4.1');
  assert.equal(facts.warnings, []);
  const config = javaConfig(facts, { name: 'api', path: 'services/api' }, { port: 8080 } as ServiceAnswers);
  assert.is(config.workspaceRoot, '.');
  assert.is(config.test, '../../mvnw -B -f ../../pom.xml -pl services/api -am verify');

  const files = await renderScenario({
    version: 1,
    name: 'shop',
    services: [config],
    branches: { production: 'main', staging: null },
    ci: { provider: 'gitlab' },
    targets: [{ type: 'compose' }],
    env: [],
  });
  const file = (path: string) => files.find((f) => f.path === path)?.content ?? '';
  const dockerfile = file('services/api/Dockerfile');
  assert.match(dockerfile, /^# Build: {2}docker build -t shop -f services\/api\/Dockerfile \.$/m);
  assert.match(dockerfile, /^ && \.\/mvnw -B -ntp -pl services\/api -am dependency:go-offline$/m);
  assert.match(dockerfile, /^ && \.\/mvnw -B -ntp -pl services\/api -am package -DskipTests \\$/m);
  assert.match(dockerfile, /\$\(ls services\/api\/target\/\*\.jar /);
  assert.is(file('services/api/.dockerignore'), '');
  assert.match(file('services/api/Dockerfile.dockerignore'), /^services\/api\/target$/m);
  assert.match(file('compose.yaml'), /context: \.\n\s+dockerfile: services\/api\/Dockerfile/);
  assert.match(file('.gitlab-ci.yml'), /files: \["pom\.xml", "services\/api\/pom\.xml"\]/);
  const script = file('.gitlab-ci.yml');
  assert.match(script, /- cd services\/api\n\s+- chmod \+x \.\.\/\.\.\/mvnw\n/);
  assert.match(script, /- \.\.\/\.\.\/mvnw -B -f \.\.\/\.\.\/pom\.xml -pl services\/api -am verify\n/);

  // A module the root's reactor does not list cannot build there: said, with the command to use.
  const stray = repo({ 'pom.xml': '<project><modules><module>core</module></modules></project>\n', mvnw: '', 'api/pom.xml': bootPom([]) });
  const [alone] = await detectServices(stray);
  assert.is((alone!.facts as { buildRoot?: unknown }).buildRoot, undefined);
  const said = (alone!.facts.warnings ?? []).join('\n');
  assert.match(said, /add <module>api<\/module> to the root pom\.xml.s <modules> and run init again \(.*`\.\/mvnw -pl api -am package`\)/);
});

test('a framework build without its HTTP server: init says which build file, which framework and which dependency is missing', async () => {
  const dir = repo({
    'build.gradle': 'plugins { id "application" }\ndependencies {\n  implementation "io.micronaut:micronaut-runtime"\n}\n',
    gradlew: '',
  });
  const facts = await detectRepo(dir);
  let message = '';
  try {
    chooseServices(facts, { stacks: new Map() }, dir);
  } catch (e) {
    message = (e as Error).message;
  }
  assert.match(message, /no app's manifest \(.*pom\.xml, build\.gradle\(\.kts\), a \.csproj\)/);
  assert.match(message, /\n {2}build\.gradle: a Micronaut app \(build\.gradle:3 .*\) with no HTTP server dependency, /);
  assert.match(message, /add micronaut-http-server-netty to build\.gradle$/);
  // A library module of a multi-module build is no app: nothing said about it.
  const lib = repo({
    'pom.xml': '<project>\n  <modules>\n    <module>core</module>\n  </modules>\n</project>\n',
    'core/pom.xml': '<project><artifactId>spring-boot-starter</artifactId></project>\n',
  });
  assert.equal((await detectRepo(lib)).warnings.filter((w) => /HTTP server/.test(w)), []);
});

test('a credential in the default config is said with its line (the value not echoed) and the variable that overrides it', async () => {
  const dir = repo({
    'pom.xml': bootPom([]),
    mvnw: '',
    'src/main/resources/application.properties':
      'app.jwt.secret=s3cr3t-value\nspring.datasource.password=${DB_PASSWORD}\nspring.datasource.username=sa\nempty.token=\n',
    'src/main/resources/application.yml': 'payments:\n  api-key: "pk_live_123"\n  timeout: 5s\n',
  });
  const warnings = (await detectJava(dir))!.warnings;
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0]!, /^src\/main\/resources\/application\.properties:1 app\.jwt\.secret=…: a secret committed with the code .* set APP_JWT_SECRET /);
  // Spring Boot's relaxed binding drops the dash: PAYMENTS_APIKEY.
  assert.match(warnings[1]!, /^src\/main\/resources\/application\.yml:2 api-key: …: .* set PAYMENTS_APIKEY .* over payments\.api-key\)/);
  assert.not.match(warnings.join('\n'), /s3cr3t|pk_live/);
});

test('Flyway or Liquibase the framework runs at start: detected, kept in the config, and DEPLOY.md says the release has no migration step', async () => {
  const spring = repo({ 'pom.xml': bootPom([dep('org.flywaydb', 'flyway-core')]), mvnw: '' });
  const facts = (await detectJava(spring))!;
  assert.equal(facts.migrateOnStart, { value: 'flyway', evidence: 'pom.xml:14 <artifactId>flyway-core</artifactId> (Spring Boot runs it at start)' });
  // Turned off in the default profile: nothing runs them at start.
  const off = repo({
    'pom.xml': bootPom([dep('org.liquibase', 'liquibase-core')]),
    mvnw: '',
    'src/main/resources/application.properties': 'spring.liquibase.enabled=false\n',
  });
  assert.is((await detectJava(off))!.migrateOnStart, undefined);
  // Quarkus migrates at start only when told to.
  const quarkus = (props: string) =>
    repo({
      'build.gradle.kts':
        'plugins { id("io.quarkus") }\ndependencies {\n  implementation("io.quarkus:quarkus-rest")\n' +
        '  implementation("io.quarkus:quarkus-liquibase")\n}\n',
      gradlew: '',
      'src/main/resources/application.properties': props,
    });
  assert.is((await detectJava(quarkus('quarkus.http.port=8081\n')))!.migrateOnStart, undefined);
  const atStart = (await detectJava(quarkus('quarkus.liquibase.migrate-at-start=true\n')))!.migrateOnStart;
  assert.is(atStart?.value, 'liquibase');
  assert.match(atStart!.evidence, /application\.properties:1 quarkus\.liquibase\.migrate-at-start=true/);

  const config = javaConfig(facts, { name: 'app', path: '.' }, { port: 8080 } as ServiceAnswers);
  assert.is(config.migrateOnStart, 'flyway');
  const files = await renderScenario({
    version: 1,
    name: 'shop',
    services: [config],
    branches: { production: 'main', staging: null },
    ci: { provider: 'github' },
    targets: [{ type: 'compose' }],
    env: [],
  });
  const runbook = files.find((f) => f.path === 'DEPLOY.md')!.content;
  assert.match(runbook, /## Migrations at start\n\n- `app` applies its own database migrations when it starts: Flyway on the classpath/);
  assert.match(runbook, /The release has no migration step/);
  assert.match(runbook, /A rollback runs the previous image against the migrated database: it does \*\*not\*\* undo a\nmigration/);
  assert.not.match(runbook, /## Migrations\n/);
});

test.run();
