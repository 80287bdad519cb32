import { audioVideoGapOf, checkNoUnapprovedGaps, checkPropertyList, foldAudioVideoGaps } from './audio-video-gaps';
import { isRecordingError } from './recording.error';

const at = (time: string) => new Date(`2026-03-02T${time}:00+08:00`);
const recording = (mediaType: string, from: string, to: string) => ({ mediaType, recordingStartedAt: at(from), recordingEndedAt: at(to) });
const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    if (isRecordingError(error)) return error.code;
    throw error;
  }
  return undefined;
};

describe('audio/video gaps (国办发〔2018〕118号)', () => {
  const sealing = { required: true, occurredAt: at('10:00'), endedAt: at('10:30'), justification: undefined };

  it('asks nothing of a step the agency does not require full recording for', () => {
    expect(audioVideoGapOf({ ...sealing, required: false, endedAt: undefined, items: [] })).toBe(false);
  });

  it('takes video (or audio) covering the step from start to end, body cameras taking turns included', () => {
    expect(audioVideoGapOf({ ...sealing, items: [recording('video/mp4', '09:59', '10:30')] })).toBe(false);
    expect(
      audioVideoGapOf({ ...sealing, items: [recording('video/mp4', '10:00', '10:15'), recording('audio/aac', '10:14', '10:31')] }),
    ).toBe(false);
  });

  it('refuses a required step that does not state when it ended', () => {
    expect(codeOf(() => audioVideoGapOf({ ...sealing, endedAt: undefined, items: [recording('video/mp4', '09:00', '11:00')] }))).toBe(
      'AUDIO_VIDEO_WINDOW_REQUIRED',
    );
  });

  it('does not let photos or documents stand in for a recording, nor a recording with a hole in it', () => {
    const photo = [recording('image/jpeg', '09:00', '11:00'), recording('application/pdf', '09:00', '11:00')];
    expect(codeOf(() => audioVideoGapOf({ ...sealing, items: photo }))).toBe('AUDIO_VIDEO_REQUIRED');
    const holed = [recording('video/mp4', '10:00', '10:10'), recording('video/mp4', '10:20', '10:30')];
    expect(codeOf(() => audioVideoGapOf({ ...sealing, items: holed }))).toBe('AUDIO_VIDEO_REQUIRED');
    expect(codeOf(() => audioVideoGapOf({ ...sealing, items: holed, justification: '   ' }))).toBe('AUDIO_VIDEO_REQUIRED');
  });

  it('records a justified gap as one, to be approved', () => {
    expect(audioVideoGapOf({ ...sealing, items: [], justification: '执法记录仪故障，已现场拍照并制作笔录' })).toBe(true);
  });

  it('keeps a property list (查封扣押财物清单) to sealing-seizure steps', () => {
    expect(codeOf(() => checkPropertyList('other', { propertyList: [{ item: '冷冻肉', quantity: '20箱' }] }))).toBe(
      'SEALING_STEP_REQUIRED',
    );
    expect(codeOf(() => checkPropertyList('inspection', { propertyList: [] }))).toBe('SEALING_STEP_REQUIRED');
    expect(codeOf(() => checkPropertyList('sealing-seizure', { propertyList: [{ item: '冷冻肉', quantity: '20箱' }] }))).toBeUndefined();
  });

  it('holds legal review and closing while a gap waits, and lets them go once it is approved', () => {
    let gaps = foldAudioVideoGaps(undefined, {
      id: 'r-1',
      stepType: 'sealing-seizure',
      fields: { audioVideoGapJustification: '设备故障' },
    });
    gaps = foldAudioVideoGaps(gaps, { id: 'r-2', stepType: 'sealing-seizure', fields: { audioVideoGapJustification: '设备故障' } });
    expect(gaps).toEqual(['r-1', 'r-2']);
    for (const stepType of ['legal-review', 'closing'])
      expect(codeOf(() => checkNoUnapprovedGaps(stepType, gaps))).toBe('AUDIO_VIDEO_GAP_UNAPPROVED');
    expect(codeOf(() => checkNoUnapprovedGaps('notice', gaps))).toBeUndefined();

    gaps = foldAudioVideoGaps(gaps, { id: 'r-3', stepType: 'audio-video-gap-approval', fields: { gapRecordId: 'r-1' } });
    expect(gaps).toEqual(['r-2']);
    gaps = foldAudioVideoGaps(gaps, { id: 'r-4', stepType: 'audio-video-gap-approval', fields: { gapRecordId: 'r-2' } });
    expect(codeOf(() => checkNoUnapprovedGaps('legal-review', gaps))).toBeUndefined();
  });
});
