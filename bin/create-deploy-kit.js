#!/usr/bin/env node
// Entry for `npm create deploy-kit`: the same CLI, with `init` as the default command.
const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stderr.write(`create-deploy-kit: needs Node.js 20 or newer (this is ${process.version}).\n`);
  process.exit(1);
}
const { runCli } = await import('../dist/cli/run.js');
await runCli('create-deploy-kit', 'init');
