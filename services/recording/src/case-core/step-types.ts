/** Procedural steps (执法环节) a case record can hold. */
export const STEP_TYPES = [
  'opening',
  'inspection',
  'inquiry',
  'evidence-hold',
  'evidence-hold-release',
  'sealing-seizure',
  'forced-execution',
  'notice',
  'statement',
  'hearing-request',
  'hearing-notice',
  'hearing',
  'legal-review',
  'legal-review-result',
  'collective-decision',
  'decision',
  'decision-alteration',
  'service',
  'execution',
  'closing',
  'evidence-sealed',
  'correction',
  'other',
  // The party gives up its statement and defence period or its hearing right, signed or refused on record (Art. 44, 63).
  'rights-waiver',
  // Evidence gathered by the officers: documents, samples, photographs (调查取证, Art. 54-55).
  'evidence-collection',
  // Art. 60: the officers' request for a longer decision period, the agency head's approval that grants it (recorded
  // through its own endpoint, never as an officer's step), and the suspension (中止) and resumption (恢复) that stop
  // and restart the period.
  'decision-period-extension',
  'decision-extension-approval',
  'suspension',
  'resumption',
  // Another agency assists in the case (协助): its certified officers may then act beside the case's own (Art. 42).
  'assisting-agency',
  // The agency head's or a supervisor's approval of the written justification of a gap in a step's audio/video
  // recording (国办发〔2018〕118号); recorded through its own endpoint, never as an officer's step.
  'audio-video-gap-approval',
  // Art. 27: the transfer of a possible crime to the judicial organs (行刑衔接), or the reasoned decision not to.
  'judicial-transfer',
] as const;

export type StepType = (typeof STEP_TYPES)[number];

/**
 * Investigating and enforcing steps, where at least two certified officers act (Art. 42, 55): inquiry, inspection,
 * evidence collection and holds, sealing and seizure, execution. Service is one of them when officers serve in
 * person (needsTwoOfficers).
 */
export const ON_SITE_STEPS: ReadonlySet<StepType> = new Set([
  'inspection',
  'evidence-hold',
  'sealing-seizure',
  'forced-execution',
  'inquiry',
  'evidence-collection',
  'evidence-hold-release',
  'execution',
]);

/** Ways to serve a document (送达); officers serve in person directly or by leaving it (留置) with witnesses. */
export const SERVICE_METHODS = ['direct', 'left-at-address', 'post', 'electronic', 'entrusted', 'public-notice'] as const;
/** Ways that need no officer at the party's door: post, electronic, entrusted, public notice. */
const SERVICE_WITHOUT_OFFICERS: ReadonlySet<string> = new Set(['post', 'electronic', 'entrusted', 'public-notice']);

/** Whether two certified officers must act in the step (Art. 42): a service without a method counts as direct. */
export function needsTwoOfficers(stepType: unknown, fields: unknown): boolean {
  if (ON_SITE_STEPS.has(stepType as StepType)) return true;
  if (stepType !== 'service') return false;
  const method = typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>)['method'] : undefined;
  // Any other value (an unknown method included) counts as officers serving in person: no way round the rule.
  return typeof method !== 'string' || !SERVICE_WITHOUT_OFFICERS.has(method);
}

/**
 * Steps the 2018 guidance (国办发〔2018〕118号) requires full audio/video for: actions that directly affect
 * major property rights or personal freedom. Agencies may add more.
 */
export const DEFAULT_AUDIO_VIDEO_STEPS: readonly StepType[] = ['sealing-seizure', 'forced-execution'];

/** Steps recorded by the system itself, not requested through the steps API. */
export const SYSTEM_STEPS: ReadonlySet<StepType> = new Set([
  'opening',
  'evidence-sealed',
  'legal-review-result',
  'audio-video-gap-approval',
  'decision-extension-approval',
]);
