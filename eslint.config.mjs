import nx from '@nx/eslint-plugin';

const serviceScopes = ['certificates', 'recording', 'legal-review', 'publicity'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', 'libs/contracts/src/gen/**', 'data/**'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: false,
          allow: [],
          depConstraints: [
            // Scope: a service sees only itself and the shared libs, never another service.
            ...serviceScopes.map((scope) => ({
              sourceTag: `scope:${scope}`,
              onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'],
            })),
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Type: layering inside and across scopes. type:testing is allowed by tag everywhere it is needed
            // by specs; the no-restricted-imports rule below keeps it out of production files.
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:contracts', 'type:util', 'type:testing'],
            },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:contracts', 'type:util', 'type:testing'],
            },
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:util', 'type:testing'],
            },
            // Contracts are pure message definitions: nothing that touches a database, a broker or storage.
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: ['type:contracts'],
              bannedExternalImports: ['typeorm', 'mysql2', 'better-sqlite3', 'minio', 'kafkajs', '@nestjs/*'],
            },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:testing', 'type:feature', 'type:data-access', 'type:contracts', 'type:util'],
            },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Test support stays out of production code; only specs and test/ may use it.
    files: ['services/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.integration-spec.ts', 'libs/testing/**', 'libs/service-testing/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
            { name: '@enforcement/testing', message: 'test support is for specs only' },
            { name: '@enforcement/service-testing', message: 'test support is for specs only' },
          ] }],
      // Configuration is read once, by the validated schema in service-runtime.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration through the validated config schema' }],
    },
  },
  {
    files: ['libs/service-runtime/src/lib/config/**/*.ts', 'libs/testing/**/*.ts', 'libs/service-testing/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
];
