/**
 * Kafka topics, one per bounded context and contract version. A breaking contract change gets a new
 * package (v2) and so a new topic; consumers move over at their own pace.
 */
export const Topics = {
  certificates: 'enforcement.certificates.v1',
  recording: 'enforcement.recording.v1',
  legalReview: 'enforcement.legalreview.v1',
  publicity: 'enforcement.publicity.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

/** Kafka header names; event type and id are duplicated there so tools can route without decoding. */
export const EventHeaders = {
  eventId: 'event-id',
  eventType: 'event-type',
  schemaVersion: 'schema-version',
} as const;
