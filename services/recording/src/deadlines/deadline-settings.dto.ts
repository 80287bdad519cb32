import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

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
