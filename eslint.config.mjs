import path from 'node:path';
import { readCachedProjectGraph } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import { ensureProjectGraph } from './tools/eslint/ensure-project-graph.mjs';
import enforcement from './tools/eslint/plugin.js';

// Plain `eslint` (no nx) gets the project graph too, so @nx/enforce-module-boundaries is never skipped.
await ensureProjectGraph();

/** Project roots (`libs/events`, `services/recording`, `test`, …) from the nx graph; none while nx builds it. */
const projectRoots = (() => {
  try {
    return Object.values(readCachedProjectGraph().nodes)
      .map((node) => node.data.root)
      .filter((root) => root && root !== '.');
  } catch {
    return [];
  }
})();
const externalModuleFolders = ['node_modules', 'node_modules/@types'];

const serviceScopes = ['certificates', 'recording', 'legal-review', 'publicity'];

// Folder loops that existed when enforcement/no-folder-cycles was introduced, as `from -> to` edges of each
// project's folder graph (a folder is the first directory under src/, or under src/lib/ for libraries).
// THIS LIST MAY ONLY SHRINK: an edge whose loop is gone must be removed (tools/lint-guards checks that), and a
// new loop is fixed by moving code, never by adding an entry here.
const knownFolderLoops = {};

// Projects where only repositories query the database (enforcement/typeorm-in-repositories).
const typeormOnlyInRepositories = [
  'services/certificates',
  'services/recording',
  'services/legal-review',
  'services/publicity',
  'libs/certificates',
  'libs/calendar-follower',
];

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
    // Import loops. Between files: import-x/no-cycle, resolving the @enforcement/* paths of tsconfig.base.json
    // (type-only imports are erased at run time and do not count). Between the folders of a project: the local
    // rule, over production files (specs and test-support may reach across folders).
    files: ['**/*.ts'],
    plugins: { 'import-x': importX, enforcement },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/external-module-folders': externalModuleFolders,
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: path.join(import.meta.dirname, 'tsconfig.base.json') })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'enforcement/no-folder-cycles': [
        'error',
        {
          ignore: ['\\.spec\\.ts$', '\\.integration-spec\\.ts$', '\\.e2e-spec\\.ts$', '/test-support/'],
          baseline: knownFolderLoops,
        },
      ],
    },
  },
  // import-x/no-cycle looks for loops between the files of the linted file's project: the other projects are
  // external to it (a loop between projects is @nx/enforce-module-boundaries' circular-dependency error). This
  // keeps each project's lint from parsing the libraries it imports again.
  ...projectRoots.map((root) => ({
    files: [`${root}/**/*.ts`],
    settings: { 'import-x/external-module-folders': [...externalModuleFolders, ...projectRoots.filter((other) => other !== root)] },
  })),
  {
    // TypeORM only in repositories: services, controllers, consumers and jobs call a *.repository.ts's methods,
    // passing a transaction's manager through where they run in one. Entities, migrations, specs, test support and
    // benches are exempt. On the projects converted so far; each further one is added here once it is clean.
    files: typeormOnlyInRepositories.map((root) => `${root}/src/**/*.ts`),
    ignores: [
      '**/*.repository.ts',
      '**/*.entity.ts',
      '**/migrations/**',
      '**/*.migration.ts',
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      '**/*.e2e-spec.ts',
      '**/test-support/**',
      '**/bench/**',
      '**/*.bench.ts',
    ],
    plugins: { enforcement },
    rules: { 'enforcement/typeorm-in-repositories': 'error' },
  },
  {
    // Test support stays out of production code; only specs and test/ may use it.
    files: ['services/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.integration-spec.ts', 'libs/testing/**', 'libs/service-testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@enforcement/testing', message: 'test support is for specs only' },
            { name: '@enforcement/service-testing', message: 'test support is for specs only' },
          ],
        },
      ],
      // Configuration is read once, by the validated schema in service-runtime.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'read configuration through the validated config schema' },
      ],
    },
  },
  {
    files: ['libs/service-runtime/src/lib/config/**/*.ts', 'libs/testing/**/*.ts', 'libs/service-testing/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Values reach SQL bound by the driver, never spliced into its text: the MariaDB pool takes several statements
    // per query (batchedTransaction), so a spliced string could run statements of its own. A name that is the
    // code's own (a table, a column) may be spliced under an eslint-disable comment that says so.
    files: ['services/**/*.ts', 'libs/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      '**/migrations/**',
      '**/*.migration.ts',
      '**/bench/**',
      '**/*.bench.ts',
      'libs/testing/**',
      'libs/service-testing/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['TemplateLiteral[expressions.length>0]', 'BinaryExpression[operator="+"]'].map((spliced) => ({
          selector: `CallExpression[callee.property.name=/^(query|where|andWhere|orWhere|having|orHaving)$/] > ${spliced}.arguments:first-child`,
          message: 'SQL text built from values: bind them as parameters (?, :name) instead',
        })),
      ],
    },
  },
];
