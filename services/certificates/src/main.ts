import 'reflect-metadata';
import { runStandalone } from '@enforcement/service-runtime';
import { certificatesService } from './service';

runStandalone(certificatesService);
