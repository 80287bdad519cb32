import { COMMON_METRIC_NAMES, SERVICE_METRIC_NAMES } from '@enforcement/observability';
import type { ServiceDefinition } from '@enforcement/service-runtime';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { documentedOperations, fuzzEndpoints, type OpenApiDocument } from './endpoint-fuzz';
import { lintOpenApi } from './openapi-lint';
import { startServiceForTest, type ServiceUnderTest } from './service-harness';

/** The fuzzing of every operation: fixed, so a failure found once is found again; bounded, so it stays quick. */
const FUZZ_SEED = 20_261_130;
const FUZZ_RUNS_PER_OPERATION = 12;
const FUZZ_AGENCY = '5a1e0c1a-0000-4000-8000-00000000f022';

/**
 * What every service must do on MariaDB, whatever its domain: come up with its migrations applied,
 * report readiness, document its API and answer with the platform's error format.
 */
export function describeServiceBasics(service: ServiceDefinition, expectedTables: string[] = []): void {
  describe(`${service.name} service basics on MariaDB`, () => {
    let sut: ServiceUnderTest;

    beforeAll(async () => {
      sut = await startServiceForTest(service);
    });

    afterAll(() => sut?.close());

    it('is ready: /health reports its dependencies up', async () => {
      const response = await request(sut.app.getHttpServer()).get('/health').expect(200);
      expect(response.body.status).toBe('ok');
      expect(Object.keys(response.body.details)).toEqual(expect.arrayContaining(['database', 'transport']));
    });

    it('has run every migration on start', async () => {
      const dataSource = sut.app.get(DataSource);
      expect(await dataSource.showMigrations()).toBe(false);
      const tables: Array<{ name: string }> = await dataSource.query(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
      );
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['outbox_events', 'inbox_events', 'dead_letters', 'schema_migrations', ...expectedTables]),
      );
    });

    it('serves its OpenAPI document at /docs, by default to authenticated callers only', async () => {
      await request(sut.app.getHttpServer()).get('/docs-json').expect(401);
      const token = await sut.tokenFor({ userId: 'integrator', agencyId: '', roles: ['system-admin'] });
      const response = await request(sut.app.getHttpServer()).get('/docs-json').set('Authorization', `Bearer ${token}`).expect(200);
      expect(response.body.info.title).toBe(service.title);
      expect(response.body.paths['/health']).toBeDefined();
    });

    it('documents its API so that it passes Redocly’s recommended rules with no errors', async () => {
      const token = await sut.tokenFor({ userId: 'integrator', agencyId: '', roles: ['system-admin'] });
      const document = (await request(sut.app.getHttpServer()).get('/docs-json').set('Authorization', `Bearer ${token}`).expect(200))
        .body as object;
      const problems = await lintOpenApi(document);
      const errors = problems.filter((problem) => problem.severity === 'error');
      expect(errors.map((error) => `${error.ruleId} at ${error.at.join(', ')}: ${error.message}`)).toEqual([]);
    }, 60_000);

    it('documents every operation for a client: summary, operationId, refusals with the error schema, and its true security', async () => {
      const token = await sut.tokenFor({ userId: 'integrator', agencyId: '', roles: ['system-admin'] });
      const document = (await request(sut.app.getHttpServer()).get('/docs-json').set('Authorization', `Bearer ${token}`).expect(200))
        .body as OpenApiDocument;
      const operations = documentedOperations(document);
      expect(operations.length).toBeGreaterThan(0);
      const flaws: string[] = [];
      for (const { method, path, operation } of operations) {
        const name = `${method.toUpperCase()} ${path}`;
        if (!operation.summary?.trim()) flaws.push(`${name}: no summary`);
        if (!operation.operationId) flaws.push(`${name}: no operationId`);
        const refusals = Object.entries(operation.responses ?? {}).filter(([status]) => Number(status) >= 400);
        if (refusals.length === 0) flaws.push(`${name}: no error response`);
        for (const [status, response] of refusals) {
          if (response.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ApiError')
            flaws.push(`${name}: ${status} without the error schema`);
        }
        if (!Array.isArray(operation.security)) flaws.push(`${name}: security neither required nor marked absent`);
        // What the document says of the token is what the service does: no token, then 401 exactly where one is required.
        const url = path.replace(/\{[^}]+\}/g, '5a1e0c1a-0000-4000-8000-00000000d0c5');
        const answer = await request(sut.app.getHttpServer())[method](url);
        const protectedOperation = (operation.security ?? []).length > 0;
        if (protectedOperation !== (answer.status === 401)) {
          flaws.push(`${name}: documented ${protectedOperation ? 'protected' : 'public'}, answers ${answer.status} without a token`);
        }
        if (protectedOperation && !refusals.some(([status]) => status === '401')) flaws.push(`${name}: 401 not documented`);
      }
      expect(flaws).toEqual([]);
      expect(document.components?.schemas?.['ApiError']).toMatchObject({ required: expect.arrayContaining(['code', 'message']) });
    });

    it('answers every operation of its OpenAPI document, whatever the input, with the platform error format and never a 500', async () => {
      const admin = await sut.tokenFor({ userId: 'fuzz-admin', agencyId: '', roles: ['system-admin'] });
      const document = (await request(sut.app.getHttpServer()).get('/docs-json').set('Authorization', `Bearer ${admin}`).expect(200))
        .body as OpenApiDocument;
      const tokens = [
        undefined,
        admin,
        await sut.tokenFor({ userId: '5a1e0c1a-0000-4000-8000-00000000f0f1', agencyId: FUZZ_AGENCY, roles: ['officer'] }),
        await sut.tokenFor({ userId: '5a1e0c1a-0000-4000-8000-00000000f0f2', agencyId: FUZZ_AGENCY, roles: ['agency-admin', 'reviewer'] }),
        await sut.tokenFor({
          userId: '5a1e0c1a-0000-4000-8000-00000000f0f3',
          agencyId: '5a1e0c1a-0000-4000-8000-00000000f0f5',
          roles: ['supervisor'],
          supervisedRegionCode: '310000',
        }),
      ];
      const report = await fuzzEndpoints(sut.app, document, {
        seed: FUZZ_SEED,
        runs: FUZZ_RUNS_PER_OPERATION,
        tokens,
        skip: (path) => path.startsWith('/docs') || path === '/health',
      });
      expect(report.failures.slice(0, 5)).toEqual([]);
      // It reached the operations: every one was called, and some inputs got through validation and access.
      expect(report.calls).toBe(report.operations * FUZZ_RUNS_PER_OPERATION);
      const reachedHandlers = Object.entries(report.byStatus).filter(([status]) => ![400, 401, 403, 404, 415].includes(Number(status)));
      if (report.operations > 0) expect(reachedHandlers.length).toBeGreaterThan(0);
      process.stdout.write(
        `${service.name}: ${report.operations} operations, ${report.calls} calls, by status ${JSON.stringify(report.byStatus)}\n`,
      );
    }, 120_000);

    it('serves Prometheus metrics at /metrics without a token, and a request moves the latency count of its route', async () => {
      const scrape = async () => {
        const response = await request(sut.app.getHttpServer()).get('/metrics').expect(200);
        expect(response.headers['content-type']).toContain('text/plain');
        return response.text;
      };
      const requestCount = (text: string, route: string) =>
        text
          .split('\n')
          .filter((line) => line.startsWith('http_request_duration_seconds_count{') && line.includes(`route="${route}"`))
          .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
      const before = await scrape();
      for (const name of [...COMMON_METRIC_NAMES, ...SERVICE_METRIC_NAMES[service.name]]) expect(before).toContain(`# TYPE ${name} `);
      expect(before).toMatch(new RegExp(`^outbox_backlog_events\\{service="${service.name}"\\} \\d+$`, 'm'));
      await request(sut.app.getHttpServer()).get('/health').expect(200);
      const after = await scrape();
      expect(requestCount(after, '/health')).toBe(requestCount(before, '/health') + 1);
      // The scrapes themselves are not counted.
      expect(requestCount(after, '/metrics')).toBe(0);
      // A body refused while it is read never reaches a route, and is still counted, with its status.
      const refusedBefore = after.split('\n').filter((line) => line.includes('route="unmatched",status="413"'));
      await request(sut.app.getHttpServer())
        .post('/health')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(200 * 1024) }))
        .expect(413);
      const refused = (await scrape()).split('\n').filter((line) => line.includes('route="unmatched",status="413"'));
      expect(requestCount(refused.join('\n'), 'unmatched')).toBe(requestCount(refusedBefore.join('\n'), 'unmatched') + 1);
    });

    it('answers an unknown route with the platform error format', async () => {
      const response = await request(sut.app.getHttpServer()).get('/no-such-route').expect(404);
      expect(response.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String) });
    });
  });
}
