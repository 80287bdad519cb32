import { describeServiceBasics } from '@enforcement/service-testing';
import { publicityService } from '../service';

describeServiceBasics(publicityService);
