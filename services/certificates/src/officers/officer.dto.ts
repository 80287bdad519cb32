import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@enforcement/auth';
import { ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class RegisterOfficerDto {
  @ApiProperty({ example: '王明' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ description: 'Resident ID number (stored, never published or logged)', example: '11010519491231002X' })
  @Matches(/^\d{17}[\dX]$/, { message: 'idNumber 应为 18 位身份证号码' })
  idNumber: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['officer'] })
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional({ description: 'For supervisors: the division they supervise', example: '310000' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'supervisedRegionCode 应为 6 位行政区划代码' })
  supervisedRegionCode?: string;
}

export class SetRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional({ example: '310000' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'supervisedRegionCode 应为 6 位行政区划代码' })
  supervisedRegionCode?: string;
}

export class GrantQualificationDto {
  @ApiProperty({ description: 'Legal professional qualification certificate number (法律职业资格证书编号)' })
  @IsString()
  @Length(4, 64)
  qualificationNumber: string;

  @ApiProperty({ example: '2019-03-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'qualifiedOn 应为 YYYY-MM-DD' })
  qualifiedOn: string;
}

export class ReasonDto {
  @ApiProperty({ description: 'Why; kept in the history', example: '年度法律知识考试不合格' })
  @IsString()
  @Length(2, 2000)
  reason: string;
}
