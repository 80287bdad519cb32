import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { AUDIO_VIDEO_GUIDANCE } from '../case-core/audio-video-gaps';
import { Case } from '../case-core/case';
import type { CaseRecord } from '../case-core/case.types';
import { RecordingError } from '../case-core/recording.error';
import { CaseAccessService } from '../cases/case-access.service';
import type { CaseEntity } from '../cases/case.entity';
import { RecordAppenderService } from '../records/record-appender.service';
import { CaseUnitOfWorkService } from './case-unit-of-work.service';

/**
 * Gaps in the audio/video recording of steps that need it (国办发〔2018〕118号): a step recorded with a written
 * justification instead of full coverage waits for the approval of the agency's head (its administrator acts for
 * the head here) or of a supervisor of the case's division, given in a record of its own; until then the case
 * cannot go to legal review or be closed (case-core/audio-video-gaps.ts).
 */
@Injectable()
export class AudioVideoGapsService {
  constructor(
    private readonly unitOfWork: CaseUnitOfWorkService,
    private readonly access: CaseAccessService,
    private readonly appender: RecordAppenderService,
  ) {}

  /** The records of the case whose gap is still waiting for approval. */
  async pending(caseId: string, user: AuthenticatedUser): Promise<{ recordIds: string[] }> {
    // A case whose state predates the gaps is folded from its record first, which reads inside a transaction.
    return this.unitOfWork.run(async (tx) => {
      const state = await this.appender.withProcedureState(tx, Case.restore(await this.access.forReading(user, caseId, tx)));
      return { recordIds: [...(state.unapprovedAudioVideoGaps ?? [])] };
    });
  }

  async approve(caseId: string, recordId: string, comment: string, user: AuthenticatedUser): Promise<CaseRecord> {
    return this.unitOfWork.run(async (tx) => {
      const found = await this.access.forReading(user, caseId, tx);
      this.access.checkSeal(found);
      const approver = approverRoleOf(user, found);
      const aggregate = Case.restore(found);
      const state = await this.appender.withProcedureState(tx, aggregate);
      if (!(state.unapprovedAudioVideoGaps ?? []).includes(recordId)) {
        throw new RecordingError('AUDIO_VIDEO_GAP_NOT_PENDING', '该记录没有待批准的音像记录缺失说明', 'conflict', {
          article: AUDIO_VIDEO_GUIDANCE,
          details: { recordId },
        });
      }
      return this.appender.appendSystemRecord(tx, aggregate, {
        stepType: 'audio-video-gap-approval',
        recordedBy: user.userId,
        fields: { gapRecordId: recordId, approverRole: approver },
        text: comment,
      });
    });
  }
}

/** Who may approve: the case's own agency head (administrator), or a supervisor whose division holds the case. */
function approverRoleOf(user: AuthenticatedUser, found: CaseEntity): 'agency-head' | 'supervisor' {
  if (user.roles.includes('agency-admin') && user.agencyId === found.agencyId) return 'agency-head';
  if (user.roles.includes('supervisor') && user.agencyId !== found.agencyId) return 'supervisor';
  throw new RecordingError('GAP_APPROVER_REQUIRED', '音像记录缺失说明须由本机关负责人或执法监督人员批准', 'forbidden', {
    article: AUDIO_VIDEO_GUIDANCE,
  });
}
