import type { ServiceDefinition } from '@enforcement/service-runtime';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startServiceForTest, type ServiceUnderTest } from './service-harness';

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

    it('answers an unknown route with the platform error format', async () => {
      const response = await request(sut.app.getHttpServer()).get('/no-such-route').expect(404);
      expect(response.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String) });
    });
  });
}
