/** The typed form of deploy-kit.yaml; `schema/deploy-kit.schema.json` is the contract. */
export type Stack = 'node';
export type Framework = 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs' | 'none';
export type ConfigPackageManager = 'npm' | 'pnpm' | 'yarn';
export type TargetType = 'compose';

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

export interface TargetConfig {
  type: TargetType;
}

export interface DeployKitConfig {
  version: 1;
  name: string;
  services: ServiceConfig[];
  branches: { production: string; staging?: string | null };
  ci: { provider: 'github' };
  targets: TargetConfig[];
  env?: EnvVarConfig[];
}

export const CONFIG_FILE = 'deploy-kit.yaml';
export const STATE_DIR = '.deploy-kit';
export const SCHEMA_FILE = `${STATE_DIR}/deploy-kit.schema.json`;
