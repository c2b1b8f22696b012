/** The Java stack: Spring Boot, Quarkus and Micronaut apps built by Maven or Gradle, run on a Temurin JRE. */
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { javaConfig, javaDeployable, javaLanguageVersion, javaNotDeployed, javaQuestions } from './config.js';
import { detectJava } from './detect.js';
import type { NodeFacts } from '../node/types.js';
import type { JavaFacts } from './types.js';
import { javaProbe, javaView } from './view.js';

export const java: Stack<JavaFacts> = {
  id: 'java',
  manifests: ['pom.xml', 'build.gradle.kts', 'build.gradle'],
  detect: (root, path) => detectJava(root, path),
  deployable: javaDeployable,
  notDeployed: javaNotDeployed,
  // A package.json whose build the Maven or Gradle build runs (JHipster's Angular app): the jar serves it.
  absorbs: (facts, other) => other.stack === 'node' && facts.frontendBuild !== undefined && (other.facts as NodeFacts).kind?.value !== 'server',
  questions: javaQuestions,
  languageVersion: javaLanguageVersion,
  toConfig: (facts, base, answers) => javaConfig(facts, base, answers),
  runtime: () => 'java',
  probe: javaProbe,
  view: javaView,
  dockerfile: () => stackTemplate('java', 'Dockerfile.hbs'),
};
