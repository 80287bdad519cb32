import { PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { AuthenticatedUser } from '@enforcement/auth';
import { OutboxEventEntity } from '@enforcement/events';
import { handlerWrappersOf } from '@enforcement/service-runtime';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource, MoreThan } from 'typeorm';
import { inCaseTrace } from '../cases/case-traced.decorator';
import { seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { CaseTraceParent1764100001000 } from '../migrations/1764100001000-case-trace-parent';
import { recordingService } from '../service';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000c7';
const officer = (): AuthenticatedUser => ({ userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] });
const [a, b] = [officer(), officer()];
const traceId = () => randomUUID().replace(/-/g, '');
const traceparent = (trace: string) => `00-${trace}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`;
const traceOf = (header: string | null) => header?.split('-')[1];

/** One case's work is one trace: the opening request's, continued by every later request on the case (HTTP, MariaDB). */
describe('the trace of a case', () => {
  let sut: ServiceUnderTest;
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => `Bearer ${await sut.tokenFor(user)}`;
  const outbox = () => sut.app.get(DataSource).getRepository(OutboxEventEntity);
  const lastOutboxId = async () => (await outbox().find({ order: { id: 'DESC' }, take: 1 }))[0]?.id ?? '0';
  /** The trace ids of the events staged since `afterId` (at least one: a test of none would prove nothing). */
  const tracesSince = async (afterId: string) => {
    const rows = await outbox().find({ where: { id: MoreThan(afterId) } });
    expect(rows.length).toBeGreaterThan(0);
    return [...new Set(rows.map((row) => traceOf(row.traceParent)))];
  };

  const open = async (headers: Record<string, string> = {}) => {
    const opened = await http()
      .post('/cases')
      .set({ authorization: await auth(a), ...headers })
      .set(await sut.coOfficerProofs(b))
      .send({
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party: { kind: 'natural-person', name: '张三', identifier: '11010519491231002X', contact: { phone: '13800138000' } },
        allegedViolation: '销售超过保质期的食品',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [b.userId],
        place: '上海市黄浦区南京东路1号',
      });
    expect(opened.status).toBe(201);
    return opened.body.id as string;
  };
  const inspect = async (caseId: string, headers: Record<string, string> = {}) => {
    const before = await lastOutboxId();
    const stepped = await http()
      .post(`/cases/${caseId}/steps`)
      .set({ authorization: await auth(a), ...headers })
      .set(await sut.coOfficerProofs(b))
      .send({ stepType: 'inspection', occurredAt: new Date().toISOString(), place: '上海市黄浦区南京东路1号', coOfficerIds: [b.userId] });
    expect(stepped.status).toBe(201);
    return tracesSince(before);
  };

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService);
    await seedCertificates(
      sut.app,
      [a, b].map((holder) => ({ officerId: holder.userId, agencyId: AGENCY })),
    );
  });

  afterAll(() => sut?.close());

  it('keeps the opening request`s trace (the caller`s traceparent honoured) on the case and its events; later steps continue it, whatever trace their caller is in', async () => {
    const caller = traceId();
    const before = await lastOutboxId();
    const caseId = await open({ traceparent: traceparent(caller) });

    expect(await tracesSince(before)).toEqual([caller]);
    const [stored] = (await sut.app.get(DataSource).query('SELECT trace_parent FROM cases WHERE id = ?', [caseId])) as Array<{
      trace_parent: string;
    }>;
    expect(traceOf(stored.trace_parent)).toBe(caller);
    expect(await inspect(caseId)).toEqual([caller]);
    // Another caller's trace does not take the case over: its request span is linked into the case's trace instead.
    expect(await inspect(caseId, { traceparent: traceparent(traceId()) })).toEqual([caller]);
    // The case's trace context is not part of the case as the API shows it.
    const shown = await http()
      .get(`/cases/${caseId}`)
      .set('authorization', await auth(a));
    expect(JSON.stringify(shown.body)).not.toContain(stored.trace_parent.split('-')[2]);
  });

  it('takes the column away going down, the cases kept, and brings it back empty going up (migration 1764100001000)', async () => {
    const caseId = await open();
    const queryRunner = sut.app.get(DataSource).createQueryRunner();
    try {
      await new CaseTraceParent1764100001000().down(queryRunner);
      expect(await queryRunner.hasColumn('cases', 'trace_parent')).toBe(false);
      await new CaseTraceParent1764100001000().up(queryRunner);
      expect(await queryRunner.hasColumn('cases', 'trace_parent')).toBe(true);
    } finally {
      await queryRunner.release();
    }
    const rows = (await sut.app.get(DataSource).query('SELECT trace_parent FROM cases WHERE id = ?', [caseId])) as unknown[];
    expect(rows).toEqual([{ trace_parent: null }]);
  });

  it('gives each case a trace of its own, and a case from before tracing each request`s own trace', async () => {
    const first = await open();
    const second = await open();
    const [firstTrace] = await inspect(first);
    const [secondTrace] = await inspect(second);
    expect(firstTrace).toMatch(/^[0-9a-f]{32}$/);
    expect(secondTrace).toMatch(/^[0-9a-f]{32}$/);
    expect(firstTrace).not.toBe(secondTrace);

    const old = await open();
    await sut.app.get(DataSource).query('UPDATE cases SET trace_parent = NULL WHERE id = ?', [old]);
    const caller = traceId();
    expect(await inspect(old, { traceparent: traceparent(caller) })).toEqual([caller]);
  });

  it('runs every route on one case in the case`s trace, and lists the routes it found', () => {
    const onOneCase: string[] = [];
    const untraced: string[] = [];
    for (const module of sut.app.get(ModulesContainer).values()) {
      for (const { metatype } of module.controllers.values()) {
        const controller = metatype as { name: string; prototype: Record<string, unknown> };
        const prototype = controller.prototype;
        const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
        for (const name of Object.getOwnPropertyNames(prototype)) {
          const handler = prototype[name];
          if (name === 'constructor' || typeof handler !== 'function') continue;
          const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
          if (typeof path !== 'string' || !`${base}/${path}`.includes(':caseId')) continue;
          onOneCase.push(`${base}/${path}`);
          if (!handlerWrappersOf(handler).includes(inCaseTrace as never)) untraced.push(`${controller.name}.${name}`);
        }
      }
    }

    // Enough routes that a scan finding none would not pass unnoticed.
    expect(onOneCase.length).toBeGreaterThanOrEqual(10);
    expect(untraced).toEqual([]);
  });
});
