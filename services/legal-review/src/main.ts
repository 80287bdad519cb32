import 'reflect-metadata';
import { runStandalone } from '@enforcement/service-runtime';
import { legalReviewService } from './service';

runStandalone(legalReviewService);
