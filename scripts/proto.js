#!/usr/bin/env node
// Generates the TypeScript contracts from proto/ (protobuf-es through buf). With --check, generates into a
// temporary folder and fails when the committed code differs: generated code is never edited by hand.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const protoDir = path.join(root, 'proto');
const committed = path.join(root, 'libs/contracts/src/gen');
const buf = path.join(root, 'node_modules/.bin/buf');

function generate(outDir) {
  execFileSync(buf, ['lint'], { cwd: protoDir, stdio: 'inherit' });
  const template = {
    version: 'v2',
    clean: true,
    plugins: [
      {
        local: path.join(root, 'node_modules/.bin/protoc-gen-es'),
        out: outDir,
        opt: ['target=ts', 'import_extension=none'],
      },
    ],
  };
  execFileSync(buf, ['generate', '--template', JSON.stringify(template)], { cwd: protoDir, stdio: 'inherit' });
}

function listFiles(dir, prefix = '') {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(prefix, entry.name);
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), rel) : [rel];
  });
}

if (process.argv.includes('--check')) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proto-check-'));
  try {
    generate(tmp);
    const expected = listFiles(tmp).sort();
    const actual = listFiles(committed).sort();
    const stale = [...new Set([...expected, ...actual])].filter((file) => {
      const a = path.join(tmp, file);
      const b = path.join(committed, file);
      return !fs.existsSync(a) || !fs.existsSync(b) || !fs.readFileSync(a).equals(fs.readFileSync(b));
    });
    if (stale.length > 0) {
      console.error(`Generated contracts are stale; run \`npm run proto\` and commit:\n  ${stale.join('\n  ')}`);
      process.exit(1);
    }
    console.log(`contracts up to date (${expected.length} files)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
} else {
  generate(committed);
  console.log(`generated ${listFiles(committed).length} files into ${path.relative(root, committed)}`);
}
