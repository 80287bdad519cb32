import { describeServiceBasics } from '@enforcement/service-testing';
import { certificatesService } from '../service';

describeServiceBasics(certificatesService, ['agencies']);
