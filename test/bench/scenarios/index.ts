import type { Scenario } from '../harness';
import { certificateCheckLatency } from './certificate-check-latency.bench';
import { certificateGuardOverhead } from './certificate-guard-overhead.bench';
import { eventLatency } from './event-latency.bench';
import { evidenceUpload } from './evidence-upload.bench';
import { legalReviewEvaluation } from './legal-review-evaluation.bench';
import { legalReviewGateLatency } from './legal-review-gate-latency.bench';
import { publicityPublicationLatency } from './publicity-publication-latency.bench';
import { publicitySearchLatency } from './publicity-search-latency.bench';
import { recordedSteps, recordedStepsOnLongCases } from './recorded-steps.bench';
import { relayThroughput } from './relay-throughput.bench';

/**
 * Every scenario `npm run bench` knows, in the order they run. Factories rather than instances, so
 * each run starts from fresh state. To add one: write scenarios/<name>.bench.ts exporting a factory
 * and list it here.
 */
export const SCENARIOS: ReadonlyArray<() => Scenario> = [
  relayThroughput,
  certificateGuardOverhead,
  certificateCheckLatency,
  recordedSteps,
  recordedStepsOnLongCases,
  evidenceUpload,
  eventLatency,
  legalReviewEvaluation,
  legalReviewGateLatency,
  publicitySearchLatency,
  publicityPublicationLatency,
];
