import { Body, Controller, Get, Injectable, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { assertAgencyScope, CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { IsInt, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { DEFAULT_DECISION_EXTENSION_DAYS } from './deadline-rules';
import { AgencyDeadlineSettingsEntity } from './deadline-settings.entity';

export class DeadlineSettingsDto {
  @ApiProperty({
    description: 'Days an approved extension adds to the 90-day decision period (Art. 60)',
    default: 30,
    minimum: 1,
    maximum: 180,
  })
  @IsInt()
  @Min(1)
  @Max(180)
  decisionExtensionDays: number;
}

export interface DeadlineSettingsView {
  agencyId: string;
  decisionExtensionDays: number;
  /** false: the defaults apply (no settings stored for the agency). */
  configured: boolean;
}

/** An agency's period settings, read when a decision-period-extension is recorded. */
@Injectable()
export class DeadlineSettings {
  constructor(private readonly dataSource: DataSource) {}

  async of(agencyId: string): Promise<DeadlineSettingsView> {
    const found = await this.dataSource.manager.findOneBy(AgencyDeadlineSettingsEntity, { agencyId });
    return { agencyId, decisionExtensionDays: found?.decisionExtensionDays ?? DEFAULT_DECISION_EXTENSION_DAYS, configured: !!found };
  }

  async set(agencyId: string, input: DeadlineSettingsDto, userId: string): Promise<DeadlineSettingsView> {
    await this.dataSource.manager.upsert(
      AgencyDeadlineSettingsEntity,
      { agencyId, decisionExtensionDays: input.decisionExtensionDays, updatedBy: userId, updatedAt: new Date() },
      ['agencyId'],
    );
    return this.of(agencyId);
  }
}

@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('agencies/:agencyId/deadline-settings')
export class DeadlineSettingsController {
  constructor(private readonly settings: DeadlineSettings) {}

  @Get()
  get(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser): Promise<DeadlineSettingsView> {
    assertAgencyScope(user, agencyId);
    return this.settings.of(agencyId);
  }

  /** Applies to extensions recorded from now on; an extension already recorded keeps its length. */
  @Put()
  @Roles('agency-admin', 'system-admin')
  set(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Body() input: DeadlineSettingsDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<DeadlineSettingsView> {
    assertAgencyScope(user, agencyId);
    return this.settings.set(agencyId, input, user.userId);
  }
}
