import type { ServiceDefinition } from '@enforcement/service-runtime';
import { RecordingAppModule } from './app/recording-app.module';
import { recordingSettings } from './config/recording-settings';

export const recordingService: ServiceDefinition = {
  name: 'recording',
  title: 'Recording service',
  description: 'Cases and their full-process record (执法全过程记录): steps, audio/video evidence, hash chain',
  settings: recordingSettings,
  rootModule: (context) => RecordingAppModule.forRoot(context),
};
