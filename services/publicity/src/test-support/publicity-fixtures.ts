import { encodeEnvelope, Events, recordingV1, timestampFromDate, type EventDefinition } from '@enforcement/contracts';
import { outboxRowHeaders, type InProcessBroker } from '@enforcement/events';
import { withCheckCharacter } from '@enforcement/identifiers';
import { randomUUID } from 'node:crypto';
import { create, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';

/** Publishes one event the way another service's relay does. */
export async function publishEvent<D extends DescMessage>(
  broker: InProcessBroker,
  definition: EventDefinition<D>,
  init: MessageInitShape<D>,
  options: { key: string; agencyId?: string; actingUserId?: string; eventId?: string },
): Promise<string> {
  const eventId = options.eventId ?? randomUUID();
  const value = encodeEnvelope(definition, create(definition.schema, init), {
    eventId,
    occurredAt: new Date(),
    agencyId: options.agencyId ?? '',
    actingUserId: options.actingUserId ?? '',
    correlationId: eventId,
    causationId: '',
    partitionKey: options.key,
  });
  await broker.publish([
    { topic: definition.topic, key: options.key, value, headers: outboxRowHeaders({ eventId, eventType: definition.schema.typeName }) },
  ]);
  return eventId;
}

/** Personal data a leak test seeds and then looks for everywhere. */
export const SEEDED = {
  residentId: withCheckCharacter('31010119850612123'),
  residentId2: withCheckCharacter('32010219900101456'),
  phone: '13812345678',
  landline: '021-63211234',
  bankCard: '6222021234567890128',
  address: '上海市黄浦区福州路666弄12号302室',
  thirdParty: '李小龙',
  thirdParty2: '王秀英',
  personName: '张三丰',
  health: '糖尿病',
};

export type DecisionInit = MessageInitShape<typeof recordingV1.DecisionIssuedSchema>;

/** A DecisionIssued as recording sends it: an organisation fined, unless overridden. */
export function decisionIssued(overrides: Partial<DecisionInit> & { caseId?: string; agencyId: string }): DecisionInit {
  const caseId = overrides.caseId ?? randomUUID();
  return {
    caseId,
    decisionNumber: `沪市监黄处罚〔2026〕${Math.floor(Math.random() * 100000)}号`,
    penalties: [{ kind: 'fine', amountFen: 5_000_000n, description: '罚款五万元' }],
    factsSummary: '销售超过保质期的食品',
    legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
    party: { kind: recordingV1.PartyKind.ORGANISATION, name: '上海某某食品经营有限公司', isMinor: false },
    domain: 'market-regulation',
    decidedAt: timestampFromDate(new Date()),
    caseNumber: `沪黄市监立〔2026〕${caseId.slice(0, 4)}号`,
    regionCode: '310101',
    decisionText:
      '当事人上海某某食品经营有限公司销售超过保质期的食品，违反《中华人民共和国食品安全法》第三十四条第（十）项，决定罚款人民币伍万元。',
    violation: '销售超过保质期的食品',
    chainHead: 'a'.repeat(64),
    organisationCreditCode: '91310101MA1FL5LX3K',
    confidentiality: '',
    otherPersons: [],
    ...overrides,
  } as DecisionInit;
}

/** A natural person's decision whose text is full of the seeded personal data. */
export function leakyDecision(agencyId: string, caseId = randomUUID()): DecisionInit {
  const s = SEEDED;
  return decisionIssued({
    caseId,
    agencyId,
    party: { kind: recordingV1.PartyKind.NATURAL_PERSON, name: s.personName, isMinor: false },
    organisationCreditCode: '',
    otherPersons: [s.thirdParty],
    factsSummary: `${s.personName}（身份证号${s.residentId}）在${s.address}无证经营食品摊点`,
    decisionText:
      `当事人${s.personName}，身份证号码${s.residentId}，住址：${s.address}，联系电话${s.phone}，固定电话${s.landline}。` +
      `经查，当事人无证经营食品，违法所得通过银行卡${s.bankCard}收取。证人${s.thirdParty}、${s.thirdParty2}证实上述事实。` +
      `当事人称其患有${s.health}，请求从轻处罚。其妻身份证${s.residentId2}。决定罚款人民币伍仟元。`,
    penalties: [{ kind: 'fine', amountFen: 500_000n, description: `向${s.personName}罚款` }],
    violation: '未取得食品经营许可从事食品经营活动',
  });
}

export { Events };
