import { decodeEnvelope, decodePayload, Events, Topics, type legalReviewV1 } from '@enforcement/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import { PROBE_CONSUMER, RECORDING_EVENTS } from './event-probe';

/** The consumer (inbox owner) that applies each event type, as the platform is wired today. */
const RECORDING_CONSUMES = [
  Events.AgencyRegistered,
  Events.OfficerRegistered,
  Events.OfficerRolesChanged,
  Events.CertificateIssued,
  Events.CertificateRenewed,
  Events.CertificateSuspended,
  Events.CertificateReinstated,
  Events.CertificateRevoked,
  Events.CertificateExpired,
  Events.ReviewConcluded,
  Events.CatalogPublished,
  Events.ReviewDemanded,
].map((definition) => definition.schema.typeName);
/**
 * Events the services publish for readers outside this deployment (a work list, the portal, monitoring): nothing
 * here subscribes to them, so they are written and relayed but never applied, and are no loss.
 */
const NOT_CONSUMED_HERE: ReadonlySet<string> = new Set(
  [
    Events.ReviewRequested,
    Events.ReviewAssigned,
    Events.ReviewOverdue,
    Events.DisclosurePublished,
    Events.DisclosureWithdrawn,
    Events.DisclosureOverdue,
    // Certificates' record of a legal-review qualification: readers follow the reviewer role it comes with
    // (OfficerRolesChanged), which certificates grants only with a qualification and withdraws with it.
    Events.ReviewQualificationGranted,
    Events.ReviewQualificationWithdrawn,
  ].map((definition) => definition.schema.typeName),
);
const CERTIFICATE_CHANGES: readonly string[] = [
  Events.CertificateRenewed,
  Events.CertificateSuspended,
  Events.CertificateReinstated,
  Events.CertificateRevoked,
  Events.CertificateExpired,
].map((definition) => definition.schema.typeName);
const RECORDING_CONSUMER = 'recording';
const CONSUMER_OF = new Map<string, string>([
  ...RECORDING_CONSUMES.map((type) => [type, RECORDING_CONSUMER] as const),
  ...RECORDING_EVENTS.map((definition) => [definition.schema.typeName, PROBE_CONSUMER] as const),
]);

export interface WrittenEvent {
  eventId: string;
  source: string;
  type: string;
  key: string;
  outboxId: number;
  sent: boolean;
  payload: Buffer;
}

export interface Snapshot {
  written: WrittenEvent[];
  /** consumer → event id → inbox outcome */
  inboxes: Map<string, Map<string, string>>;
  /** The probe's effect rows in the order they were applied. */
  probeEffects: Array<{ eventId: string; type: string; key: string }>;
  deadLetters: string[];
  knownAgencies: Set<string>;
  knownOfficers: Set<string>;
  knownCertificates: Map<string, number>;
  /** Legal-review results in the recording case records, in chain order per case. */
  reviewRecords: Array<{ caseId: string; sequence: number; reviewId: string }>;
  /** Messages not yet consumed, per consumer group; undefined when the broker could not be asked. */
  lag: Record<string, number | undefined>;
}

export interface Analysis {
  written: number;
  applied: number;
  duplicates: number;
  lost: number;
  details: string[];
  /** Events of one key applied in another order than they were written. */
  orderViolations: string[];
  unsent: number;
}

/**
 * Counts, from the databases themselves, every event written to an outbox and every effect applied through an
 * inbox, and compares them: each written event must have exactly one effect in the consumer that owns its type.
 */
export class EventAudit {
  private readonly pools = new Map<string, Pool>();
  private checkpoint = { written: new Set<string>(), applied: new Set<string>(), duplicates: 0 };

  constructor(
    /** source label → database URL, for every database with an outbox */
    private readonly outboxes: Record<string, string>,
    private readonly recordingUrl: string,
    private readonly probeUrl: string,
    private readonly kafka: { brokers: string[]; topicPrefix: string },
  ) {}

  private pool(url: string): Pool {
    let pool = this.pools.get(url);
    if (!pool) {
      pool = createPool({ uri: url, connectionLimit: 2, supportBigNumbers: true, bigNumberStrings: true, timezone: 'Z' });
      this.pools.set(url, pool);
    }
    return pool;
  }

  private async rows<T>(url: string, sql: string): Promise<T[]> {
    const [rows] = await this.pool(url).query<RowDataPacket[]>(sql);
    return rows as T[];
  }

  async snapshot(): Promise<Snapshot> {
    const written: WrittenEvent[] = [];
    for (const [source, url] of Object.entries(this.outboxes)) {
      const rows = await this.rows<{
        id: string;
        event_id: string;
        event_type: string;
        partition_key: string;
        sent_at: Date | null;
        payload: Buffer;
      }>(url, 'SELECT id, event_id, event_type, partition_key, sent_at, payload FROM outbox_events ORDER BY id');
      for (const row of rows) {
        written.push({
          eventId: row.event_id,
          source,
          type: row.event_type,
          key: row.partition_key,
          outboxId: Number(row.id),
          sent: row.sent_at !== null,
          payload: row.payload,
        });
      }
    }
    const inboxes = new Map<string, Map<string, string>>();
    const deadLetters: string[] = [];
    for (const url of [this.recordingUrl, this.probeUrl]) {
      for (const row of await this.rows<{ consumer: string; event_id: string; outcome: string }>(
        url,
        'SELECT consumer, event_id, outcome FROM inbox_events',
      )) {
        let inbox = inboxes.get(row.consumer);
        if (!inbox) inboxes.set(row.consumer, (inbox = new Map()));
        inbox.set(row.event_id, row.outcome);
      }
      for (const row of await this.rows<{ consumer: string; event_id: string | null; event_type: string | null; error: string }>(
        url,
        'SELECT consumer, event_id, event_type, error FROM dead_letters ORDER BY id',
      )) {
        deadLetters.push(`${row.consumer}: ${row.event_type ?? '?'} ${row.event_id ?? '?'}: ${row.error.slice(0, 300)}`);
      }
    }
    const probeEffects = (
      await this.rows<{ event_id: string; event_type: string; partition_key: string }>(
        this.probeUrl,
        'SELECT event_id, event_type, partition_key FROM probe_effects ORDER BY id',
      )
    ).map((row) => ({ eventId: row.event_id, type: row.event_type, key: row.partition_key }));
    const ids = async (table: string) =>
      new Set((await this.rows<{ id: string }>(this.recordingUrl, `SELECT id FROM ${table}`)).map((row) => row.id));
    const knownCertificates = new Map(
      (await this.rows<{ id: string; version: number }>(this.recordingUrl, 'SELECT id, version FROM known_certificates')).map((row) => [
        row.id,
        Number(row.version),
      ]),
    );
    const reviewRecords = (
      await this.rows<{ case_id: string; sequence: number; review_id: string }>(
        this.recordingUrl,
        "SELECT case_id, sequence, JSON_UNQUOTE(JSON_EXTRACT(fields, '$.reviewId')) AS review_id FROM case_records WHERE step_type = 'legal-review-result' ORDER BY case_id, sequence",
      )
    ).map((row) => ({ caseId: row.case_id, sequence: Number(row.sequence), reviewId: row.review_id }));
    return {
      written,
      inboxes,
      probeEffects,
      deadLetters,
      knownAgencies: await ids('known_agencies'),
      knownOfficers: await ids('known_officers'),
      knownCertificates,
      reviewRecords,
      lag: await this.lag(),
    };
  }

  /** Unconsumed messages of the recording service's group and of the probe's group. */
  private async lag(): Promise<Record<string, number | undefined>> {
    const groups: Record<string, string[]> = {
      [RECORDING_CONSUMER]: [Topics.certificates, Topics.legalReview],
      [PROBE_CONSUMER]: [Topics.recording],
    };
    const admin = new Kafka({
      clientId: 'fault-audit',
      brokers: this.kafka.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
      connectionTimeout: 2000,
      requestTimeout: 5000,
    }).admin();
    const result: Record<string, number | undefined> = {};
    try {
      await admin.connect();
      for (const [group, topics] of Object.entries(groups)) {
        const prefixed = topics.map((topic) => this.kafka.topicPrefix + topic);
        const committed = await admin.fetchOffsets({ groupId: this.kafka.topicPrefix + group, topics: prefixed });
        let lag = 0;
        for (const topic of prefixed) {
          const ends = await admin.fetchTopicOffsets(topic);
          const done = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
          for (const end of ends) {
            const offset = Number(done.find((partition) => partition.partition === end.partition)?.offset ?? -1);
            lag += Number(end.high) - (offset < 0 ? Number(end.low) : offset);
          }
        }
        result[group] = lag;
      }
    } catch {
      for (const group of Object.keys(groups)) result[group] ??= undefined;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    return result;
  }

  /** Compares written events and applied effects over everything since the platform started. */
  analyse(snapshot: Snapshot): Analysis & { appliedIds: Set<string>; writtenIds: Set<string> } {
    const details: string[] = [];
    const orderViolations: string[] = [];
    const writtenIds = new Set<string>();
    const appliedIds = new Set<string>();
    let lost = 0;
    let duplicates = 0;

    for (const event of snapshot.written) {
      // Written for readers outside the deployment: not part of what must be applied here.
      if (NOT_CONSUMED_HERE.has(event.type)) continue;
      if (writtenIds.has(event.eventId)) {
        duplicates++;
        details.push(`event ${event.eventId} written twice`);
      }
      writtenIds.add(event.eventId);
      const consumer = CONSUMER_OF.get(event.type);
      if (!consumer) {
        lost++;
        details.push(`no consumer for ${event.type} ${event.eventId} from ${event.source}`);
        continue;
      }
      const outcome = snapshot.inboxes.get(consumer)?.get(event.eventId);
      if (outcome !== 'processed') {
        lost++;
        details.push(
          `${event.type} ${event.eventId} (${event.source}, key ${event.key}, ${event.sent ? 'sent' : 'not sent'}) ${outcome ?? 'not applied'} by ${consumer}`,
        );
      }
    }
    for (const [consumer, inbox] of snapshot.inboxes) {
      for (const [eventId, outcome] of inbox) {
        if (outcome !== 'processed') continue;
        appliedIds.add(eventId);
        if (!writtenIds.has(eventId)) details.push(`${consumer} applied ${eventId}, which no outbox holds`);
      }
    }
    for (const letter of snapshot.deadLetters) details.push(`dead letter: ${letter}`);

    // The probe's effects have no unique key: a second row for one event is an event applied twice.
    const firstApplied = new Map<string, string[]>();
    const seen = new Set<string>();
    for (const effect of snapshot.probeEffects) {
      if (seen.has(effect.eventId)) {
        duplicates++;
        details.push(`probe applied ${effect.type} ${effect.eventId} twice`);
        continue;
      }
      seen.add(effect.eventId);
      firstApplied.set(effect.key, [...(firstApplied.get(effect.key) ?? []), effect.eventId]);
    }
    // In the recording read model, every change of a certificate bumps its version once.
    const written = snapshot.written;
    const changesOf = new Map<string, number>();
    for (const event of written) {
      if (CERTIFICATE_CHANGES.includes(event.type)) changesOf.set(event.key, (changesOf.get(event.key) ?? 0) + 1);
    }
    for (const event of written) {
      if (event.type === Events.CertificateIssued.schema.typeName) {
        const version = snapshot.knownCertificates.get(event.key);
        const expected = 1 + (changesOf.get(event.key) ?? 0);
        if (version === undefined) {
          lost++;
          details.push(`certificate ${event.key} missing from the recording read model`);
        } else if (version !== expected) {
          if (version > expected) duplicates += version - expected;
          else lost += expected - version;
          details.push(`certificate ${event.key}: version ${version} in the read model, ${expected} expected`);
        }
      }
      if (event.type === Events.AgencyRegistered.schema.typeName && !snapshot.knownAgencies.has(event.key)) {
        lost++;
        details.push(`agency ${event.key} missing from the recording agency directory`);
      }
      if (event.type === Events.OfficerRegistered.schema.typeName && !snapshot.knownOfficers.has(event.key)) {
        lost++;
        details.push(`officer ${event.key} missing from the recording read model`);
      }
    }

    // Order per key: what the probe applied, against the order of the recording outbox.
    const writtenByKey = new Map<string, string[]>();
    for (const event of written.filter((e) => e.source === 'recording').sort((x, y) => x.outboxId - y.outboxId)) {
      writtenByKey.set(event.key, [...(writtenByKey.get(event.key) ?? []), event.eventId]);
    }
    for (const [key, order] of writtenByKey) {
      const applied = firstApplied.get(key) ?? [];
      const appliedOrder = applied.filter((id) => order.includes(id));
      const expected = order.filter((id) => applied.includes(id));
      if (appliedOrder.join() !== expected.join()) orderViolations.push(`case ${key}: recording events applied by the probe out of order`);
    }
    // Order per case: the legal-review results in the case record, against the stand-in's outbox.
    const reviewIdsByCase = new Map<string, string[]>();
    for (const event of written.filter((e) => e.type === Events.ReviewConcluded.schema.typeName).sort((x, y) => x.outboxId - y.outboxId)) {
      const review = decodePayload(Events.ReviewConcluded, decodeEnvelope(event.payload)) as legalReviewV1.ReviewConcluded;
      reviewIdsByCase.set(review.caseId, [...(reviewIdsByCase.get(review.caseId) ?? []), review.reviewId]);
    }
    const recordedByCase = new Map<string, string[]>();
    for (const record of snapshot.reviewRecords)
      recordedByCase.set(record.caseId, [...(recordedByCase.get(record.caseId) ?? []), record.reviewId]);
    for (const [caseId, recorded] of recordedByCase) {
      const distinct = new Set(recorded);
      if (distinct.size !== recorded.length) {
        duplicates += recorded.length - distinct.size;
        details.push(`case ${caseId}: a legal-review result recorded twice`);
      }
      const expected = (reviewIdsByCase.get(caseId) ?? []).filter((id) => distinct.has(id));
      if ([...distinct].join() !== expected.join()) orderViolations.push(`case ${caseId}: legal-review results recorded out of order`);
    }

    return {
      written: writtenIds.size,
      applied: appliedIds.size,
      duplicates,
      lost,
      details,
      orderViolations,
      unsent: written.filter((event) => !event.sent).length,
      appliedIds,
      writtenIds,
    };
  }

  /** Waits until every outbox is relayed, every group has consumed everything, and every event is applied. */
  async settle(timeoutMs: number): Promise<Snapshot> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const snapshot = await this.snapshot().catch(() => undefined);
      if (snapshot) {
        const analysis = this.analyse(snapshot);
        const drained = Object.values(snapshot.lag).every((lag) => lag === 0);
        if (analysis.unsent === 0 && analysis.lost === 0 && drained) return snapshot;
        if (Date.now() > deadline) return snapshot;
      } else if (Date.now() > deadline) {
        return this.snapshot();
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /**
   * Settles, then reports this scenario's share: the events written and effects applied since the previous
   * report, with the platform-wide duplicates and losses (both must stay 0).
   */
  async report(label: string, timeoutMs = 240_000): Promise<Analysis & { line: string; lag: Snapshot['lag'] }> {
    const snapshot = await this.settle(timeoutMs);
    const analysis = this.analyse(snapshot);
    const written = [...analysis.writtenIds].filter((id) => !this.checkpoint.written.has(id)).length;
    const applied = [...analysis.appliedIds].filter((id) => !this.checkpoint.applied.has(id)).length;
    const duplicates = analysis.duplicates - this.checkpoint.duplicates;
    this.checkpoint = { written: analysis.writtenIds, applied: analysis.appliedIds, duplicates: analysis.duplicates };
    const line = `events written ${written}, effects applied ${applied}, duplicates ${duplicates}, lost ${analysis.lost}`;
    console.log(`[${label}] ${line} (platform so far: ${analysis.written} written, ${analysis.applied} applied)`);
    // What is lost or doubled, at once: the assertions after the last scenario come too late to read it.
    if (analysis.details.length > 0)
      console.log(`[${label}] first of ${analysis.details.length} problems:\n  ${analysis.details.slice(0, 8).join('\n  ')}`);
    return { ...analysis, written, applied, duplicates, line, lag: snapshot.lag };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pools.values()].map((pool) => pool.end()));
  }
}
