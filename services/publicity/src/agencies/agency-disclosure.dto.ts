import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';

export class AgencyDisclosureItemDto {
  @ApiProperty({ example: '食品经营许可证核发' })
  @IsString()
  @Length(1, 500)
  name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  detail?: string;

  @ApiPropertyOptional({ example: '《中华人民共和国食品安全法》第三十五条' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  legalBasis?: string;
}

export class AgencyDisclosureDto {
  @ApiPropertyOptional({ description: 'The section’s text' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  text?: string;

  @ApiPropertyOptional({ type: [AgencyDisclosureItemDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => AgencyDisclosureItemDto)
  items?: AgencyDisclosureItemDto[];
}
