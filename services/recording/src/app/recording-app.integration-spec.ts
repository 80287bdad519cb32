import { describeServiceBasics } from '@enforcement/service-testing';
import { recordingService } from '../service';

describeServiceBasics(recordingService, ['known_agencies', 'known_certificates', 'known_officers', 'certificate_refusals']);
