import { defineServiceSettings, type ServiceConfig } from '@enforcement/service-runtime';
import { z } from 'zod';

/**
 * The fonts embedded (subset) into each written opinion, so that it reads the same everywhere: a CJK font
 * (Debian's fonts-droid-fallback, one TrueType file, has the Chinese but no Latin letters or digits) and a Latin
 * one (fonts-dejavu-core) for what the first lacks. .ci/run installs both.
 */
export const DEFAULT_OPINION_FONT_FILE = '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf';
export const DEFAULT_OPINION_LATIN_FONT_FILE = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

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
    OPINION_FONT_FILE: z
      .string()
      .min(1)
      .default(DEFAULT_OPINION_FONT_FILE)
      .describe('TrueType font with the Chinese characters the written opinions print (Debian fonts-droid-fallback)'),
    OPINION_LATIN_FONT_FILE: z
      .string()
      .min(1)
      .default(DEFAULT_OPINION_LATIN_FONT_FILE)
      .describe('TrueType font for the Latin letters and digits of the opinions (Debian fonts-dejavu-core)'),
  },
  build: (own) => ({
    overdueCheckIntervalMs: own.REVIEW_OVERDUE_CHECK_INTERVAL_MS,
    opinionFontFile: own.OPINION_FONT_FILE,
    opinionLatinFontFile: own.OPINION_LATIN_FONT_FILE,
  }),
});

export type LegalReviewSettings = ReturnType<typeof legalReviewSettings.build>;
export type LegalReviewConfig = ServiceConfig<LegalReviewSettings>;
