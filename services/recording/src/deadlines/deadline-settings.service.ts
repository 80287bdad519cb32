import { Injectable } from '@nestjs/common';
import { DEFAULT_DECISION_EXTENSION_DAYS } from './deadline-rules';
import type { DeadlineSettingsDto, DeadlineSettingsView } from './deadline-settings.dto';
import { DeadlineSettingsRepository } from './deadline-settings.repository';

/** An agency's period settings, read when the agency head approves an extension of the decision period. */
@Injectable()
export class DeadlineSettingsService {
  constructor(private readonly settings: DeadlineSettingsRepository) {}

  async of(agencyId: string): Promise<DeadlineSettingsView> {
    const found = await this.settings.of(agencyId);
    return { agencyId, decisionExtensionDays: found?.decisionExtensionDays ?? DEFAULT_DECISION_EXTENSION_DAYS, configured: !!found };
  }

  async set(agencyId: string, input: DeadlineSettingsDto, userId: string): Promise<DeadlineSettingsView> {
    await this.settings.save({ agencyId, decisionExtensionDays: input.decisionExtensionDays, updatedBy: userId, updatedAt: new Date() });
    return this.of(agencyId);
  }
}
