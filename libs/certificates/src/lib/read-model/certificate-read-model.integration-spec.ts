import { Logger } from '@nestjs/common';
import { Events, timestampFromDate } from '@enforcement/contracts';
import { DeadLetterEntity, EVENT_BACKBONE_ENTITIES, EVENT_BACKBONE_MIGRATIONS, EventDispatcher } from '@enforcement/events';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, eventually, type TestDatabase } from '@enforcement/testing';
import type { DataSource } from 'typeorm';
import { CERTIFICATE_READ_MODEL_ENTITIES, CERTIFICATE_READ_MODEL_MIGRATIONS } from '../../index';
import { bindingsOf, issued, terms, wire } from '../../test-support/certificate-events';
import { CertificateChecker } from '../check/certificate-checker';
import { CertificateRefusalLogService } from '../refusals/certificate-refusal-log.service';
import { CertificateRefusalRepository } from '../refusals/certificate-refusal.repository';
import { CertificateDirectoryService } from './certificate-directory.service';
import { CertificateReadModelConsumer } from './certificate-read-model.consumer';
import { CertificateReadModelRepository } from './certificate-read-model.repository';
import { KnownCertificateEntity } from './known-certificate.entity';
import { KnownOfficerEntity } from './known-officer.entity';

const quiet = new Logger('certificate-read-model-test');
quiet.warn = () => undefined;
quiet.error = () => undefined;
quiet.log = () => undefined;

const T0 = new Date('2026-01-05T01:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const DURING = new Date('2026-06-01T02:00:00Z');

/**
 * The read model on MariaDB: encoded events through the inbox dispatcher into the consumer, the directory of the
 * consuming process, a second directory standing for a replica that only polls, and the refusal log.
 */
describe(CertificateReadModelConsumer.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let directory: CertificateDirectoryService;
  let replica: CertificateDirectoryService;
  let dispatcher: EventDispatcher;
  const checker = new CertificateChecker();

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await createTestDatabase('certificates_read_model');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: ':memory:',
      entities: [...EVENT_BACKBONE_ENTITIES, ...CERTIFICATE_READ_MODEL_ENTITIES],
      migrations: [...EVENT_BACKBONE_MIGRATIONS, ...CERTIFICATE_READ_MODEL_MIGRATIONS],
    });
    directory = new CertificateDirectoryService(new CertificateReadModelRepository(dataSource), { pollIntervalMs: 0 }, quiet);
    await directory.start();
    replica = new CertificateDirectoryService(
      new CertificateReadModelRepository(dataSource),
      { pollIntervalMs: 50, pollOverlapMs: 2000 },
      quiet,
    );
    await replica.start();
    dispatcher = new EventDispatcher(dataSource, { consumer: 'recording', maxAttempts: 2, retryDelayMs: 1 }, quiet);
    for (const binding of bindingsOf(new CertificateReadModelConsumer(directory, new CertificateReadModelRepository(dataSource))))
      dispatcher.register(binding);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([directory?.stop(), replica?.stop()]);
    await dataSource?.destroy();
    await database?.drop();
  });

  const row = (id: string) => dataSource.getRepository(KnownCertificateEntity).findOneByOrFail({ id });
  const statusIn = (target: CertificateDirectoryService, officerId: string) =>
    target.certificates.certificatesOf(officerId).map((certificate) => certificate.status);
  const deadLetters = async (eventType: string) =>
    (await dataSource.getRepository(DeadLetterEntity).findBy({ eventType: `enforcement.certificates.v1.${eventType}` })).map(
      (letter) => letter.error,
    );

  it('records an issued certificate and has it in the directory as soon as the event is committed', async () => {
    expect(await dispatcher.dispatch(issued('c-zhang', 'zhang', T0, { regionCodes: ['310000'] }))).toBe('handled');

    expect(await row('c-zhang')).toMatchObject({
      number: 'No.c-zhang',
      officerId: 'zhang',
      agencyId: 'agency-huangpu',
      status: 'active',
      domains: ['market-regulation'],
      regionCodes: ['310000'],
      validFrom: new Date('2024-12-31T16:00:00Z'),
      validUntil: new Date('2026-12-31T16:00:00Z'),
      version: 1,
    });
    // No poll ran: the consumer's own directory took the change at commit.
    expect(statusIn(directory, 'zhang')).toEqual(['active']);
    expect(
      checker.check(directory.certificates, {
        officerIds: ['zhang'],
        at: DURING,
        domain: 'market-regulation',
        regionCode: '310115',
        onSite: false,
      }),
    ).toMatchObject({ ok: true, presented: [{ certificateId: 'c-zhang' }] });
  });

  it('brings a replica that got no event to the same state by polling', async () => {
    await dispatcher.dispatch(issued('c-li', 'li', T0));
    const committedAt = Date.now();

    await eventually(() => expect(statusIn(replica, 'li')).toEqual(['active']));
    await dispatcher.dispatch(
      wire(Events.CertificateSuspended, { certificateId: 'c-li', reason: '年度考试未通过' }, { occurredAt: later(1), key: 'c-li' }),
    );
    await eventually(() => expect(statusIn(replica, 'li')).toEqual(['suspended']));

    expect(replica.versionOf('c-li')).toBe(2);
    expect(replica.lastChangeAppliedAt!.getTime() - committedAt).toBeLessThan(2000);
  });

  it('follows suspension, reinstatement, revocation and expiry', async () => {
    await dispatcher.dispatch(issued('c-wang', 'wang', T0));
    const status = async () => (await row('c-wang')).status;

    await dispatcher.dispatch(wire(Events.CertificateSuspended, { certificateId: 'c-wang' }, { occurredAt: later(1), key: 'c-wang' }));
    expect(await status()).toBe('suspended');
    await dispatcher.dispatch(wire(Events.CertificateReinstated, { certificateId: 'c-wang' }, { occurredAt: later(2), key: 'c-wang' }));
    expect(await status()).toBe('active');
    await dispatcher.dispatch(
      wire(
        Events.CertificateExpired,
        { certificateId: 'c-wang', validUntil: timestampFromDate(new Date('2026-12-31T16:00:00Z')) },
        { occurredAt: later(3), key: 'c-wang' },
      ),
    );
    expect(await status()).toBe('expired');
    await dispatcher.dispatch(wire(Events.CertificateRevoked, { certificateId: 'c-wang' }, { occurredAt: later(4), key: 'c-wang' }));
    expect(await status()).toBe('revoked');
    // Revocation is final, whatever follows.
    await dispatcher.dispatch(wire(Events.CertificateReinstated, { certificateId: 'c-wang' }, { occurredAt: later(5), key: 'c-wang' }));
    await dispatcher.dispatch(
      wire(Events.CertificateRenewed, { certificateId: 'c-wang', terms: terms() }, { occurredAt: later(6), key: 'c-wang' }),
    );
    expect(await status()).toBe('revoked');
    expect(statusIn(directory, 'wang')).toEqual(['revoked']);
  });

  it('renews with new terms; an expired certificate becomes active, a suspended one stays suspended', async () => {
    const renewedUntil = new Date('2031-12-31T16:00:00Z');
    await dispatcher.dispatch(issued('c-expired', 'zhao', T0));
    await dispatcher.dispatch(wire(Events.CertificateExpired, { certificateId: 'c-expired' }, { occurredAt: later(1), key: 'c-expired' }));
    await dispatcher.dispatch(issued('c-suspended', 'zhao', T0));
    await dispatcher.dispatch(
      wire(Events.CertificateSuspended, { certificateId: 'c-suspended' }, { occurredAt: later(1), key: 'c-suspended' }),
    );

    for (const id of ['c-expired', 'c-suspended']) {
      await dispatcher.dispatch(
        wire(
          Events.CertificateRenewed,
          { certificateId: id, terms: terms({ validUntil: renewedUntil, regionCodes: ['310100'] }) },
          { occurredAt: later(2), key: id },
        ),
      );
    }

    expect(await row('c-expired')).toMatchObject({ status: 'active', validUntil: renewedUntil, regionCodes: ['310100'] });
    expect(await row('c-suspended')).toMatchObject({ status: 'suspended', validUntil: renewedUntil });
  });

  it('does not let an event older than what the row holds undo it (a replayed dead letter, say)', async () => {
    await dispatcher.dispatch(issued('c-replay', 'qian', T0));
    await dispatcher.dispatch(
      wire(Events.CertificateReinstated, { certificateId: 'c-replay' }, { occurredAt: later(10), key: 'c-replay' }),
    );
    await dispatcher.dispatch(wire(Events.CertificateSuspended, { certificateId: 'c-replay' }, { occurredAt: later(5), key: 'c-replay' }));
    expect((await row('c-replay')).status).toBe('active');

    const renewedUntil = new Date('2030-12-31T16:00:00Z');
    await dispatcher.dispatch(
      wire(
        Events.CertificateRenewed,
        { certificateId: 'c-replay', terms: terms({ validUntil: renewedUntil }) },
        { occurredAt: later(20), key: 'c-replay' },
      ),
    );
    await dispatcher.dispatch(
      wire(
        Events.CertificateRenewed,
        { certificateId: 'c-replay', terms: terms({ validUntil: new Date('2027-12-31T16:00:00Z') }) },
        { occurredAt: later(15), key: 'c-replay' },
      ),
    );
    // The expiry job saw the terms before the renewal.
    await dispatcher.dispatch(
      wire(
        Events.CertificateExpired,
        { certificateId: 'c-replay', validUntil: timestampFromDate(new Date('2026-12-31T16:00:00Z')) },
        { occurredAt: later(30), key: 'c-replay' },
      ),
    );

    expect(await row('c-replay')).toMatchObject({ status: 'active', validUntil: renewedUntil });
  });

  it('has the effect of a redelivered event once', async () => {
    await dispatcher.dispatch(issued('c-once', 'sun', T0));
    const suspended = wire(Events.CertificateSuspended, { certificateId: 'c-once' }, { occurredAt: later(1), key: 'c-once' });

    expect(await dispatcher.dispatch(suspended)).toBe('handled');
    expect(await dispatcher.dispatch(suspended)).toBe('duplicate');

    expect((await row('c-once')).version).toBe(2);
  });

  it('dead-letters a status event for a certificate it never saw issued', async () => {
    const result = await dispatcher.dispatch(
      wire(Events.CertificateRevoked, { certificateId: 'c-unknown' }, { occurredAt: T0, key: 'c-unknown' }),
    );

    expect(result).toBe('dead-lettered');
    expect(await deadLetters('CertificateRevoked')).toEqual([expect.stringContaining('unknown certificate c-unknown')]);
  });

  it('dead-letters events without the ids or terms they need', async () => {
    expect(await dispatcher.dispatch(wire(Events.CertificateSuspended, { certificateId: '' }, { occurredAt: T0, key: 'x' }))).toBe(
      'dead-lettered',
    );
    expect(
      await dispatcher.dispatch(
        wire(
          Events.CertificateIssued,
          { certificateId: 'c-bad', certificateNumber: 'N', officerId: '', agencyId: 'a', terms: terms() },
          { occurredAt: T0, key: 'c-bad' },
        ),
      ),
    ).toBe('dead-lettered');
    expect(
      await dispatcher.dispatch(
        wire(
          Events.CertificateIssued,
          { certificateId: 'c-bad2', certificateNumber: 'N', officerId: 'o', agencyId: 'a', terms: terms({ regionCodes: ['31'] }) },
          { occurredAt: T0, key: 'c-bad2' },
        ),
      ),
    ).toBe('dead-lettered');

    expect(await deadLetters('CertificateIssued')).toEqual([
      expect.stringContaining('without certificate id, number, officer id or agency id'),
      expect.stringContaining('not GB/T 2260 division codes: 31'),
    ]);
    expect(await dataSource.getRepository(KnownCertificateEntity).countBy({ id: 'c-bad' })).toBe(0);
  });

  it('leaves the directory untouched when the transaction that changed the row rolls back', async () => {
    await dispatcher.dispatch(issued('c-rollback', 'zhou', T0));
    const failing = new EventDispatcher(dataSource, { consumer: 'failing', maxAttempts: 1, retryDelayMs: 1 }, quiet);
    for (const binding of bindingsOf(new CertificateReadModelConsumer(directory, new CertificateReadModelRepository(dataSource))))
      failing.register(binding);
    failing.register({
      definition: Events.CertificateSuspended,
      name: 'fails-after-the-consumer',
      handle: async () => Promise.reject(new Error('later handler failed')),
    });

    expect(
      await failing.dispatch(
        wire(Events.CertificateSuspended, { certificateId: 'c-rollback' }, { occurredAt: later(1), key: 'c-rollback' }),
      ),
    ).toBe('dead-lettered');

    expect((await row('c-rollback')).status).toBe('active');
    expect(statusIn(directory, 'zhou')).toEqual(['active']);
  });

  it('keeps officers with their roles and supervised region, newest roles winning', async () => {
    await dispatcher.dispatch(
      wire(
        Events.OfficerRegistered,
        { officerId: 'o-sup', agencyId: 'a1', name: '钱监督', roles: ['officer'] },
        { occurredAt: T0, key: 'o-sup' },
      ),
    );
    await dispatcher.dispatch(
      wire(
        Events.OfficerRolesChanged,
        { officerId: 'o-sup', agencyId: 'a1', roles: ['officer', 'supervisor', 'future-role'], supervisedRegionCode: '310000' },
        { occurredAt: later(2), key: 'o-sup' },
      ),
    );
    await dispatcher.dispatch(
      wire(Events.OfficerRolesChanged, { officerId: 'o-sup', agencyId: 'a1', roles: ['officer'] }, { occurredAt: later(1), key: 'o-sup' }),
    );

    expect(await dataSource.getRepository(KnownOfficerEntity).findOneByOrFail({ id: 'o-sup' })).toMatchObject({
      agencyId: 'a1',
      name: '钱监督',
      roles: ['officer', 'supervisor'],
      supervisedRegionCode: '310000',
    });
    expect(
      await dispatcher.dispatch(
        wire(Events.OfficerRolesChanged, { officerId: 'o-nobody', roles: ['officer'] }, { occurredAt: T0, key: 'o-nobody' }),
      ),
    ).toBe('dead-lettered');
  });

  describe(CertificateRefusalLogService.name, () => {
    let sut: CertificateRefusalLogService;
    const refusal = (minute: number, regionCode: string, code: 'CERTIFICATE_MISSING' | 'TOO_FEW_OFFICERS', agencyId = 'a1') => ({
      occurredAt: later(minute),
      userId: 'zhang',
      agencyId,
      officerId: code === 'TOO_FEW_OFFICERS' ? null : 'zhang',
      officerIds: ['zhang'],
      code,
      route: 'POST /cases/:caseId/steps',
      domain: 'market-regulation',
      regionCode,
      onSite: code === 'TOO_FEW_OFFICERS',
    });

    beforeAll(async () => {
      sut = new CertificateRefusalLogService(new CertificateRefusalRepository(dataSource));
      await sut.record(refusal(1, '310101', 'CERTIFICATE_MISSING'));
      await sut.record(refusal(2, '310115', 'TOO_FEW_OFFICERS'));
      await sut.record(refusal(3, '320102', 'CERTIFICATE_MISSING', 'a2'));
      await sut.record(refusal(4, '310101', 'TOO_FEW_OFFICERS'));
    });

    it('lists refusals newest first, page by page', async () => {
      const first = await sut.list({ limit: 3 });
      const second = await sut.list({ limit: 3, after: first.next });

      expect(first.items.map((r) => r.occurredAt)).toEqual([later(4), later(3), later(2)]);
      expect(second.items.map((r) => r.occurredAt)).toEqual([later(1)]);
      expect(second.next).toBeUndefined();
      expect(first.items[0]).toMatchObject({ officerId: null, officerIds: ['zhang'], onSite: true, route: 'POST /cases/:caseId/steps' });
    });

    it('filters by time, agency, code and region', async () => {
      const ids = async (query: Parameters<CertificateRefusalLogService['list']>[0]) =>
        (await sut.list(query)).items.map((r) => r.occurredAt.getTime());

      expect(await ids({ limit: 10, from: later(2), to: later(4) })).toEqual([later(3), later(2)].map(Number));
      expect(await ids({ limit: 10, agencyId: 'a2' })).toEqual([later(3).getTime()]);
      expect(await ids({ limit: 10, code: 'TOO_FEW_OFFICERS' })).toEqual([later(4), later(2)].map(Number));
      expect(await ids({ limit: 10, withinRegion: '310000' })).toEqual([later(4), later(2), later(1)].map(Number));
      expect(await ids({ limit: 10, withinRegion: '310101' })).toEqual([later(4), later(1)].map(Number));
      expect(await ids({ limit: 10, withinRegion: '320100' })).toEqual([later(3).getTime()]);
    });
  });
});
