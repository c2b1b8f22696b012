import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/**
 * deploy-kit.yaml's schema and its validator. From source (tests under tsx, the tsc build) the
 * schema is read from schema/ and the validator is the one `npm run build` precompiled
 * (scripts/build-validator.mjs), or ajv compiling the schema when there is no build. The bundle
 * (scripts/build-bundle.mjs) replaces this module with one that has both inlined.
 */
let text: string | undefined;
let validator: ValidateFunction | undefined;

/** The text of schema/deploy-kit.schema.json, as the kit copies it into .deploy-kit/. */
export function schemaText(): string {
  text ??= readFileSync(join(packageRoot(), 'schema', 'deploy-kit.schema.json'), 'utf8');
  return text;
}

/** The schema's validator (ajv options: allErrors, useDefaults, verbose, strict off). */
export function schemaValidator(): ValidateFunction {
  if (validator) return validator;
  const require = createRequire(import.meta.url);
  try {
    validator = require(join(packageRoot(), 'dist', 'schema', 'deploy-kit.validate.cjs')) as ValidateFunction;
  } catch {
    const { Ajv } = require('ajv') as typeof import('ajv');
    validator = new Ajv({ allErrors: true, strict: false, useDefaults: true, verbose: true }).compile(JSON.parse(schemaText()) as object);
  }
  return validator;
}
