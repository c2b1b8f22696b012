/** Flyway or Liquibase run by the framework when the app starts: no release step, and a rollback does not undo them. */
import type { Fact } from '../../src/detect/fact.js';
import type { JavaFramework, StartMigrations } from './types.js';

/** The build file's line naming an artifact, or undefined. */
type Dependency = (artifact: string) => string | undefined;
/** A property of the default application.properties/.yml, with its line. */
type Property = (key: string) => { value: string; evidence: string } | undefined;

/**
 * The artifacts that put each tool on the classpath, per framework, and whether the framework runs
 * it at start: Spring Boot does unless `spring.<tool>.enabled=false`; Quarkus only with
 * `quarkus.<tool>.migrate-at-start=true`; Micronaut for a datasource whose `<tool>.datasources.default.enabled` is true.
 */
const TOOLS: ReadonlyArray<{ tool: StartMigrations; artifacts: Record<JavaFramework, string[]> }> = [
  {
    tool: 'flyway',
    artifacts: { 'spring-boot': ['flyway-core', 'spring-boot-starter-flyway', 'spring-boot-flyway'], quarkus: ['quarkus-flyway'], micronaut: ['micronaut-flyway'] },
  },
  {
    tool: 'liquibase',
    artifacts: {
      'spring-boot': ['liquibase-core', 'spring-boot-starter-liquibase', 'spring-boot-liquibase'],
      quarkus: ['quarkus-liquibase'],
      micronaut: ['micronaut-liquibase'],
    },
  },
];

export function startMigrations(framework: JavaFramework | undefined, dependency: Dependency, property: Property): Fact<StartMigrations> | undefined {
  if (!framework) return undefined;
  for (const { tool, artifacts } of TOOLS) {
    const on = artifacts[framework].map(dependency).find(Boolean);
    if (!on) continue;
    if (framework === 'spring-boot') {
      const off = property(`spring.${tool}.enabled`);
      if (off?.value === 'false') continue;
      return { value: tool, evidence: `${on} (Spring Boot runs it at start)` };
    }
    const key = framework === 'quarkus' ? `quarkus.${tool}.migrate-at-start` : `${tool}.datasources.default.enabled`;
    const at = property(key);
    if (at?.value === 'true') return { value: tool, evidence: `${on}; ${at.evidence}` };
  }
  return undefined;
}
