import { isStorageError, StorageErrorCode } from '@enforcement/storage';
import { RecordingError } from '../case-core/recording.error';

/**
 * Refusals of the evidence API: stable codes for clients, Chinese messages for officers and supervisors.
 * One factory per code, so that a code always comes with the same status and wording.
 */
export const EvidenceErrors = {
  uploadNotFound: () => new RecordingError('UPLOAD_NOT_FOUND', '上传任务不存在', 'not-found'),
  uploadClosed: (status: string) =>
    new RecordingError('UPLOAD_CLOSED', '上传任务已结束（已封存、已取消或已过期），如需继续请新建上传任务', 'conflict', {
      details: { status },
    }),
  uploadBusy: () => new RecordingError('UPLOAD_BUSY', '该上传任务正在校验封存，请稍后查询结果', 'conflict'),
  sealedNotAbortable: () => new RecordingError('EVIDENCE_IMMUTABLE', '证据已封存，原始音像记录不得删除或覆盖', 'conflict'),
  storedNotAbortable: () => new RecordingError('UPLOAD_STORED', '证据原件已存储并通过校验，只能完成封存，不能取消', 'conflict'),
  partOutOfRange: (partCount: number) =>
    new RecordingError('PART_OUT_OF_RANGE', `分片序号应为 1 至 ${partCount} 的整数`, 'invalid', { details: { partCount } }),
  partSizeMismatch: (partNumber: number, expectedSize: number, receivedSize?: number) =>
    new RecordingError('PART_SIZE_MISMATCH', `第 ${partNumber} 片应为 ${expectedSize} 字节`, 'invalid', {
      details: {
        partNumber,
        expectedSize,
        ...(receivedSize === undefined ? {} : { receivedSize }),
      },
    }),
  partDigestMismatch: (partNumber: number, expectedSha256: string, actualSha256: string) =>
    new RecordingError(
      'PART_DIGEST_MISMATCH',
      `第 ${partNumber} 片内容与其 SHA-256 摘要不符（传输中损坏），该分片未保存，请重新上传`,
      'refused',
      { details: { partNumber, expectedSha256, actualSha256 } },
    ),
  partDigestInvalid: () => new RecordingError('PART_DIGEST_INVALID', 'X-Content-SHA256 应为 64 位十六进制摘要', 'invalid'),
  partContentType: () => new RecordingError('PART_CONTENT_TYPE', '分片应以 application/octet-stream 原样上传', 'unsupported-media-type'),
  partsMissing: (missing: number[]) =>
    new RecordingError('PARTS_MISSING', `仍有 ${missing.length} 个分片未上传，不能完成封存`, 'conflict', {
      details: {
        missing: missing.slice(0, 1000),
        missingCount: missing.length,
      },
    }),
  digestMismatch: (expectedSha256: string, actualSha256: string) =>
    new RecordingError('DIGEST_MISMATCH', '服务器对已存储内容计算的 SHA-256 摘要与提交的摘要不一致，证据未保存，请重新上传', 'refused', {
      details: { expectedSha256, actualSha256 },
    }),
  sizeMismatch: (declaredSize: number, storedSize: number) =>
    new RecordingError('SIZE_MISMATCH', '已存储内容的大小与申报的大小不一致，证据未保存', 'refused', {
      details: {
        declaredSize,
        storedSize,
      },
    }),
  evidenceTooLarge: (maxBytes: number) =>
    new RecordingError('EVIDENCE_TOO_LARGE', `单个证据文件不得超过 ${maxBytes} 字节`, 'refused', { details: { maxBytes } }),
  recordingWindowInvalid: () =>
    new RecordingError('RECORDING_WINDOW_INVALID', '录制开始时间不得晚于结束时间，结束时间不得晚于当前时间', 'invalid'),
  stepRecordNotFound: () => new RecordingError('STEP_RECORD_NOT_FOUND', '所关联的执法环节记录不属于该案件', 'refused'),
  quotaExceeded: (scope: 'case' | 'officer', limit: number, what: 'uploads' | 'bytes') =>
    new RecordingError(
      'UPLOAD_QUOTA_EXCEEDED',
      scope === 'case'
        ? `本案同时进行中的上传任务已达上限（${limit} 个），请先完成或取消已有任务`
        : what === 'uploads'
          ? `您同时进行中的上传任务已达上限（${limit} 个），请先完成或取消已有任务`
          : `您进行中的上传任务申报的总大小将超过上限（${limit} 字节），请先完成已有任务`,
      'refused',
      { details: { scope, what, limit } },
    ),
  caseClosed: () => new RecordingError('CASE_CLOSED', '案件已结案，不能再上传或封存证据', 'conflict'),
  evidenceNotFound: () => new RecordingError('EVIDENCE_NOT_FOUND', '证据不存在', 'not-found'),
  evidenceObjectMissing: () => new RecordingError('EVIDENCE_OBJECT_MISSING', '证据原件在存储中缺失，请立即报告系统管理员', 'fault'),
  purposeRequired: () => new RecordingError('PURPOSE_REQUIRED', '调阅音像证据须说明调阅事由（2 至 500 字），调阅将被记录备查', 'invalid'),
  rangeNotSatisfiable: (size: number) =>
    new RecordingError('RANGE_NOT_SATISFIABLE', '请求的字节范围无效或超出文件大小', 'range-not-satisfiable', { details: { size } }),
  presignNotSupported: () =>
    new RecordingError('PRESIGN_NOT_SUPPORTED', '当前存储不支持临时下载链接，请通过播放接口调阅', 'not-implemented'),
  presignTtlInvalid: (max: number) =>
    new RecordingError('PRESIGN_TTL_INVALID', `临时链接有效期应为 1 至 ${max} 秒`, 'invalid', { details: { max } }),
  lateFootageReasonRequired: (recordingEndedAt: Date, at: Date, limitMinutes: number) =>
    new RecordingError(
      'LATE_ENTRY_REASON_REQUIRED',
      `该音像记录录制结束于 ${recordingEndedAt.toISOString()}，超过规定时限（${limitMinutes} 分钟）后上传，须说明迟延上传理由（lateEntryReason）`,
      'invalid',
      { details: { recordingEndedAt: recordingEndedAt.toISOString(), uploadedAt: at.toISOString(), limitMinutes } },
    ),
  fixityFailed: (evidenceId: string) =>
    new RecordingError('EVIDENCE_FIXITY_FAILED', '该证据原件与封存时的摘要不一致，已暂停调阅并通知监督人员', 'conflict', {
      details: { evidenceId },
    }),
  storageUnavailable: () => new RecordingError('STORAGE_UNAVAILABLE', '证据存储暂不可用，请稍后重试', 'unavailable'),
} as const;

/**
 * What a storage failure means to an API caller. Refusals the storage port names (an upload it no longer
 * knows, an unreachable store) become the evidence API's codes; anything else is a fault and stays as is.
 */
export function fromStorageError(error: unknown): unknown {
  if (!isStorageError(error)) return error;
  switch (error.code) {
    case StorageErrorCode.StorageUnavailable:
      return EvidenceErrors.storageUnavailable();
    case StorageErrorCode.UploadNotFound:
      return EvidenceErrors.uploadClosed('unknown-to-storage');
    case StorageErrorCode.ObjectNotFound:
      return EvidenceErrors.evidenceObjectMissing();
    default:
      return error;
  }
}
