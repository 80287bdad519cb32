import type { ServiceDefinition } from '@enforcement/service-runtime';
import { RecordingAppModule } from './app/recording-app.module';

export const recordingService: ServiceDefinition = {
  name: 'recording',
  title: 'Recording service',
  description: 'Cases and their full-process record (执法全过程记录): steps, audio/video evidence, hash chain',
  rootModule: (context) => RecordingAppModule.forRoot(context),
};
