import type { INestApplicationContext } from '@nestjs/common';
import type { Transaction } from '@enforcement/events';
import { Case } from '../../case-core/case';
import { DomainEventBus } from '../../case-core/domain-event.bus';
import { CaseRepository } from '../../cases/case.repository';
import { RecordAppenderService } from '../../records/record-appender.service';
import { CaseUnitOfWorkService } from '../case-unit-of-work.service';

/** The body of `POST /cases` most HTTP specs open: a general-procedure case against a food company, one co-officer. */
export function generalCaseBody(coOfficerId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    domain: 'market-regulation',
    regionCode: '310101',
    procedure: 'general',
    party: { kind: 'organisation', name: '上海某某食品有限公司', identifier: '91310101MA1FL1234C', contact: {} },
    allegedViolation: '销售超过保质期的食品',
    legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
    coOfficerIds: [coOfficerId],
    place: '上海市黄浦区南京东路1号',
    ...extra,
  };
}

/**
 * A decision written as CasesService writes one (the aggregate, the appender, the events), for specs whose subject
 * comes after the decision rather than the rules before it. Returns the decision record's id.
 */
export async function writeDecision(
  app: INestApplicationContext,
  caseId: string,
  by: { recordedBy: string; actingOfficerIds: string[] },
  fields: Record<string, unknown>,
): Promise<string> {
  const cases = app.get(CaseRepository, { strict: false });
  const appender = app.get(RecordAppenderService, { strict: false });
  const events = app.get<DomainEventBus<Transaction>>(DomainEventBus, { strict: false });
  return app.get(CaseUnitOfWorkService, { strict: false }).run(async (tx) => {
    const found = await cases.find(caseId, tx);
    if (!found) throw new Error(`no case ${caseId}`);
    const aggregate = Case.restore(found);
    const state = await appender.withProcedureState(tx, aggregate);
    const record = await appender.append(tx, aggregate, {
      stepType: 'decision',
      occurredAt: new Date(),
      recordedBy: by.recordedBy,
      place: '上海市黄浦区',
      actingOfficerIds: by.actingOfficerIds,
      certificates: [],
      fields: { decisionNumber: `沪黄市监罚〔2026〕${caseId.slice(0, 4)}号`, ...fields },
      text: '行政处罚决定书',
      evidence: [],
    });
    aggregate.stepRecorded('decision', record, state.partyKind);
    await cases.saveChanges(tx, aggregate.state, aggregate.pullChanges());
    await events.publish(tx, aggregate.pullEvents());
    return record.id;
  });
}
