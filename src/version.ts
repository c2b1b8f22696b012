/**
 * This package's version (test/version.test.ts keeps it equal to package.json's), and the
 * command every message and generated file tells a user to run. It names this package at this
 * version: npx with the bare name deploy-kit would run an unrelated npm package.
 */
export const VERSION = '0.1.0';

/** `npx create-deploy-kit@<version>`: followed by a command (`generate`, `check`, `add vps`...). */
export const CLI = `npx create-deploy-kit@${VERSION}`;
