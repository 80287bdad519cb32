import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import * as certificates from '../gen/enforcement/certificates/v1/events_pb';
import * as legalReview from '../gen/enforcement/legalreview/v1/events_pb';
import * as publicity from '../gen/enforcement/publicity/v1/events_pb';
import * as recording from '../gen/enforcement/recording/v1/events_pb';
import { Topic, Topics } from './topics';

/** A payload schema that may travel as an event, with the topic it travels on. */
export interface EventDefinition<Desc extends DescMessage = DescMessage> {
  readonly schema: Desc;
  readonly topic: Topic;
  readonly schemaVersion: number;
}

function define<Desc extends DescMessage>(schema: Desc, topic: Topic): EventDefinition<Desc> {
  return { schema, topic, schemaVersion: 1 };
}

/** Every event of the platform, by short name. The event type on the wire is `schema.typeName`. */
export const Events = {
  AgencyRegistered: define(certificates.AgencyRegisteredSchema, Topics.certificates),
  OfficerRegistered: define(certificates.OfficerRegisteredSchema, Topics.certificates),
  OfficerRolesChanged: define(certificates.OfficerRolesChangedSchema, Topics.certificates),
  CertificateIssued: define(certificates.CertificateIssuedSchema, Topics.certificates),
  CertificateRenewed: define(certificates.CertificateRenewedSchema, Topics.certificates),
  CertificateSuspended: define(certificates.CertificateSuspendedSchema, Topics.certificates),
  CertificateReinstated: define(certificates.CertificateReinstatedSchema, Topics.certificates),
  CertificateRevoked: define(certificates.CertificateRevokedSchema, Topics.certificates),
  CertificateExpired: define(certificates.CertificateExpiredSchema, Topics.certificates),
  ReviewQualificationGranted: define(certificates.ReviewQualificationGrantedSchema, Topics.certificates),
  ReviewQualificationWithdrawn: define(certificates.ReviewQualificationWithdrawnSchema, Topics.certificates),
  CaseOpened: define(recording.CaseOpenedSchema, Topics.recording),
  StepRecorded: define(recording.StepRecordedSchema, Topics.recording),
  EvidenceSealed: define(recording.EvidenceSealedSchema, Topics.recording),
  EvidenceFixityFailed: define(recording.EvidenceFixityFailedSchema, Topics.recording),
  DecisionProposed: define(recording.DecisionProposedSchema, Topics.recording),
  PenaltyNotified: define(recording.PenaltyNotifiedSchema, Topics.recording),
  DecisionIssued: define(recording.DecisionIssuedSchema, Topics.recording),
  DecisionAltered: define(recording.DecisionAlteredSchema, Topics.recording),
  CaseClosed: define(recording.CaseClosedSchema, Topics.recording),
  CalendarYearLoaded: define(recording.CalendarYearLoadedSchema, Topics.recording),
  ReviewRequested: define(legalReview.ReviewRequestedSchema, Topics.legalReview),
  ReviewAssigned: define(legalReview.ReviewAssignedSchema, Topics.legalReview),
  ReviewConcluded: define(legalReview.ReviewConcludedSchema, Topics.legalReview),
  ReviewOverdue: define(legalReview.ReviewOverdueSchema, Topics.legalReview),
  CatalogPublished: define(legalReview.CatalogPublishedSchema, Topics.legalReview),
  ReviewDemanded: define(legalReview.ReviewDemandedSchema, Topics.legalReview),
  DisclosurePublished: define(publicity.DisclosurePublishedSchema, Topics.publicity),
  DisclosureWithdrawn: define(publicity.DisclosureWithdrawnSchema, Topics.publicity),
  DisclosureOverdue: define(publicity.DisclosureOverdueSchema, Topics.publicity),
} as const;

export type EventName = keyof typeof Events;
export type EventPayload<N extends EventName> = MessageShape<(typeof Events)[N]['schema']>;

const byTypeName = new Map<string, EventDefinition>(Object.values(Events).map((definition) => [definition.schema.typeName, definition]));

/** The definition for a wire event type, or undefined for a type this build does not know. */
export function findEventDefinition(eventType: string): EventDefinition | undefined {
  return byTypeName.get(eventType);
}
