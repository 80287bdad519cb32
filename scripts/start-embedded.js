#!/usr/bin/env node
// `npm start`: the four services in one process on SQLite, the in-process broker and local disk.
process.argv.splice(2, 0, 'deploy/embedded/main.ts');
process.chdir(require('node:path').resolve(__dirname, '..'));
require('./run-ts');
