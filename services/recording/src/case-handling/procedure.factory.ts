import { Injectable } from '@nestjs/common';
import { CalendarService } from '../calendar/calendar.service';
import { CaseProcedure } from '../case-core/case-procedure';
import type { CaseState } from '../case-core/case.types';
import { DEFAULT_THRESHOLDS } from '../case-core/penalties';

/** Builds the procedure rules for a case with the current working-day calendar (Art. 85). */
@Injectable()
export class ProcedureFactory {
  constructor(private readonly calendars: CalendarService) {}

  async forCase(_caseRow: CaseState): Promise<CaseProcedure> {
    const calendar = await this.calendars.calendar();
    // Large-fine thresholds are catalog data per agency; the legal-review catalog will supply them.
    return new CaseProcedure({ addWorkingDays: (from, days) => calendar.addWorkingDays(from, days).dueAt }, DEFAULT_THRESHOLDS);
  }
}
