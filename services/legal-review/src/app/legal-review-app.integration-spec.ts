import { describeServiceBasics } from '@enforcement/service-testing';
import { legalReviewService } from '../service';

describeServiceBasics(legalReviewService);
