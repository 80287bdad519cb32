import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@enforcement/service-runtime';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

/**
 * Audio, video and photographs from body cameras and phones, and scanned documents: the formats such devices
 * write, and nothing a browser would run when the evidence is played back (image/svg+xml, text/html carry script).
 */
export const EVIDENCE_MEDIA_TYPES = [
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'video/x-matroska',
  'video/mp2t',
  'video/3gpp',
  'video/x-msvideo',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/wav',
  'audio/x-wav',
  'audio/ogg',
  'audio/webm',
  'audio/amr',
  'audio/flac',
  'image/jpeg',
  'image/png',
  'image/heic',
  'image/heif',
  'image/webp',
  'image/tiff',
  'application/pdf',
] as const;

export class CreateEvidenceUploadDto {
  @ApiProperty({ example: 'video/mp4', enum: EVIDENCE_MEDIA_TYPES, description: 'The recording format (case-insensitive)' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(EVIDENCE_MEDIA_TYPES, { message: `mediaType 应为以下格式之一：${EVIDENCE_MEDIA_TYPES.join('、')}` })
  mediaType: string;

  @ApiProperty({ example: 734003200, description: 'Exact size of the object in bytes' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  sizeBytes: number;

  @ApiProperty({ example: 'BWC-310101-0042', description: 'Body-worn camera or other recording device' })
  @IsString()
  @Matches(/^[\x21-\x7e\u4e00-\u9fff][\x20-\x7e\u4e00-\u9fff]{0,99}$/, { message: 'deviceId 应为 1 至 100 个可见字符' })
  deviceId: string;

  @ApiProperty({ example: '2026-11-20T01:00:00.000Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  recordingStartedAt: string;

  @ApiProperty({ example: '2026-11-20T01:42:10.000Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  recordingEndedAt: string;

  @ApiPropertyOptional({ description: 'The record of the step this recording documents' })
  @IsOptional()
  @IsString()
  @Length(1, 36)
  stepRecordId?: string;

  @ApiPropertyOptional({
    description: "Why audio/video is uploaded after the agency's footage limit (default 24 hours after the recording ended); required then",
  })
  @IsOptional()
  @IsString()
  @Length(2, 2000)
  lateEntryReason?: string;
}

export class CompleteEvidenceUploadDto {
  @ApiProperty({ description: 'SHA-256 of the whole object, as the client computed it (hex)' })
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 应为 64 位十六进制摘要' })
  sha256: string;

  @ApiPropertyOptional({ description: 'Why the footage is sealed past the footage limit, if the upload did not say already' })
  @IsOptional()
  @IsString()
  @Length(2, 2000)
  lateEntryReason?: string;
}

export class EvidenceAccessQueryDto {
  @ApiPropertyOptional({ description: 'Why the evidence is viewed (调阅事由), 2-500 characters; required' })
  @IsOptional()
  @IsString()
  purpose?: string;

  @ApiPropertyOptional({ description: 'Serve as an attachment (download) instead of for playback', enum: ['true', 'false'] })
  @IsOptional()
  @Matches(/^(true|false)$/)
  download?: string;
}

export class EvidenceUrlQueryDto {
  @ApiPropertyOptional({ description: 'Why the evidence is viewed (调阅事由), 2-500 characters; required' })
  @IsOptional()
  @IsString()
  purpose?: string;

  @ApiPropertyOptional({ description: 'Life of the URL in seconds, at most 900', example: 300 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  ttlSeconds?: number;
}

export class EvidenceViewQueryDto extends PageQuery({ defaultLimit: 50, maxLimit: 200 }) {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 36)
  caseId?: string;

  @ApiPropertyOptional({ description: 'The agency whose case holds the evidence' })
  @IsOptional()
  @IsString()
  @Length(1, 36)
  agencyId?: string;

  @ApiPropertyOptional({ description: 'Inclusive, ISO 8601' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Exclusive, ISO 8601' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;
}
