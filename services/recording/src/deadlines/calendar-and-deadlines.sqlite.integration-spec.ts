import type { AuthenticatedUser } from '@enforcement/auth';
import { dayRange } from '@enforcement/calendar';
import type { Transaction } from '@enforcement/events';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { GENESIS_HASH } from '../case-core/hash-chain';
import { CaseEntity } from '../cases/case.entity';
import { CaseRecordEntity } from '../records/case-record.entity';
import { DeadlineTrackerService } from './deadline-tracker.service';
import { startDeadlinesTestApp, type DeadlinesTestApp } from './test-support/deadlines-test-app';

const shanghai = (local: string) => new Date(`${local}+08:00`);
const sysadmin: AuthenticatedUser = { userId: 'root', agencyId: '', roles: ['system-admin'] };

/** Embedded mode (`npm start`) runs on SQLite: the same seed, upsert, tracking and lists must work there. */
describe('calendar and deadlines on SQLite', () => {
  let dir: string;
  let sut: DeadlinesTestApp;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recording-sqlite-'));
    sut = await startDeadlinesTestApp({ sqliteFile: path.join(dir, 'recording.sqlite') }, shanghai('2025-09-30T10:00:00'));
  });

  afterAll(async () => {
    await sut?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds, loads a year, tracks a case and lists it for supervision', async () => {
    const http = request(sut.app.getHttpServer());
    const headers = await sut.as(sysadmin);
    expect((await http.get('/calendar/years').set(headers).expect(200)).body.map((year: { year: number }) => year.year)).toEqual([
      2025, 2026,
    ]);
    const year2027 = {
      holidays: ['2027-01-01', ...dayRange('2027-02-06', '2027-02-15')],
      workingWeekendDays: ['2027-02-20'],
      source: '测试',
    };
    await http.put('/calendar/years/2027').set(headers).send(year2027).expect(200);
    await http
      .put('/calendar/years/2027')
      .set(headers)
      .send({ ...year2027, source: '测试（更正）' })
      .expect(200);
    expect((await http.get('/calendar/years/2027').set(headers).expect(200)).body.source).toBe('测试（更正）');

    const dataSource = sut.app.get(DataSource);
    const caseRow: CaseEntity = {
      id: randomUUID(),
      agencyId: 'agency-huangpu',
      caseNumber: '案-sqlite',
      domain: 'market-regulation',
      regionCode: '310101',
      procedure: 'general',
      status: 'open',
      allegedViolation: '—',
      legalBasis: '—',
      handlingOfficerIds: ['a', 'b'],
      requiresCollectiveDecision: false,
      legalReviewStatus: 'not-required',
      openedAt: shanghai('2025-09-26T09:00:00'),
      openedBy: 'a',
      closedAt: null,
      recordCount: 1,
      chainHead: GENESIS_HASH,
    };
    await dataSource.manager.insert(CaseEntity, caseRow);
    const hold: CaseRecordEntity = {
      id: randomUUID(),
      caseId: caseRow.id,
      sequence: 1,
      stepType: 'evidence-hold',
      occurredAt: shanghai('2025-09-26T15:30:00'),
      recordedAt: new Date(),
      recordedBy: 'a',
      place: '—',
      actingOfficerIds: ['a', 'b'],
      certificates: [],
      fields: {},
      text: '—',
      evidence: [],
      correctsRecordId: null,
      previousHash: GENESIS_HASH,
      hash: 'f'.repeat(64),
    };
    await dataSource.manager.insert(CaseRecordEntity, hold as QueryDeepPartialEntity<CaseRecordEntity>);
    await dataSource.transaction((manager) => {
      const tx: Transaction = { manager, emit: () => Promise.reject(new Error('the tracker emits nothing')) };
      return sut.app.get(DeadlineTrackerService).onRecord(tx, caseRow, hold);
    });

    const nearing = await http.get('/supervision/deadlines?state=nearing&withinWorkingDays=7&regionCode=310100').set(headers).expect(200);
    expect(nearing.body.items).toEqual([
      expect.objectContaining({ caseNumber: '案-sqlite', kind: 'evidence-hold-7wd', dueAt: shanghai('2025-10-14T00:00:00').toISOString() }),
    ]);
    // Due at 00:00 after its last day: overdue from that very instant.
    sut.clock.now = shanghai('2025-10-14T00:00:00');
    const overdue = await http.get('/supervision/deadlines?state=overdue&limit=1').set(headers).expect(200);
    expect(overdue.body.items.map((item: { caseNumber: string }) => item.caseNumber)).toEqual(['案-sqlite']);
  });
});
