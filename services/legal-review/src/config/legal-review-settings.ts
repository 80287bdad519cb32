import { defineServiceSettings, type ServiceConfig } from '@enforcement/service-runtime';
import { z } from 'zod';

/** What only the legal-review service reads, validated at its boot besides the common settings. */
export const legalReviewSettings = defineServiceSettings({
  name: 'legal-review',
  portVariable: 'LEGAL_REVIEW_PORT',
  defaultPort: 3003,
  shape: {
    REVIEW_OVERDUE_CHECK_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(60_000)
      .describe('How often reviews past their period are announced overdue (ReviewOverdue); 0: never'),
  },
  build: (own) => ({ overdueCheckIntervalMs: own.REVIEW_OVERDUE_CHECK_INTERVAL_MS }),
});

export type LegalReviewSettings = ReturnType<typeof legalReviewSettings.build>;
export type LegalReviewConfig = ServiceConfig<LegalReviewSettings>;
