import 'reflect-metadata';
import { runStandalone } from '@enforcement/service-runtime';
import { recordingService } from './service';

runStandalone(recordingService);
