import { isRecordingError } from '../case-core/recording.error';
import { isFootage, lateFootageReason } from './late-footage';

const HOUR = 3600_000;
const endedAt = new Date('2026-11-20T02:00:00Z');
const limitMs = 24 * HOUR;
const at = (hours: number) => new Date(endedAt.getTime() + hours * HOUR);

describe('lateFootageReason (issue #10: body-camera footage uploaded within 24 hours)', () => {
  it('needs no reason up to the limit, and one a moment after it', () => {
    expect(lateFootageReason({ mediaType: 'video/mp4', recordingEndedAt: endedAt, at: at(24), limitMs, reason: undefined })).toBeNull();
    const late = () =>
      lateFootageReason({
        mediaType: 'video/mp4',
        recordingEndedAt: endedAt,
        at: new Date(at(24).getTime() + 1),
        limitMs,
        reason: undefined,
      });
    expect(late).toThrow(
      expect.objectContaining({ code: 'LATE_ENTRY_REASON_REQUIRED', details: expect.objectContaining({ limitMinutes: 1440 }) }),
    );
  });

  it('refuses a blank or one-character reason and keeps a real one, trimmed', () => {
    for (const reason of ['', '   ', ' 晚 ']) {
      try {
        lateFootageReason({ mediaType: 'audio/mpeg', recordingEndedAt: endedAt, at: at(30), limitMs, reason });
        throw new Error(`accepted ${JSON.stringify(reason)}`);
      } catch (error) {
        expect(isRecordingError(error, 'LATE_ENTRY_REASON_REQUIRED')).toBe(true);
      }
    }
    expect(
      lateFootageReason({ mediaType: 'AUDIO/MPEG', recordingEndedAt: endedAt, at: at(30), limitMs, reason: ' 设备故障，次日导出 ' }),
    ).toBe('设备故障，次日导出');
  });

  it('holds audio and video to the limit, not photographs or documents', () => {
    expect(['video/mp4', 'audio/amr', 'Video/QuickTime'].every(isFootage)).toBe(true);
    expect(['image/jpeg', 'application/pdf'].some(isFootage)).toBe(false);
    expect(
      lateFootageReason({ mediaType: 'image/jpeg', recordingEndedAt: endedAt, at: at(24 * 30), limitMs, reason: undefined }),
    ).toBeNull();
  });
});
