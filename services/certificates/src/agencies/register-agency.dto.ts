import { ApiProperty } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsString, Length, Matches, MaxLength } from 'class-validator';

export class RegisterAgencyDto {
  @ApiProperty({ example: '上海市黄浦区市场监督管理局' })
  @IsString()
  @Length(2, 200)
  name: string;

  @ApiProperty({ description: 'Unified social credit code (统一社会信用代码)', example: '11310101MB2F12345X' })
  @Matches(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, { message: 'creditCode 不是有效的统一社会信用代码' })
  creditCode: string;

  @ApiProperty({ description: 'GB/T 2260 division code', example: '310101' })
  @Matches(/^\d{6}$/, { message: 'regionCode 应为 6 位行政区划代码' })
  regionCode: string;

  @ApiProperty({ example: ['market-regulation'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  domains: string[];

  @ApiProperty({ description: 'Laws and regulations that grant the agency its powers' })
  @IsString()
  @Length(1, 10000)
  legalBasis: string;
}
