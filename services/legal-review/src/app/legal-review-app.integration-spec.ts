import { describeServiceBasics } from '@enforcement/service-testing';
import { legalReviewService } from '../service';

describeServiceBasics(legalReviewService, [
  'catalog_versions',
  'benchmark_entries',
  'reviews',
  'review_rounds',
  'known_officers',
  'known_agencies',
]);
