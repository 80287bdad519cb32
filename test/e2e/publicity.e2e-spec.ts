import { addDays, chinaDayOf, endOfChinaDay, isWeekend, OFFICIAL_CALENDAR_YEARS, WorkingDayCalendar } from '@enforcement/calendar';
import { randomBytes, randomInt } from 'node:crypto';
import { request, requestWithProofs, residentId, setUpActors, type Actors } from '../support/case-scenario';
import { startDistributed, type DistributedPlatform } from '../support/distributed';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver';
import { eventually } from '../support/processes';

const DAY = 24 * 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const LATE_ENTRY_REASON = '案件纸质卷宗补录入系统';

/** The public API, as anyone calls it: no token at all. */
async function publicGet(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Publicity across services over Kafka on MariaDB: a decision issued in recording appears, redacted, in the public
 * API within its deadline (counted on the calendar recording loaded, with a holiday it added); its revocation
 * withdraws it with the reason; a minor's case never appears.
 */
describe('publicity of decisions (distributed)', () => {
  let platform: DistributedPlatform;
  let otlp: OtlpReceiver;
  let recording: string;
  let publicity: string;
  let actors: Actors;
  let reviewer: string;
  const personId = residentId();
  const witnessId = residentId();
  const phone = '13912345678';
  const address = '上海市黄浦区福州路666弄12号302室';
  const year = Number(chinaDayOf(new Date()).slice(0, 4));
  /** The next weekday after tomorrow: made a holiday in the calendar recording loads. */
  const extraHoliday = (() => {
    let day = addDays(chinaDayOf(new Date()), 2);
    while (isWeekend(day)) day = addDays(day, 1);
    return day;
  })();

  const step = (caseId: string, body: Record<string, unknown>) =>
    requestWithProofs(actors, 'POST', `${recording}/cases/${caseId}/steps`, actors.a.token, {
      place: '上海市黄浦区南京东路1号',
      lateEntryReason: LATE_ENTRY_REASON,
      ...body,
    });

  /** A case opened 40 days ago against a natural person, inspected, notified, decided now. */
  async function decidedCase(options: { isMinor?: boolean; decisionNumber: string; traceparent?: string }): Promise<string> {
    const openedAt = Date.now() - 40 * DAY;
    const traceHeaders: Record<string, string> = options.traceparent ? { traceparent: options.traceparent } : {};
    const opened = await requestWithProofs(
      actors,
      'POST',
      `${recording}/cases`,
      actors.a.token,
      {
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party: {
          kind: 'natural-person',
          name: '张三丰',
          identifier: personId,
          contact: { phone, address },
          isMinor: options.isMinor ?? false,
        },
        allegedViolation: '未取得食品经营许可从事食品经营活动',
        legalBasis: '《中华人民共和国食品安全法》第一百二十二条',
        coOfficerIds: [actors.b.id],
        occurredAt: iso(openedAt),
        lateEntryReason: LATE_ENTRY_REASON,
      },
      undefined,
      traceHeaders,
    );
    expect(opened.status).toBe(201);
    const caseId = String(opened.body['id']);
    const fine = { penalties: [{ kind: 'fine', amountFen: 500_000 }], facts: '无证经营食品' };
    expect(
      (await step(caseId, { stepType: 'inspection', occurredAt: iso(openedAt + DAY), coOfficerIds: [actors.b.id], text: '现场检查' }))
        .status,
    ).toBe(201);
    expect((await step(caseId, { stepType: 'notice', occurredAt: iso(openedAt + 2 * DAY), fields: fine })).status).toBe(201);
    const decision = await step(caseId, {
      stepType: 'decision',
      occurredAt: iso(Date.now() - 60_000),
      text:
        `当事人张三丰，身份证号码${personId}，住址：${address}，联系电话${phone}。经查，当事人无证经营食品，` +
        `证人李小龙（身份证${witnessId}）证实。决定罚款人民币伍仟元。`,
      fields: { ...fine, decisionNumber: options.decisionNumber, partyPresent: true, otherPersons: ['李小龙'] },
    });
    expect(decision.status).toBe(201);
    return caseId;
  }

  /**
   * One case's work is one trace across the services (issue #14): the request that opened the case, a child of its
   * caller's span; every step taken on it later, by requests each in a trace of their own and linked into the case's;
   * and publicity's consumer of the decision, a child of the recording span that emitted it, over Kafka.
   */
  async function expectOneTrace(caseTrace: string, callerSpan: string): Promise<void> {
    const inTrace = () => otlp.spans.filter((span) => span.traceId === caseTrace);
    const consumed = await eventually(
      async () =>
        inTrace().find(
          (span) => span.service === 'publicity' && span.kind === SPAN_KIND.consumer && span.name === 'publicity process DecisionIssued',
        ),
      30_000,
      "publicity's consumer of DecisionIssued in the case's trace",
    );
    const opening = inTrace().find((span) => span.service === 'recording' && span.kind === SPAN_KIND.server && span.name === 'POST /cases');
    expect(opening?.parentSpanId).toBe(callerSpan);
    const steps = inTrace().filter((span) => span.service === 'recording' && span.name === 'case POST /cases/:caseId/steps');
    expect(steps).toHaveLength(3);
    for (const step of steps) {
      expect(step.links).toHaveLength(1);
      expect(step.links[0].traceId).not.toBe(caseTrace);
    }
    expect(steps.map((step) => step.spanId)).toContain(consumed.parentSpanId);
  }

  const disclosureOf = (caseId: string, status?: string) =>
    eventually(
      async () => {
        const list = await request('GET', `${publicity}/disclosures?status=${status ?? 'pending-review'}`, reviewer);
        return (list.body['items'] as Array<Record<string, unknown>> | undefined)?.find((d) => d['caseId'] === caseId);
      },
      60_000,
      `the disclosure of case ${caseId} in publicity`,
    );

  beforeAll(async () => {
    // Publicity counts waiting deadlines again each second (the calendar may reach it after a decision).
    // The services export their spans to a collector the test plays (issue #14: one case, one trace).
    otlp = await startOtlpReceiver();
    platform = await startDistributed(['certificates', 'recording', 'publicity'], {
      env: {
        DISCLOSURE_CHECK_INTERVAL_MS: '1000',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    });
    recording = platform.urls['recording'];
    publicity = platform.urls['publicity'];
    actors = await setUpActors(platform, platform.urls['certificates'], recording);
    reviewer = await platform.sign({ userId: 'e2e-publicity-admin', agencyId: actors.agencyId, roles: ['agency-admin'] });
    // Recording loads this year with one more holiday; publicity follows CalendarYearLoaded.
    const official = OFFICIAL_CALENDAR_YEARS.find((y) => y.year === year);
    const loaded = await request('PUT', `${recording}/calendar/years/${year}`, actors.admin, {
      holidays: [...(official?.holidays ?? []), extraHoliday].sort(),
      workingWeekendDays: official?.workingWeekendDays ?? [],
      source: '测试：增加一天假期',
    });
    expect(loaded.status).toBe(200);
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    await otlp?.stop();
  });

  it('a decision appears redacted in the public API within its deadline, counted on the loaded calendar; its revocation withdraws it with the reason', async () => {
    const decisionNumber = `沪黄市监罚〔${year}〕${randomInt(1000, 9999)}号`;
    // The caller (a gateway, say) opens the case inside a trace of its own: the case's work continues it.
    const caseTrace = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const caseId = await decidedCase({ decisionNumber, traceparent: `00-${caseTrace}-${callerSpan}-01` });
    const disclosure = await disclosureOf(caseId);
    await expectOneTrace(caseTrace, callerSpan);
    // 7 working days from today, the added holiday skipped.
    const official = OFFICIAL_CALENDAR_YEARS.filter((y) => y.year !== year);
    const withHoliday = new WorkingDayCalendar([
      ...official,
      {
        year,
        holidays: [...(OFFICIAL_CALENDAR_YEARS.find((y) => y.year === year)?.holidays ?? []), extraHoliday].sort(),
        workingWeekendDays: OFFICIAL_CALENDAR_YEARS.find((y) => y.year === year)?.workingWeekendDays ?? [],
      },
    ]);
    const expected = withHoliday.addWorkingDays(new Date(Date.now() - 60_000), 7);
    const without = new WorkingDayCalendar(OFFICIAL_CALENDAR_YEARS).addWorkingDays(new Date(Date.now() - 60_000), 7);
    expect(expected.lastDay).not.toBe(without.lastDay);
    await eventually(
      async () => {
        const current = await request('GET', `${publicity}/disclosures/${String(disclosure['id'])}`, reviewer);
        return current.body['dueAt'] === endOfChinaDay(expected.lastDay).toISOString() ? true : undefined;
      },
      30_000,
      `the deadline ${expected.lastDay} on the loaded calendar (${without.lastDay} without its added holiday)`,
    );
    const detail = await request('GET', `${publicity}/disclosures/${String(disclosure['id'])}`, reviewer);
    expect(JSON.stringify(detail.body['original'])).toContain(personId);
    const approved = await request('POST', `${publicity}/disclosures/${String(disclosure['id'])}/approval`, reviewer, {});
    expect(approved.status).toBe(200);
    expect(Date.parse(String(approved.body['dueAt']))).toBeGreaterThan(Date.now());

    const found = await publicGet(`${publicity}/public/decisions?q=${encodeURIComponent('经营许可')}`);
    const item = (found.body['items'] as Array<Record<string, unknown>>).find((i) => i['id'] === disclosure['id']);
    expect(item).toBeDefined();
    const text = JSON.stringify(item);
    for (const secret of [personId, witnessId, phone, '福州路666弄', '李小龙', '张三丰']) expect(text).not.toContain(secret);
    expect(text).toContain('张某某');

    const revoked = await request('POST', `${recording}/cases/${caseId}/decision-alterations`, actors.a.token, {
      kind: 'revoked',
      reason: '行政复议决定撤销原处罚决定',
      basis: '沪黄府复〔2026〕12号',
    });
    expect(revoked.status).toBe(201);
    const withdrawn = await eventually(
      async () => {
        const page = await publicGet(`${publicity}/public/decisions/${String(disclosure['id'])}`);
        return page.body['status'] === 'withdrawn' ? page.body : undefined;
      },
      60_000,
      'the withdrawal in publicity',
    );
    expect(withdrawn['withdrawalReason']).toBe('该行政处罚决定已被撤销：行政复议决定撤销原处罚决定');
    expect(withdrawn['record']).toBeUndefined();
  });

  it('a minor’s case never appears', async () => {
    const caseId = await decidedCase({ isMinor: true, decisionNumber: `沪黄市监罚〔${year}〕${randomInt(1000, 9999)}号` });
    const held = await disclosureOf(caseId, 'not-published');
    expect(held['notPublishedCode']).toBe('PARTY_IS_MINOR');
    const everything = await publicGet(`${publicity}/public/open-data/decisions`);
    expect(JSON.stringify(everything.body)).not.toContain(caseId);
    expect((await publicGet(`${publicity}/public/decisions/${String(held['id'])}`)).status).toBe(404);
  });
});
