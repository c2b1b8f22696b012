import { join } from 'node:path';
import type { Fact } from '../../src/detect/fact.js';
import { HEALTH_SEGMENT, SERVICE_PORTS, atPath, best, codeEvidence, exists, healthRank, readText, servicePath, type Candidate } from '../../src/detect/shared.js';
import { GENERATED_DIRS, TEST_DIRS, readSourceFiles, type SourceFile } from '../../src/detect/walk.js';
import { mavenModule } from './build-root.js';
import { startMigrations } from './migrations.js';
import { committedSecrets } from './secrets.js';
import type { ConfigFile, JavaBuildTool, JavaFacts, JavaFramework } from './types.js';

/** The build files, in the order they are preferred: a repo with both (spring-petclinic) builds with Maven. */
const BUILD_FILES: ReadonlyArray<[string, JavaBuildTool]> = [
  ['pom.xml', 'maven'],
  ['build.gradle.kts', 'gradle'],
  ['build.gradle', 'gradle'],
];

/** The first line of `text` matching `re`, as "file:line text" evidence with the match. */
function find(text: string, re: RegExp, file: string): { match: RegExpExecArray; evidence: string } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(?:\/\/|<!--|#)/.test(line)) continue;
    const match = re.exec(line);
    if (match) return { match, evidence: codeEvidence(file, i + 1, line) };
  }
  return undefined;
}

/** A Maven artifact or Gradle coordinate named in the build file (`<artifactId>x</artifactId>`, `'group:x'`). */
function dependency(text: string, artifact: string, file: string): string | undefined {
  const re = new RegExp(`<artifactId>${artifact}</artifactId>|["'][\\w.-]+:${artifact}(?::[^"']*)?["']`);
  return find(text, re, file)?.evidence;
}

/** Each framework's name and the dependency that makes it serve HTTP, as said to the user. */
export const FRAMEWORK_NAMES: Record<JavaFramework, { name: string; server: string }> = {
  'spring-boot': { name: 'Spring Boot', server: 'spring-boot-starter-web (or -webflux)' },
  quarkus: { name: 'Quarkus', server: 'quarkus-rest' },
  micronaut: { name: 'Micronaut', server: 'micronaut-http-server-netty' },
};

const FRAMEWORKS: ReadonlyArray<{ id: JavaFramework; marker: RegExp; web: string[]; version: RegExp[] }> = [
  {
    id: 'spring-boot',
    marker: /spring-boot-starter|spring-boot-maven-plugin|org\.springframework\.boot["']/,
    web: ['spring-boot-starter-web', 'spring-boot-starter-webmvc', 'spring-boot-starter-webflux', 'spring-boot-starter-jersey'],
    version: [
      /<artifactId>spring-boot-starter-parent<\/artifactId>\s*<version>([\w.-]+)<\/version>/,
      /<spring-boot\.version>([\w.-]+)<\/spring-boot\.version>/,
      /id\s*\(?\s*["']org\.springframework\.boot["']\s*\)?\s*version\s*["']([\w.-]+)["']/,
    ],
  },
  {
    id: 'quarkus',
    marker: /io\.quarkus/,
    web: ['quarkus-rest', 'quarkus-resteasy-reactive', 'quarkus-resteasy', 'quarkus-vertx-http', 'quarkus-reactive-routes', 'quarkus-rest-jackson', 'quarkus-resteasy-jackson'],
    version: [/<quarkus\.platform\.version>([\w.-]+)</, /quarkusPlatformVersion\s*=\s*([\w.-]+)/, /id\s*\(?\s*["']io\.quarkus["']\s*\)?\s*version\s*["']([\w.-]+)["']/],
  },
  {
    id: 'micronaut',
    marker: /io\.micronaut/,
    web: ['micronaut-http-server-netty', 'micronaut-http-server'],
    version: [/<micronaut\.version>([\w.-]+)</, /micronautVersion\s*=\s*([\w.-]+)/, /<artifactId>micronaut-parent<\/artifactId>\s*<version>([\w.-]+)</],
  },
];

/** "1.8" is Java 8; anything else is the major as written. */
const major = (v: string): string => (v.startsWith('1.') ? v.slice(2) : v).split('.')[0]!;

/** The Java release: the build file's, else .java-version, else .sdkmanrc's `java=`. */
async function javaVersion(dir: string, buildFile: string, text: string, at: (f: string) => string): Promise<Fact<string> | undefined> {
  const patterns = [
    /<java\.version>\s*([\d.]+)\s*</,
    /<maven\.compiler\.release>\s*([\d.]+)\s*</,
    /<release>\s*([\d.]+)\s*<\/release>/,
    /<maven\.compiler\.target>\s*([\d.]+)\s*</,
    /JavaLanguageVersion\.of\(\s*["']?(\d+)["']?\s*\)/,
    /jvmToolchain\(\s*(\d+)\s*\)/,
    /(?:source|target)Compatibility\s*=\s*(?:JavaVersion\.VERSION_(\d+(?:_\d+)?)|["']?([\d.]+)["']?)/,
  ];
  for (const re of patterns) {
    const hit = find(text, re, at(buildFile));
    const v = hit && (hit.match[1] ?? hit.match[2])?.replace('_', '.');
    if (v && /^\d/.test(v)) return { value: major(v), evidence: hit.evidence };
  }
  const dotVersion = (await readText(join(dir, '.java-version')))?.trim();
  if (dotVersion && /^\d/.test(dotVersion)) return { value: major(dotVersion), evidence: `${at('.java-version')} "${dotVersion}"` };
  const sdkman = await readText(join(dir, '.sdkmanrc'));
  const hit = sdkman && find(sdkman, /^\s*java\s*=\s*([\d.]+)/, at('.sdkmanrc'));
  return hit ? { value: major(hit.match[1]!), evidence: hit.evidence } : undefined;
}

/**
 * Detects a Java or Kotlin service in `root/path` from pom.xml or build.gradle(.kts): the wrapper,
 * the Java release, Spring Boot, Quarkus or Micronaut and whether it serves HTTP, the port and
 * the health route. Undefined when there is no build file.
 *
 * @example
 *   const java = await detectJava('/repo')
 *   java?.framework // { value: 'spring-boot', evidence: 'pom.xml:7 <artifactId>spring-boot-starter-parent</artifactId>' }
 */
export async function detectJava(root: string, path = '.'): Promise<JavaFacts | undefined> {
  const rel = servicePath(path);
  const dir = join(root, rel);
  const at = atPath(rel);
  let buildFile: [string, JavaBuildTool] | undefined;
  let text: string | undefined;
  for (const candidate of BUILD_FILES) {
    text = await readText(join(dir, candidate[0]), 1024 * 1024);
    if (text !== undefined) {
      buildFile = candidate;
      break;
    }
  }
  if (!buildFile || text === undefined) return undefined;
  const [file, tool] = buildFile;
  const warnings: string[] = [];
  const others = BUILD_FILES.filter(([f, t]) => t !== tool && f !== file);
  const also = (await Promise.all(others.map(async ([f]) => ((await exists(join(dir, f))) ? f : undefined)))).find(Boolean);
  const facts: JavaFacts = {
    path: rel,
    buildTool: { value: tool, evidence: `${at(file)} present${also ? ` (${also} too: Maven builds the image)` : ''}` },
    buildFile: file,
    warnings,
  };
  // Gradle's build script may sit beside a settings file that holds the plugin versions.
  const settings = tool === 'gradle' ? ((await readText(join(dir, 'settings.gradle.kts'))) ?? (await readText(join(dir, 'settings.gradle'))) ?? '') : '';
  const properties = tool === 'gradle' ? ((await readText(join(dir, 'gradle.properties'))) ?? '') : '';
  const wrapper = tool === 'maven' ? 'mvnw' : 'gradlew';
  // gradle init's layout (app/ under a root settings file and wrapper), or a Maven module: the root's
  // build file holds the plugin versions and the Java release the subproject inherits.
  let rootBuild: { text: string; file: string } | undefined;
  let subproject = false;
  if (await exists(join(dir, wrapper))) facts.wrapper = { value: wrapper, evidence: `${at(wrapper)} present` };
  else if (rel !== '.' && (await exists(join(root, wrapper)))) {
    subproject = true;
    for (const [f] of BUILD_FILES.filter(([, t]) => t === tool)) {
      const rootText = await readText(join(root, f), 1024 * 1024);
      if (rootText !== undefined) {
        rootBuild = { text: rootText, file: f };
        break;
      }
    }
  } else {
    const how = tool === 'maven' ? '`mvn wrapper:wrapper`' : '`gradle wrapper`';
    warnings.push(`no ${at(wrapper)}: the image and CI build with the wrapper, which pins the ${tool} version; run ${how} and commit it`);
  }
  const settingsFile = (await exists(join(root, 'settings.gradle.kts'))) ? 'settings.gradle.kts' : 'settings.gradle';
  const rootSettings = subproject && tool === 'gradle' ? ((await readText(join(root, settingsFile))) ?? '') : '';
  const rootProperties = rootBuild && tool === 'gradle' ? ((await readText(join(root, 'gradle.properties'))) ?? '') : '';
  // A Gradle subproject the root's settings include (`include("app")`, `include(":services:api")`): the
  // image builds it from the root with the root's wrapper (`./gradlew -p app bootJar`).
  const quoted = (name: string) => `["']:?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`;
  const included = rootSettings && find(rootSettings, new RegExp(`${quoted(rel)}|${quoted(rel.replace(/\//g, ':'))}`), settingsFile);
  // A Maven module the root's reactor lists (`<module>app</module>`, or through an aggregator between):
  // the image builds it from the root with the root's wrapper (`./mvnw -pl app -am package`).
  const member = included ? included.evidence : subproject && tool === 'maven' ? await mavenModule(root, rel) : undefined;
  if (member) {
    facts.buildRoot = { value: '.', evidence: member };
    const what = tool === 'maven' ? 'a module of its reactor' : 'a subproject of its build';
    facts.wrapper = { value: wrapper, evidence: `${wrapper} at the repository root (${rel} is ${what}: ${member})` };
  }
  const all = `${text}\n${settings}\n${properties}`;
  const rootAll = rootBuild ? `${rootBuild.text}\n${rootSettings}\n${rootProperties}` : '';
  if ((tool === 'maven' && /<modules>/.test(text)) || (tool === 'gradle' && /^\s*include\s*\(?\s*["'\w]/m.test(settings))) facts.multiProject = true;
  if (tool === 'maven' && /<modules>/.test(text)) {
    warnings.push(`${at(file)} lists <modules>: the image builds the whole reactor and runs the one jar it finds; a multi-module build may need its Dockerfile adjusted`);
  }
  // JHipster's layout: the default Maven profile builds for development; `-Pprod` is the production jar.
  const prod = tool === 'maven' ? /<profile>\s*<id>\s*(prod|production)\s*<\/id>/.exec(text) : null;
  if (prod) {
    const line = text.slice(0, prod.index + prod[0].length).split('\n').length;
    warnings.push(
      `${at(file)} declares a Maven profile "${prod[1]}" (${codeEvidence(at(file), line, `<id>${prod[1]}</id>`)}) that the image does not switch on: ` +
        `it builds the default profile's jar; if "${prod[1]}" is the production build, add -P${prod[1]} to the Dockerfile's \`./mvnw package\` ` +
        '(your edit is kept on regenerate)',
    );
  }
  const war = find(text, /<packaging>\s*war\s*<\/packaging>|^\s*(?:id\s*\(?\s*["']war["']|apply plugin:\s*["']war["'])/, at(file));
  if (war) warnings.push(`the build makes a war (${war.evidence}): the image runs an executable jar; package a jar for this service`);
  if (tool === 'gradle' && /^\s*include\s*\(?\s*["']/m.test(settings)) {
    warnings.push(`${at('settings.gradle')} includes subprojects: the image builds the root project's jar; a multi-project build may need its Dockerfile adjusted`);
  }

  const version = (await javaVersion(dir, file, text, at)) ?? (rootBuild && (await javaVersion(root, rootBuild.file, rootBuild.text, atPath('.'))));
  if (version) facts.javaVersion = version;

  for (const fw of FRAMEWORKS) {
    const hit = find(text, fw.marker, at(file)) ?? (settings ? find(settings, fw.marker, at('settings.gradle')) : undefined);
    if (!hit) continue;
    facts.framework = { value: fw.id, evidence: hit.evidence };
    versions: for (const [where, source] of [[at(file), all], ...(rootBuild ? [[rootBuild.file, rootAll]] : [])] as Array<[string, string]>) {
      for (const re of fw.version) {
        const m = re.exec(source);
        if (m?.[1] && !m[1].startsWith('$')) {
          facts.frameworkVersion = { value: m[1], evidence: `${where} ${m[0].replace(/\s+/g, ' ').slice(0, 120)}` };
          break versions;
        }
      }
    }
    for (const artifact of fw.web) {
      const evidence = dependency(text, artifact, at(file));
      if (evidence) {
        facts.web = { value: true, evidence };
        break;
      }
    }
    break;
  }
  if (subproject && !facts.buildRoot) {
    const jarTask = { 'spring-boot': 'bootJar', quarkus: 'quarkusBuild', micronaut: 'shadowJar' }[facts.framework?.value ?? 'spring-boot'];
    const task = tool === 'maven' ? `./mvnw -pl ${rel} -am package` : `./gradlew :${rel.replace(/\//g, ':')}:${jarTask}`;
    const list = tool === 'maven' ? `<module>${rel}</module> to the root pom.xml's <modules>` : `include("${rel.replace(/\//g, ':')}") to the root's settings`;
    warnings.push(
      `${at(file)} is part of the ${tool === 'maven' ? 'Maven' : 'Gradle'} build at the repository root (${wrapper} is there), ` +
        `which does not list it: the Dockerfile and CI build ${rel} on its own, which fails without its own ${wrapper} and the root's plugins; ` +
        `add ${list} and run init again (the image then builds it from the root with \`${task}\`), or make it build alone`,
    );
  }
  const boot = facts.framework?.value === 'spring-boot' ? facts.frameworkVersion?.value.split('.').map(Number) : undefined;
  if (boot && (boot[0]! < 2 || (boot[0] === 2 && boot[1]! < 4))) {
    warnings.push(`Spring Boot ${facts.frameworkVersion!.value} (${facts.frameworkVersion!.evidence}) builds no layered jar (2.4+ does by default): upgrade Spring Boot before building the image`);
  }
  if (facts.framework?.value === 'spring-boot' && !facts.frameworkVersion) {
    warnings.push(`no Spring Boot version in ${at(file)}: the image extracts the jar's layers as Spring Boot 3.3+ does (jarmode tools)`);
  }
  const frontend = find(text, /frontend-maven-plugin|com\.github\.node-gradle\.node|com\.moowork\.node/, at(file));
  if (frontend) facts.frontendBuild = { value: 'npm', evidence: frontend.evidence };
  const sqlite = dependency(text, 'sqlite-jdbc', at(file));
  if (sqlite) {
    warnings.push(
      `SQLite (${sqlite}): its database file would live in the image, read-only to the app user and replaced by every deploy; ` +
        'use PostgreSQL (--addons postgres) for production, or mount a volume for the file and point the JDBC URL at it',
    );
  }
  const kotlin = find(text, /kotlin\(|org\.jetbrains\.kotlin|kotlin-maven-plugin|<artifactId>kotlin-stdlib/, at(file));
  if (kotlin) facts.kotlin = { value: true, evidence: kotlin.evidence };

  const config = await readConfigFiles(dir, at);
  for (const secret of committedSecrets(config, facts.framework?.value)) {
    warnings.push(
      `${secret.evidence}: a secret committed with the code (it ships in the jar); set ${secret.env} in production from your secret store ` +
        `(the framework reads it over ${secret.key}) and remove the value from the file`,
    );
  }
  const migrations = startMigrations(facts.framework?.value, (artifact) => dependency(text, artifact, at(file)), (key) => property(config, key));
  if (migrations) facts.migrateOnStart = migrations;
  const port = detectPort(config, facts.framework?.value);
  if (port) facts.port = port;
  const health = await detectHealth(dir, { text, file: at(file) }, config, facts.framework?.value, at, warnings);
  if (health) facts.healthPath = health;
  return facts;
}


/**
 * application.properties / .yml (Spring, Quarkus, Micronaut): the default profile only. Spring Boot
 * also reads them from the classpath's config/ (JHipster keeps them there), which wins over the root's.
 */
async function readConfigFiles(dir: string, at: (f: string) => string): Promise<ConfigFile[]> {
  const out: ConfigFile[] = [];
  for (const sub of ['src/main/resources/config/', 'src/main/resources/']) {
    for (const name of ['application.properties', 'application.yml', 'application.yaml']) {
      const file = `${sub}${name}`;
      const text = await readText(join(dir, file));
      if (text !== undefined) out.push({ file: at(file), text });
    }
  }
  return out;
}

/** A property's value: `a.b.c=v` in .properties, or the nested keys in YAML (two-space or any consistent indent). */
function property(files: ConfigFile[], key: string): { value: string; evidence: string } | undefined {
  for (const { file, text } of files) {
    const lines = text.split('\n');
    if (file.endsWith('.properties')) {
      const re = new RegExp(`^\\s*${key.replace(/\./g, '\\.')}\\s*[=:]\\s*(.+?)\\s*$`);
      const i = lines.findIndex((l) => re.test(l));
      if (i >= 0) return { value: re.exec(lines[i]!)![1]!, evidence: codeEvidence(file, i + 1, lines[i]!) };
      continue;
    }
    // YAML: walk the key's segments down the indentation (a flat `a.b.c: v` key is matched too).
    const parts = key.split('.');
    const stack: Array<{ indent: number; key: string }> = [];
    for (let i = 0; i < lines.length; i++) {
      const m = /^(\s*)([\w.-]+):\s*(.*?)\s*$/.exec(lines[i]!);
      if (!m || /^\s*#/.test(lines[i]!)) continue;
      const indent = m[1]!.length;
      while (stack.length > 0 && stack.at(-1)!.indent >= indent) stack.pop();
      stack.push({ indent, key: m[2]! });
      if (stack.map((s) => s.key).join('.') === parts.join('.') && m[3]) {
        return { value: m[3].replace(/^["']|["']$/g, ''), evidence: codeEvidence(file, i + 1, lines[i]!) };
      }
    }
  }
  return undefined;
}

const PORT_KEYS: Record<JavaFramework, string> = { 'spring-boot': 'server.port', quarkus: 'quarkus.http.port', micronaut: 'micronaut.server.port' };

/** `server.port=8081`, or a placeholder's default (`${PORT:8081}`). */
function detectPort(config: ConfigFile[], framework: JavaFramework | undefined): Fact<number> | undefined {
  if (!framework) return undefined;
  const p = property(config, PORT_KEYS[framework]);
  const n = p && Number(/^\$\{[\w.]+:(\d+)\}$/.exec(p.value)?.[1] ?? p.value);
  return p && n && n > 0 && n < 65536 && !SERVICE_PORTS.has(n) ? { value: n, evidence: p.evidence } : undefined;
}

/**
 * The framework's own health endpoint when its health module is a dependency (Spring Boot
 * Actuator, SmallRye Health, Micronaut management), else a health route the code maps.
 */
async function detectHealth(
  dir: string,
  build: { text: string; file: string },
  config: ConfigFile[],
  framework: JavaFramework | undefined,
  at: (f: string) => string,
  warnings: string[],
): Promise<Fact<string> | undefined> {
  const { text: buildText, file } = build;
  if (framework === 'spring-boot') {
    const actuator = dependency(buildText, 'spring-boot-starter-actuator', file);
    const managementPort = property(config, 'management.server.port');
    if (actuator && managementPort) {
      warnings.push(`Spring Boot Actuator answers on its own port (${managementPort.evidence}): the probes use the app's routes or TCP instead`);
    } else if (actuator) {
      const base = property(config, 'management.endpoints.web.base-path');
      const prefix = base ? base.value.replace(/\/$/, '') : '/actuator';
      return { value: `${prefix}/health`, evidence: `${actuator}${base ? `; ${base.evidence}` : ''} (Spring Boot Actuator)` };
    }
  }
  if (framework === 'quarkus') {
    const health = dependency(buildText, 'quarkus-smallrye-health', file);
    if (health) return { value: '/q/health', evidence: `${health} (SmallRye Health)` };
  }
  if (framework === 'micronaut') {
    const management = dependency(buildText, 'micronaut-management', file);
    if (management) return { value: '/health', evidence: `${management} (Micronaut management)` };
  }
  const sources = await readSourceFiles(join(dir, 'src/main'), {
    extensions: ['.java', '.kt'],
    skipDirs: [...GENERATED_DIRS, ...TEST_DIRS],
    maxFiles: 600,
  });
  return codeHealthRoute(sources.map((f) => ({ ...f, path: at(`src/main/${f.path}`) })));
}

const PATH_ARG = String.raw`\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*"([^"]*)"`;
/** Class-level prefixes: Spring's @RequestMapping, JAX-RS @Path, Micronaut's @Controller. */
const CLASS_PREFIX = new RegExp(String.raw`@(?:RequestMapping|Path|Controller)${PATH_ARG}`);
/** Method-level GET routes: Spring's @GetMapping/@RequestMapping, JAX-RS @Path (with @GET), Micronaut's @Get. */
const METHOD_ROUTE = new RegExp(String.raw`@(?:GetMapping|RequestMapping|Path|Get)${PATH_ARG}`);

/**
 * A GET health route the controllers map: the method's path under its class's prefix
 * (`@RequestMapping("/api")` + `@GetMapping("/health")` is /api/health).
 */
function codeHealthRoute(sources: SourceFile[]): Fact<string> | undefined {
  const found: Array<Candidate<string>> = [];
  const join2 = (a: string, b: string) => `/${[a, b].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  for (const f of sources) {
    const lines = f.text.split('\n');
    let prefix = '';
    let inClass = false;
    lines.forEach((line, i) => {
      if (/^\s*(?:\/\/|\*)/.test(line)) return;
      if (!inClass) {
        const m = CLASS_PREFIX.exec(line);
        if (m) prefix = m[1] ?? '';
        if (/\bclass\s+\w+/.test(line)) inClass = true;
        return;
      }
      const m = METHOD_ROUTE.exec(line);
      if (!m) return;
      // A JAX-RS @Path method needs @GET near it; @RequestMapping must not name another method.
      const near = lines.slice(Math.max(0, i - 3), i + 4).join(' ');
      if (/@Path\b/.test(m[0]) && !/@GET\b/.test(near)) return;
      if (/@RequestMapping/.test(m[0]) && /method\s*=/.test(line) && !/RequestMethod\.GET/.test(line)) return;
      const route = join2(prefix, m[1] ?? '');
      if (!new RegExp(`/${HEALTH_SEGMENT}$`).test(route)) return;
      found.push({ value: route, rank: healthRank(route), evidence: codeEvidence(f.path, i + 1, line) + (prefix ? ` (class prefix ${prefix})` : '') });
    });
  }
  const top = best(found);
  return top && { value: top.value, evidence: top.evidence };
}
