const { jestConfig } = require('../jest.preset');

module.exports = jestConfig(__dirname, { testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'], testTimeout: 120_000 });
