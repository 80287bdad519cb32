import { describeServiceBasics } from '@enforcement/service-testing';
import { recordingService } from '../service';

describeServiceBasics(recordingService, ['known_agencies']);
