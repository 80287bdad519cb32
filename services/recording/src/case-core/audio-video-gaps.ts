import { coversWindow, type RecordingWindow } from './audio-video-coverage';
import { RecordingError } from './recording.error';

/**
 * Full audio/video recording (全程音像记录) of the steps that directly affect major property rights or personal
 * freedom, and of the others an agency adds (国办发〔2018〕118号, 执法全过程记录制度).
 */
export const AUDIO_VIDEO_GUIDANCE = '国办发〔2018〕118号';

/** The field a step's written justification of a gap in its recording is kept under. */
export const GAP_JUSTIFICATION_FIELD = 'audioVideoGapJustification';

/**
 * The field that makes a step a sealing or seizure whatever it is called: the list of the property sealed or seized
 * (查封扣押财物清单), which only a sealing-seizure step may carry, so the step cannot escape its audio/video rule by
 * being recorded as 'other' or 'inspection'.
 */
export const PROPERTY_LIST_FIELD = 'propertyList';

export interface CoverageInput {
  /** Whether the agency's matrix requires full audio/video for the step type. */
  required: boolean;
  /** The sealed evidence the step names, with their media types and recording windows. */
  items: ReadonlyArray<RecordingWindow & { mediaType: string }>;
  occurredAt: Date;
  /** When the step ended, as the step states it; required where audio/video is. */
  endedAt: Date | undefined;
  justification: string | undefined;
}

/** Audio or video: photos and documents are evidence too, but they do not record a step from its start to its end. */
export function isAudioOrVideo(mediaType: string): boolean {
  return /^(audio|video)\//i.test(mediaType);
}

/**
 * Whether the step has a gap in its recording that a justification stands in for (then it waits for the agency
 * head's or a supervisor's approval); refuses a required step that states no end, or that is neither covered by
 * audio/video nor justified.
 */
export function audioVideoGapOf(input: CoverageInput): boolean {
  if (!input.required) return false;
  if (!input.endedAt) {
    throw new RecordingError('AUDIO_VIDEO_WINDOW_REQUIRED', '须全程音像记录的环节应载明开始和结束时间（occurredAt、endedAt）', 'invalid', {
      article: AUDIO_VIDEO_GUIDANCE,
    });
  }
  const recordings = input.items.filter((item) => isAudioOrVideo(item.mediaType));
  if (coversWindow(recordings, input.occurredAt, input.endedAt)) return false;
  if (!input.justification?.trim()) {
    throw new RecordingError(
      'AUDIO_VIDEO_REQUIRED',
      '该环节须全程音像记录：请关联覆盖该环节的音像证据（照片、文书不能替代），或书面说明未能全程记录的理由',
      'refused',
      { article: AUDIO_VIDEO_GUIDANCE },
    );
  }
  return true;
}

/** A property list makes a step a sealing or seizure, under that step type only. */
export function checkPropertyList(stepType: string, fields: Record<string, unknown>): void {
  if (fields[PROPERTY_LIST_FIELD] !== undefined && stepType !== 'sealing-seizure') {
    throw new RecordingError(
      'SEALING_STEP_REQUIRED',
      '载有查封扣押财物清单的环节应作为查封扣押（sealing-seizure）记录，并按要求全程音像记录',
      'invalid',
      { article: AUDIO_VIDEO_GUIDANCE, details: { stepType } },
    );
  }
}

/** Legal review and closing wait until every gap in the case's recording has been approved. */
export function checkNoUnapprovedGaps(stepType: string, unapprovedGapRecordIds: readonly string[] | undefined): void {
  if ((stepType === 'legal-review' || stepType === 'closing') && (unapprovedGapRecordIds?.length ?? 0) > 0) {
    throw new RecordingError(
      'AUDIO_VIDEO_GAP_UNAPPROVED',
      '本案有未全程音像记录的环节，其书面说明尚未经机关负责人或执法监督人员批准，不能提交法制审核或结案',
      'refused',
      { article: AUDIO_VIDEO_GUIDANCE, details: { recordIds: unapprovedGapRecordIds } },
    );
  }
}

/** The gaps still waiting for approval after `step` (a justified gap adds one; an approval takes its gap away). */
export function foldAudioVideoGaps(
  unapproved: string[] | undefined,
  step: { id: string; stepType: string; fields: Record<string, unknown> },
): string[] | undefined {
  if (step.stepType === 'audio-video-gap-approval') {
    const approved = step.fields['gapRecordId'];
    return unapproved?.filter((recordId) => recordId !== approved);
  }
  if (typeof step.fields[GAP_JUSTIFICATION_FIELD] === 'string') return [...(unapproved ?? []), step.id];
  return unapproved;
}
