// Proof that the lint guard rails bite under plain `eslint`, in a fresh copy of the workspace with no nx cache:
// the module boundaries (@nx/enforce-module-boundaries), import loops between files (import-x/no-cycle) and
// between folders (enforcement/no-folder-cycles). Also checks that the folder-loop baseline in eslint.config.mjs
// lists only loops that still exist, so that it can only shrink.
//
//   node --test tools/lint-guards/lint-guards.test.js      (about 5 s)
const assert = require('node:assert/strict');
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');

const root = path.resolve(__dirname, '../..');
const { adjacencyOf, edgesOnLoops, readProjectFiles, sourceRootOf, toPosix } = require('../eslint/folder-graph');

/** New files written into the copy; each test looks at the messages ESLint gives for its own files. */
const fixtures = {
  // A service importing another service by a relative path.
  'services/recording/src/cases/lint-guard-cross-service.ts': `import { certificatesService } from '../../../certificates/src/service';

export const crossService = certificatesService;
`,
  // A type:util library importing a type:data-access one (depConstraints by tag).
  'libs/calendar/src/lib/lint-guard-layering.ts': `import { EventsModule } from '@enforcement/events';

export const layering = EventsModule;
`,
  // Two files of one folder importing each other.
  'services/recording/src/crypto/lint-guard-cycle-a.ts': `import { cycleB } from './lint-guard-cycle-b';

export const cycleA = (): unknown => cycleB;
`,
  'services/recording/src/crypto/lint-guard-cycle-b.ts': `import { cycleA } from './lint-guard-cycle-a';

export const cycleB = (): unknown => cycleA;
`,
  // A loop between files of one project through its own @enforcement/* path (the index re-exports this file).
  'libs/calendar/src/lib/lint-guard-self-alias.ts': `import { chinaDayOf } from '@enforcement/calendar';

export const selfAlias = chinaDayOf;
`,
  // A new loop between two folders (calendar → crypto → calendar), with no loop between files.
  'services/recording/src/calendar/lint-guard-uses-crypto.ts': `import { FieldCipherModule } from '../crypto/field-cipher.module';

export const usesCrypto = FieldCipherModule;
`,
  'services/recording/src/crypto/lint-guard-uses-calendar.ts': `import { CalendarService } from '../calendar/calendar.service';

export const usesCalendar = CalendarService;
`,
  // A loop the copy's baseline knows (the real baseline is empty): known ⇄ guard in libs/certificates.
  'libs/certificates/src/lib/lint-guard-known/uses-guard.ts': `import { CertificateGuard } from '../guard/certificate.guard';

export const usesGuard = CertificateGuard;
`,
  'libs/certificates/src/lib/guard/lint-guard-uses-known.ts': `import { usesGuard } from '../lint-guard-known/uses-guard';

export const usesKnown = usesGuard;
`,
  // New edges that close a loop through the known one: extra → known → guard → extra.
  'libs/certificates/src/lib/lint-guard-extra/uses-known.ts': `import { usesGuard } from '../lint-guard-known/uses-guard';

export const usesKnown = usesGuard;
`,
  'libs/certificates/src/lib/guard/lint-guard-uses-extra.ts': `import { usesKnown } from '../lint-guard-extra/uses-known';

export const usesExtra = usesKnown;
`,
};

/** Files that import along the copy's known (baselined) folder loop and must stay clean. */
const knownLoopFiles = [
  'libs/certificates/src/lib/lint-guard-known/uses-guard.ts',
  'libs/certificates/src/lib/guard/lint-guard-uses-known.ts',
];

/** The baseline the copy's eslint.config.mjs gets instead of the real one (which is empty now). */
const COPY_BASELINE = `const knownFolderLoops = { 'libs/certificates': ['lib/guard -> lib/lint-guard-known', 'lib/lint-guard-known -> lib/guard'] };`;

let workspace;
let output;
let results;

/** The messages ESLint reported for a workspace-relative file. */
function messagesFor(file) {
  const result = results.find((r) => toPosix(path.relative(workspace, r.filePath)) === file);
  assert.ok(result, `ESLint did not lint ${file}`);
  return result.messages;
}

const byRule = (messages, ruleId) => messages.filter((m) => m.ruleId === ruleId);

describe('lint guard rails under plain eslint, in a fresh copy', () => {
  before(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-guards-'));
    // The working tree as it is (tracked and new files, not ignored ones: no .nx, dist, tmp, data).
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root })
      .toString()
      .split('\0')
      .filter(Boolean);
    for (const file of files) {
      const from = path.join(root, file);
      if (!fs.existsSync(from) || fs.lstatSync(from).isDirectory()) continue;
      fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
      fs.copyFileSync(from, path.join(workspace, file));
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(workspace, 'node_modules'), 'dir');
    for (const [file, text] of Object.entries(fixtures)) {
      fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
      fs.writeFileSync(path.join(workspace, file), text);
    }
    const config = path.join(workspace, 'eslint.config.mjs');
    const withBaseline = fs.readFileSync(config, 'utf8').replace(/const knownFolderLoops = \{[^;]*\};/, COPY_BASELINE);
    assert.ok(withBaseline.includes(COPY_BASELINE), 'eslint.config.mjs declares knownFolderLoops');
    fs.writeFileSync(config, withBaseline);
    fs.appendFileSync(path.join(workspace, 'libs/calendar/src/index.ts'), "export * from './lib/lint-guard-self-alias';\n");
    assert.equal(fs.existsSync(path.join(workspace, '.nx')), false, 'the copy must start without an nx cache');

    const env = { ...process.env };
    for (const name of Object.keys(env)) if (name.startsWith('NX_')) delete env[name];
    const run = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', ...Object.keys(fixtures), ...knownLoopFiles],
      { cwd: workspace, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    output = run.stdout;
    const json = run.stdout.slice(run.stdout.indexOf('['));
    assert.ok(run.status === 0 || run.status === 1, `eslint failed to run (exit ${run.status}):\n${run.stderr}${run.stdout}`);
    results = JSON.parse(json);
  });

  after(() => {
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('computes the project graph itself instead of skipping the boundary rule', () => {
    assert.doesNotMatch(output, /No cached ProjectGraph/);
  });

  it('@nx/enforce-module-boundaries: a service importing another service fails', () => {
    const errors = byRule(messagesFor('services/recording/src/cases/lint-guard-cross-service.ts'), '@nx/enforce-module-boundaries');
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /cannot be imported by a relative or absolute path/);
    assert.equal(errors[0].severity, 2);
  });

  it('@nx/enforce-module-boundaries: a type:util library importing a type:data-access one fails', () => {
    const errors = byRule(messagesFor('libs/calendar/src/lib/lint-guard-layering.ts'), '@nx/enforce-module-boundaries');
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /tagged with "type:util" can only depend on libs tagged with "type:util", "type:contracts"/);
  });

  it('import-x/no-cycle: two files importing each other fail', () => {
    for (const file of ['services/recording/src/crypto/lint-guard-cycle-a.ts', 'services/recording/src/crypto/lint-guard-cycle-b.ts']) {
      const errors = byRule(messagesFor(file), 'import-x/no-cycle');
      assert.equal(errors.length, 1, `${file}: ${JSON.stringify(messagesFor(file))}`);
      assert.equal(errors[0].severity, 2);
    }
  });

  it('import-x/no-cycle: a loop through the path alias of the own project fails', () => {
    const errors = byRule(messagesFor('libs/calendar/src/lib/lint-guard-self-alias.ts'), 'import-x/no-cycle');
    assert.equal(errors.length, 1);
  });

  it('enforcement/no-folder-cycles: a new loop between two folders fails on both sides', () => {
    const calendar = byRule(messagesFor('services/recording/src/calendar/lint-guard-uses-crypto.ts'), 'enforcement/no-folder-cycles');
    assert.equal(calendar.length, 1);
    assert.match(calendar[0].message, /calendar → crypto → calendar/);
    const crypto = byRule(messagesFor('services/recording/src/crypto/lint-guard-uses-calendar.ts'), 'enforcement/no-folder-cycles');
    assert.equal(crypto.length, 1);
    assert.match(crypto[0].message, /crypto → calendar → crypto/);
    // Neither pair of files is a loop between files.
    assert.equal(byRule(messagesFor('services/recording/src/crypto/lint-guard-uses-calendar.ts'), 'import-x/no-cycle').length, 0);
  });

  it('enforcement/no-folder-cycles: a new edge that closes a loop through known loops fails', () => {
    const errors = byRule(messagesFor('libs/certificates/src/lib/lint-guard-extra/uses-known.ts'), 'enforcement/no-folder-cycles');
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /lib\/lint-guard-extra → lib\/lint-guard-known → lib\/guard → lib\/lint-guard-extra/);
  });

  it('enforcement/no-folder-cycles: imports along the known (baselined) loops pass', () => {
    for (const file of knownLoopFiles) {
      assert.deepEqual(byRule(messagesFor(file), 'enforcement/no-folder-cycles'), [], file);
    }
  });
});

describe('the folder-loop baseline in eslint.config.mjs', () => {
  it('lists only loops that still exist (the list may only shrink)', async () => {
    const { ESLint } = require('eslint');
    const eslint = new ESLint({ cwd: root });
    const config = await eslint.calculateConfigForFile(path.join(root, 'services/recording/src/main.ts'));
    const [, options] = config.rules['enforcement/no-folder-cycles'];
    const patterns = options.ignore.map((p) => new RegExp(p));
    const isIgnored = (file) => patterns.some((re) => re.test(toPosix(file)));
    const stale = [];
    for (const [project, edges] of Object.entries(options.baseline)) {
      const sourceRoot = sourceRootOf(path.join(root, project));
      const onLoops = new Set(edgesOnLoops(adjacencyOf(sourceRoot, readProjectFiles(sourceRoot, isIgnored, options.ignore.join('\0')))));
      for (const edge of edges) if (!onLoops.has(edge)) stale.push(`${project}: '${edge}'`);
    }
    assert.deepEqual(
      stale,
      [],
      `these folder loops are gone: remove them from knownFolderLoops in eslint.config.mjs:\n${stale.join('\n')}`,
    );
  });
});

describe('enforcement/typeorm-in-repositories', () => {
  const { ESLint, RuleTester } = require('eslint');
  RuleTester.describe = describe;
  RuleTester.it = it;
  RuleTester.itOnly = it.only;
  const tester = new RuleTester({ languageOptions: { parser: require('typescript-eslint').parser } });
  const query = (method) => ({ messageId: 'query', data: { method } });

  // Each invalid case is a way around the rule that someone might try; each must still be reported.
  tester.run('typeorm-in-repositories', require('../eslint/typeorm-in-repositories'), {
    valid: [
      // Repository methods (named like TypeORM's) with the transaction's manager passed through.
      'class S { constructor(private readonly certificates: CertificateRepository) {} f(tx) { return this.certificates.findById("c", tx.manager); } }',
      'async function f(tx, officers) { await officers.insertUnlessTaken(tx.manager, {}); return officers.existsWithIdNumberIndex(tx.manager, []); }',
      // Arrays and maps have find/count/delete too.
      'const rows = []; rows.find((r) => r.id); new Map().delete("a"); this.dataSource.subscribers.find((s) => s);',
      // Not a query: the data source handed to a job, opened or closed; an entity built in memory.
      'new SingletonJob(dataSource, {}); await dataSource.initialize(); await dataSource.destroy(); manager.create(X, {});',
      'function f(scope: OtherThing) { return scope.find(); }',
    ],
    invalid: [
      { code: 'await tx.manager.findOneBy(X, { id });', errors: [query('findOneBy')] },
      { code: 'await context.manager.findOne(X, { where: { id } });', errors: [query('findOne')] },
      // One report for a chain through getRepository.
      { code: 'await this.dataSource.getRepository(X).find({});', errors: [query('getRepository')] },
      { code: 'await this.outbox.run(async ({ manager, emit }) => manager.insert(X, row));', errors: [query('insert')] },
      { code: 'const { manager: m } = tx; await m.update(X, { id }, {});', errors: [query('update')] },
      { code: 'const m = tx.manager; const n = m; await n.save(X, row);', errors: [query('save')] },
      { code: 'const f = (db: DataSource) => db.query("SELECT 1");', errors: [query('query')] },
      { code: 'function f(db: import("typeorm").EntityManager | undefined) { return db.upsert(X, {}, []); }', errors: [query('upsert')] },
      { code: 'function f(db: typeorm.EntityManager) { return db.delete(X, {}); }', errors: [query('delete')] },
      {
        code: 'class S { constructor(private readonly db: DataSource) {} f() { return this.db.createQueryBuilder(); } }',
        errors: [query('createQueryBuilder')],
      },
      { code: 'class S { private readonly rows: Repository<X>; f() { return this.rows.countBy({}); } }', errors: [query('countBy')] },
      { code: 'class S { private readonly rows = dataSource.manager; f() { return this.rows.exists(X); } }', errors: [query('exists')] },
      { code: "await tx.manager['insert'](X, row); await tx.manager[`existsBy`](X, {});", errors: [query('insert'), query('existsBy')] },
      { code: 'const find = manager.find.bind(manager);', errors: [query('find')] },
      {
        code: 'await (tx.manager as EntityManager).exists(X, {}); await context!.manager!.countBy(X, {});',
        errors: [query('exists'), query('countBy')],
      },
      { code: 'const builder = repo.createQueryBuilder("r").where("1").andWhere("2"); builder.insert();', errors: [query('insert')] },
      { code: 'const q = queryRunner; await q.query("SELECT 1");', errors: [query('query')] },
    ],
  });

  // The rule as eslint.config.mjs applies it: on the converted projects, everywhere but where TypeORM belongs.
  const offending = 'export async function f(tx: { manager: unknown }) {\n  return (tx.manager as never as { find(): void }).find();\n}\n';
  const lintedErrors = async (file) => {
    const [result] = await new ESLint({ cwd: root }).lintText(offending, { filePath: path.join(root, file) });
    return byRule(result.messages, 'enforcement/typeorm-in-repositories');
  };

  it('fails a service, controller, consumer or job of a converted project that queries through TypeORM', async () => {
    for (const file of [
      'services/certificates/src/officers/lint-guard.service.ts',
      'services/certificates/src/public/lint-guard.controller.ts',
      'libs/certificates/src/lib/read-model/lint-guard.consumer.ts',
      'libs/calendar-follower/src/lib/lint-guard.ts',
    ]) {
      const errors = await lintedErrors(file);
      assert.equal(errors.length, 1, file);
      assert.equal(errors[0].severity, 2, file);
    }
  });

  it('leaves repositories, entities, migrations, specs, test support and benches alone', async () => {
    for (const file of [
      'services/certificates/src/officers/lint-guard.repository.ts',
      'services/certificates/src/officers/lint-guard.entity.ts',
      'services/certificates/src/migrations/1700000000000-lint-guard.ts',
      'libs/calendar-follower/src/lib/lint-guard.migration.ts',
      'services/certificates/src/officers/lint-guard.spec.ts',
      'libs/certificates/src/lib/read-model/lint-guard.integration-spec.ts',
      'libs/certificates/src/test-support/lint-guard.ts',
      'libs/certificates/src/bench/lint-guard.bench.ts',
    ]) {
      assert.deepEqual(await lintedErrors(file), [], file);
    }
  });
});

describe('SQL text built from values (no-restricted-syntax)', () => {
  const { ESLint } = require('eslint');
  const spliced = (file, code) =>
    new ESLint({ cwd: root })
      .lintText(code, { filePath: path.join(root, file) })
      .then(([result]) => byRule(result.messages, 'no-restricted-syntax'));

  it('fails a value spliced into a query, a where clause or a having clause, by template or by +', async () => {
    const code = [
      'export async function f(db: { query(sql: string, values?: unknown[]): unknown }, qb: { where(s: string): unknown; andWhere(s: string): unknown; having(s: string): unknown }, id: string) {',
      '  await db.query(`SELECT * FROM cases WHERE id = ${id}`);',
      "  await db.query('SELECT * FROM cases WHERE id = ' + id);",
      "  qb.where(`id = '${id}'`);",
      "  qb.andWhere('agency_id = ' + id);",
      '  qb.having(`COUNT(*) > ${id}`);',
      '}',
      '',
    ].join('\n');
    const errors = await spliced('services/recording/src/cases/lint-guard-sql.repository.ts', code);
    assert.deepEqual(
      errors.map((error) => error.line),
      [2, 3, 4, 5, 6],
    );
    assert.ok(errors.every((error) => error.severity === 2));
  });

  it('passes bound parameters, and leaves specs, migrations and benches alone', async () => {
    const bound = [
      'export async function f(db: { query(sql: string, values?: unknown[]): unknown }, id: string) {',
      "  await db.query('SELECT * FROM cases WHERE id = ?', [id]);",
      '  await db.query(`SELECT * FROM cases WHERE id = ?`, [id]);',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(await spliced('libs/persistence/src/lib/lint-guard-sql.ts', bound), []);
    const splicing = 'export const f = (db: { query(sql: string): unknown }, name: string) => db.query(`DROP TABLE ${name}`);\n';
    for (const file of [
      'libs/persistence/src/lib/lint-guard-sql.integration-spec.ts',
      'services/recording/src/migrations/1700000000000-lint-guard-sql.ts',
      'services/publicity/src/bench/lint-guard-sql.ts',
    ]) {
      assert.deepEqual(await spliced(file, splicing), [], file);
    }
  });
});
