#!/usr/bin/env node
// Runs a TypeScript entry point without a build step: SWC compiles on load (keeping decorator metadata,
// which Nest's dependency injection needs) and resolves the @enforcement/* path aliases.
const path = require('node:path');

const root = path.resolve(__dirname, '..');
process.env.SWC_NODE_PROJECT ??= path.join(root, 'tsconfig.base.json');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: run-ts.js <file.ts> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
require('@swc-node/register');
require(path.resolve(root, entry));
