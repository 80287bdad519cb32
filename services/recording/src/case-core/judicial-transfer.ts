import { RecordingError } from './recording.error';

/** 《行政处罚法》第二十七条: conduct that may be a crime is transferred to the judicial organs (行刑衔接). */
const ARTICLE = '《行政处罚法》第二十七条';

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * Whether a possible crime found by legal review is still unsettled after `step`: a `legal-review-result` that
 * found one (`fields.possibleCrime`) opens it, a `judicial-transfer` (the transfer, or a reasoned decision not to
 * transfer) settles it. Undefined while nothing was ever found, so older procedure states need no new version.
 */
export function foldPossibleCrime(
  unsettled: boolean | undefined,
  step: { stepType: string; fields: Record<string, unknown> },
): boolean | undefined {
  if (step.stepType === 'legal-review-result' && step.fields['possibleCrime'] === true) return true;
  if (step.stepType === 'judicial-transfer') return false;
  return unsettled;
}

/**
 * A `judicial-transfer` step says whether the case was transferred (`fields.transferred`): to which organ
 * (`fields.receivingAuthority`), or why not (`fields.reason`).
 */
export function checkJudicialTransfer(fields: Record<string, unknown>): void {
  const transferred = fields['transferred'];
  if (typeof transferred !== 'boolean') {
    throw new RecordingError('JUDICIAL_TRANSFER_INVALID', '须载明是否移送司法机关（transferred）', 'invalid', { article: ARTICLE });
  }
  if (transferred && text(fields['receivingAuthority']).length < 2) {
    throw new RecordingError('JUDICIAL_TRANSFER_INVALID', '移送司法机关须载明接收机关（receivingAuthority）', 'invalid', {
      article: ARTICLE,
    });
  }
  if (!transferred && text(fields['reason']).length < 2) {
    throw new RecordingError('JUDICIAL_TRANSFER_INVALID', '决定不移送司法机关须说明理由（reason）', 'invalid', { article: ARTICLE });
  }
}

/** A decision waits while legal review's finding of a possible crime has neither a transfer nor a reasoned refusal to transfer. */
export function checkPossibleCrimeSettled(unsettled: boolean | undefined): void {
  if (unsettled === true) {
    throw new RecordingError(
      'JUDICIAL_TRANSFER_REQUIRED',
      '法制审核认为涉嫌犯罪，须先记录移送司法机关或者不移送的理由，方可作出决定',
      'refused',
      { article: ARTICLE },
    );
  }
}
