/** The typed form of deploy-kit.yaml; `schema/deploy-kit.schema.json` is the contract. */
export type Stack = 'node';
export type Framework = 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs' | 'none';
export type ConfigPackageManager = 'npm' | 'pnpm' | 'yarn';
export type TargetType = TargetConfig['type'];
export type CiProvider = 'github' | 'gitlab';

export interface ServiceConfig {
  name: string;
  path: string;
  stack: Stack;
  framework?: Framework;
  packageManager: ConfigPackageManager;
  packageManagerVersion?: string | null;
  languageVersion: string;
  build?: string | null;
  test?: string | null;
  start: string;
  port: number;
  healthPath: string;
}

export interface EnvVarConfig {
  name: string;
  required?: boolean;
  secret?: boolean;
  description?: string;
  example?: string;
}

/** compose.yaml for local runs and single-host use. */
export interface ComposeTargetConfig {
  type: 'compose';
}

/** An endpoint verify.sh checks through the public URL after a deploy. */
export interface SmokeTestConfig {
  path: string;
  /** Expected HTTP status; default 200. */
  status?: number;
}

/**
 * A Docker host over SSH: registry image, nginx in front, blue-green deploy.sh, rollback.sh,
 * verify.sh. Optional fields have defaults (see the schema); `projectView` applies them.
 */
export interface VpsTargetConfig {
  type: 'vps';
  domain: string;
  environment?: string;
  stagingDomain?: string | null;
  stagingEnvironment?: string;
  service?: string;
  appDir?: string;
  sshUser?: string;
  bluePort?: number;
  greenPort?: number;
  keepReleases?: number;
  monitoring?: boolean;
  rateLimit?: number | null;
  smokeTests?: SmokeTestConfig[];
}

export type TargetConfig = ComposeTargetConfig | VpsTargetConfig;

export interface DeployKitConfig {
  version: 1;
  name: string;
  services: ServiceConfig[];
  branches: { production: string; staging?: string | null };
  ci: { provider: CiProvider };
  targets: TargetConfig[];
  env?: EnvVarConfig[];
}

export const CONFIG_FILE = 'deploy-kit.yaml';
export const STATE_DIR = '.deploy-kit';
export const SCHEMA_FILE = `${STATE_DIR}/deploy-kit.schema.json`;
