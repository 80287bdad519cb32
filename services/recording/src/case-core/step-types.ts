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
  // Art. 60: the agency head's approval of a longer decision period, and the suspension (中止) and resumption (恢复)
  // that stop and restart it.
  'decision-period-extension',
  'suspension',
  'resumption',
] as const;

export type StepType = (typeof STEP_TYPES)[number];

/** Steps officers take in the field, where at least two certified officers act (Art. 42). */
export const ON_SITE_STEPS: ReadonlySet<StepType> = new Set(['inspection', 'evidence-hold', 'sealing-seizure', 'forced-execution']);

/**
 * Steps the 2018 guidance (国办发〔2018〕118号) requires full audio/video for: actions that directly affect
 * major property rights or personal freedom. Agencies may add more.
 */
export const DEFAULT_AUDIO_VIDEO_STEPS: readonly StepType[] = ['sealing-seizure', 'forced-execution'];

/** Steps recorded by the system itself, not requested through the steps API. */
export const SYSTEM_STEPS: ReadonlySet<StepType> = new Set(['opening', 'evidence-sealed', 'legal-review-result']);
