import { coversWindow } from './audio-video-coverage';

const w = (from: string, to: string) => ({
  recordingStartedAt: new Date(`2026-03-02T${from}Z`),
  recordingEndedAt: new Date(`2026-03-02T${to}Z`),
});
const t = (time: string) => new Date(`2026-03-02T${time}Z`);

describe(coversWindow.name, () => {
  it('accepts one recording spanning the step, or several that hand over without a gap', () => {
    expect(coversWindow([w('01:00:00', '02:00:00')], t('01:10:00'), t('01:50:00'))).toBe(true);
    expect(coversWindow([w('01:30:00', '02:00:00'), w('01:00:00', '01:30:00')], t('01:00:00'), t('02:00:00'))).toBe(true);
  });

  it('refuses a gap, a late start or an early stop', () => {
    expect(coversWindow([w('01:00:00', '01:20:00'), w('01:21:00', '02:00:00')], t('01:00:00'), t('02:00:00'))).toBe(false);
    expect(coversWindow([w('01:05:00', '02:00:00')], t('01:00:00'), t('01:30:00'))).toBe(false);
    expect(coversWindow([w('01:00:00', '01:29:59')], t('01:00:00'), t('01:30:00'))).toBe(false);
    expect(coversWindow([], t('01:00:00'), t('01:00:00'))).toBe(false);
  });

  it('covers an instant step with a recording that runs through it', () => {
    expect(coversWindow([w('01:00:00', '01:10:00')], t('01:05:00'), t('01:05:00'))).toBe(true);
  });
});
