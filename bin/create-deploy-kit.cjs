#!/usr/bin/env node
// Entry for `npm create deploy-kit`: the same CLI, with `init` as the default command.
// CommonJS, like the bundle it loads: an ES module entry would start Node's ES module loader.
'use strict';
const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stderr.write(`create-deploy-kit: needs Node.js 20 or newer (this is ${process.version}).\n`);
  process.exit(1);
}
// Node 22.1+ keeps the entry's compiled code between runs (in the OS temp dir; off with
// NODE_DISABLE_COMPILE_CACHE=1); older versions skip this. The commands' bundle has its own
// cache on every version (src/cli/load-bundle.ts).
require('node:module').enableCompileCache?.();
require('../dist/cli/run.cjs').runCli('create-deploy-kit', 'init');
