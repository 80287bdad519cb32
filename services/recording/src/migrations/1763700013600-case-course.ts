import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { PartyKind } from '../case-core/case.types';
import { procedureStateOf, type FoldedStep } from '../case-core/procedure-state';

/** A datetime as the driver returns it: a Date (mysql2) or a UTC 'YYYY-MM-DD HH:MM:SS.SSS' string (SQLite). */
function dateOf(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

function jsonOf<T>(value: T | string | null): T | undefined {
  if (value === null) return undefined;
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/**
 * The case's course (case-core/case-course.ts: the decision as it stands, served, paid, executed, suspended,
 * extended) in every case's procedure state, folded from its records: a case decided before the course existed
 * must not look undecided to the closing and alteration rules (Art. 47, 48). Down takes the course out again.
 */
export class CaseCourse1763700013600 implements MigrationInterface {
  name = 'CaseCourse1763700013600';

  async up(queryRunner: QueryRunner): Promise<void> {
    const cases = (await queryRunner.query(
      'SELECT c.id AS id, p.kind AS kind FROM cases c JOIN case_parties p ON p.case_id = c.id',
    )) as Array<{ id: string; kind: PartyKind }>;
    for (const found of cases) {
      const rows = (await queryRunner.query(
        'SELECT id, step_type, occurred_at, acting_officer_ids, fields FROM case_records WHERE case_id = ? ORDER BY sequence ASC',
        [found.id],
      )) as Array<{ id: string; step_type: string; occurred_at: Date | string; acting_officer_ids: string | null; fields: string | null }>;
      const steps: FoldedStep[] = rows.map((row) => ({
        id: row.id,
        stepType: row.step_type,
        occurredAt: dateOf(row.occurred_at),
        actingOfficerIds: jsonOf<string[]>(row.acting_officer_ids) ?? [],
        fields: jsonOf<Record<string, unknown>>(row.fields) ?? {},
      }));
      await queryRunner.query('UPDATE cases SET procedure_state = ? WHERE id = ?', [
        JSON.stringify(procedureStateOf(found.kind, steps)),
        found.id,
      ]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const cases = (await queryRunner.query('SELECT id, procedure_state FROM cases WHERE procedure_state IS NOT NULL')) as Array<{
      id: string;
      procedure_state: string | Record<string, unknown>;
    }>;
    for (const found of cases) {
      const state = jsonOf<Record<string, unknown>>(found.procedure_state);
      if (!state || !('course' in state)) continue;
      delete state['course'];
      await queryRunner.query('UPDATE cases SET procedure_state = ? WHERE id = ?', [JSON.stringify(state), found.id]);
    }
  }
}
