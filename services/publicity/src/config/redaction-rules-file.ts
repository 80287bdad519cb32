import * as fs from 'node:fs';
import { z } from 'zod';
import { DEFAULT_REDACTION_RULES, type RedactionRules } from '../disclosure-core/redaction';

const terms = z.array(z.string().min(1).max(50)).max(500);

/** What a rules file may set; anything left out keeps the platform's default. */
const RULES_FILE = z
  .object({
    residentIds: z.boolean(),
    phones: z.boolean(),
    bankCards: z.boolean(),
    addresses: z.boolean(),
    healthTerms: terms,
    addressLabels: terms,
    compoundSurnames: terms,
    nameMask: z.string().min(1).max(2),
    replacements: z
      .object({
        'resident-id': z.string().max(50),
        phone: z.string().max(50),
        'bank-card': z.string().max(50),
        address: z.string().max(50),
        health: z.string().max(50),
        'third-party-name': z.string().max(50),
        'party-name': z.string().max(50),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

/** The problems of a rules file, empty when it may be used. */
export function redactionRulesFileProblems(file: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return [`cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`];
  }
  const parsed = RULES_FILE.safeParse(json);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
}

/**
 * The redaction rules in force: the platform's defaults with what the file (REDACTION_RULES_FILE, JSON) sets over
 * them. Configuration, not code: a province may add health terms or address labels, or change the mask.
 */
export function loadRedactionRules(file: string | undefined): RedactionRules {
  if (!file) return DEFAULT_REDACTION_RULES;
  const own = RULES_FILE.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  return { ...DEFAULT_REDACTION_RULES, ...own, replacements: { ...DEFAULT_REDACTION_RULES.replacements, ...own.replacements } };
}
