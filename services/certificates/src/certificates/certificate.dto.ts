import { ApiProperty } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsString, Length, Matches, MaxLength } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class CertificateTermsDto {
  @ApiProperty({ example: ['market-regulation'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  domains: string[];

  @ApiProperty({ description: 'GB/T 2260 division codes the holder may act in', example: ['310101'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @Matches(/^\d{6}$/, { each: true, message: 'regionCodes 应为 6 位行政区划代码' })
  regionCodes: string[];

  @ApiProperty({ example: '2026-01-01', description: 'First valid day (China Standard Time)' })
  @Matches(DAY, { message: 'validFrom 应为 YYYY-MM-DD' })
  validFrom: string;

  @ApiProperty({ example: '2030-12-31', description: 'Last valid day, inclusive (China Standard Time)' })
  @Matches(DAY, { message: 'validUntil 应为 YYYY-MM-DD' })
  validUntil: string;
}

export class IssueCertificateDto extends CertificateTermsDto {
  @ApiProperty({ example: '31010120260001' })
  @Matches(/^[A-Za-z0-9-]{4,64}$/, { message: 'number 只能包含字母、数字和连字符' })
  number: string;

  @ApiProperty({ example: '上海市人民政府' })
  @IsString()
  @Length(2, 200)
  issuingAuthority: string;
}

export class RenewCertificateDto extends CertificateTermsDto {
  @ApiProperty({ example: '证件到期换发' })
  @IsString()
  @Length(2, 2000)
  reason: string;
}
