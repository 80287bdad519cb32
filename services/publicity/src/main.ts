import 'reflect-metadata';
import { runStandalone } from '@enforcement/service-runtime';
import { publicityService } from './service';

runStandalone(publicityService);
