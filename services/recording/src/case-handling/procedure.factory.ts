import { Injectable } from '@nestjs/common';
import { CalendarService } from '../calendar/calendar.service';
import { CaseProcedure } from '../case-core/case-procedure';
import type { CaseState } from '../case-core/case.types';
import type { TransactionScope } from '../case-core/ports';
import { ProcedureSettingsRepository } from '../procedure/procedure-settings.repository';

/** Builds the procedure rules for a case with the current working-day calendar (Art. 85) and its agency's data. */
@Injectable()
export class ProcedureFactory {
  constructor(
    private readonly calendars: CalendarService,
    private readonly settings: ProcedureSettingsRepository,
  ) {}

  async forCase(caseRow: Pick<CaseState, 'agencyId'>, tx?: TransactionScope): Promise<CaseProcedure> {
    const [calendar, settings] = await Promise.all([this.calendars.calendar(), this.settings.settingsOf(caseRow.agencyId, tx)]);
    // Large amounts (Art. 63), the statement period and the late-entry limit are the agency's data (agency_procedure_settings).
    return new CaseProcedure(
      { addWorkingDays: (from, days) => calendar.addWorkingDays(from, days).dueAt },
      settings.thresholds,
      settings.policy,
    );
  }
}
