#!/usr/bin/env node
// Entry for `npx deploy-kit <command>`: a version guard, then the built CLI.
const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stderr.write(`deploy-kit: needs Node.js 20 or newer (this is ${process.version}).\n`);
  process.exit(1);
}
const { runCli } = await import('../dist/cli/run.js');
await runCli('deploy-kit');
