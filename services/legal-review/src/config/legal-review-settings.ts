import { defineServiceSettings } from '@enforcement/service-runtime';

/** The legal-review service's own settings: only its port so far. */
export const legalReviewSettings = defineServiceSettings({
  name: 'legal-review',
  portVariable: 'LEGAL_REVIEW_PORT',
  defaultPort: 3003,
  shape: {},
  build: () => ({}),
});
