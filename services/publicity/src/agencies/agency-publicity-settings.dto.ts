import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class AgencyPublicitySettingsDto {
  @ApiProperty({ example: 3, description: 'Months a decision of criticism or a small fine stays public' })
  @IsInt()
  @Min(1)
  @Max(120)
  shortMonths: number;

  @ApiProperty({ example: 36, description: 'Months every other decision stays public' })
  @IsInt()
  @Min(1)
  @Max(120)
  longMonths: number;

  @ApiProperty({ example: 1000000, description: 'The largest small fine (较低数额罚款) of a natural person, in fen' })
  @IsInt()
  @Min(0)
  @Max(1e12)
  smallFinePersonFen: number;

  @ApiProperty({ example: 10000000, description: 'The largest small fine of an organisation, in fen' })
  @IsInt()
  @Min(0)
  @Max(1e12)
  smallFineOrganisationFen: number;
}
