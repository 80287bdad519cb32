import type { ServiceDefinition } from '@enforcement/service-runtime';
import { LegalReviewAppModule } from './app/legal-review-app.module';
import { legalReviewSettings } from './config/legal-review-settings';

export const legalReviewService: ServiceDefinition = {
  name: 'legal-review',
  title: 'Legal-review service',
  description: 'Major-decision catalog, review queue and the gate no major decision passes without approval (重大执法决定法制审核)',
  settings: legalReviewSettings,
  rootModule: (context) => LegalReviewAppModule.forRoot(context),
};
