// Shared jest settings: SWC keeps decorator metadata (Nest DI needs it) and is far faster than ts-jest;
// type errors are caught by `npm run typecheck`, which the test command runs first.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias.replace('/', '\\/')}$`, path.join(__dirname, target)]),
);

/** @param {string} projectDir absolute path of the project using the preset */
const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

function jestConfig(projectDir, overrides = {}) {
  return {
    displayName: path.relative(__dirname, projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.integration-spec.ts'],
    // jose ships only ES modules, which jest's CommonJS runtime cannot load as they are; SWC converts them
    // like our TypeScript. (Node itself loads jose with require(esm), so only tests need this.)
    transform: { '^.+\\.ts$': swcTransform, '/node_modules/jose/.+\\.js$': swcTransform },
    transformIgnorePatterns: ['/node_modules/(?!jose/)'],
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper,
    setupFiles: [path.join(__dirname, 'jest.setup.js')],
    testTimeout: 60_000,
    reporters: ['default', path.join(__dirname, 'scripts/jest-summary-reporter.js')],
    ...overrides,
  };
}

module.exports = { jestConfig };
