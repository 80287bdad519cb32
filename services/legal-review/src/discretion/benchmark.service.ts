import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import type { EntityManager } from 'typeorm';
import { assertOwnAgency } from '../http/access';
import {
  assertBenchmarkValid,
  assertDiscretionAdmissible,
  evaluateDiscretion,
  type BandSpec,
  type BenchmarkEntry,
  type DiscretionBand,
  type DiscretionEvaluation,
} from '../review-core/discretion-benchmark';
import { LegalReviewError } from '../review-core/legal-review.error';
import type { BenchmarkEntryEntity } from './benchmark-entry.entity';
import { BenchmarkEntryRepository } from './benchmark-entry.repository';
import type { BenchmarkEntryDto, DiscretionCheckDto } from './benchmark.dto';

export interface BenchmarkEntryView extends BenchmarkEntry {
  agencyId: string;
  version: number;
  updatedBy: string;
  updatedAt: string;
}

const VIOLATION_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The discretion benchmark per agency (行政裁量权基准, Art. 34): agency administrators keep it; it is public. */
@Injectable()
export class BenchmarkService {
  constructor(private readonly entries: BenchmarkEntryRepository) {}

  async list(agencyId: string): Promise<BenchmarkEntryView[]> {
    return (await this.entries.listOf(agencyId, 5000)).map(viewOf);
  }

  async get(agencyId: string, violationCode: string): Promise<BenchmarkEntryView> {
    return viewOf(await this.row(agencyId, violationCode));
  }

  /** The entry for a violation, or null; what a proposal's discretion is evaluated against. */
  async find(agencyId: string, violationCode: string, manager?: EntityManager): Promise<BenchmarkEntry | null> {
    const row = await this.entries.find(agencyId, violationCode, manager);
    return row ? entryOf(row) : null;
  }

  async save(agencyId: string, violationCode: string, input: BenchmarkEntryDto, user: AuthenticatedUser): Promise<BenchmarkEntryView> {
    assertOwnAgency(user, agencyId);
    assertViolationCode(violationCode);
    const bands: Partial<Record<DiscretionBand, BandSpec>> = {};
    for (const [band, spec] of Object.entries(input.bands) as Array<[DiscretionBand, BandSpec | undefined]>) {
      if (!spec) continue;
      bands[band] = {
        penaltyKinds: [...spec.penaltyKinds],
        ...(spec.fineFen ? { fineFen: { min: spec.fineFen.min, max: spec.fineFen.max } } : {}),
        ...(spec.fineGainsMultiple ? { fineGainsMultiple: { min: spec.fineGainsMultiple.min, max: spec.fineGainsMultiple.max } } : {}),
      };
    }
    const entry: BenchmarkEntry = {
      violationCode,
      description: input.description,
      legalBasis: input.legalBasis,
      penaltyBasis: input.penaltyBasis,
      bands,
    };
    assertBenchmarkValid(entry);
    return viewOf(await this.entries.saveVersion(agencyId, entry, user.userId, new Date()));
  }

  async remove(agencyId: string, violationCode: string, user: AuthenticatedUser): Promise<void> {
    assertOwnAgency(user, agencyId);
    if (!(await this.entries.remove(agencyId, violationCode))) throw notFound();
  }

  /** Whether a penalty lies in the band; outside it without a reason, 422 OUT_OF_BAND_REASON_REQUIRED. */
  async check(agencyId: string, violationCode: string, input: DiscretionCheckDto): Promise<DiscretionEvaluation> {
    const entry = entryOf(await this.row(agencyId, violationCode));
    const evaluation = evaluateDiscretion(entry, {
      violationCode,
      band: input.band,
      penalties: input.penalties.map((p) => ({ kind: p.kind, amountFen: p.amountFen ?? 0 })),
      illegalGainsFen: input.illegalGainsFen,
      outOfBandReason: input.outOfBandReason,
    });
    assertDiscretionAdmissible(evaluation);
    return evaluation;
  }

  private async row(agencyId: string, violationCode: string): Promise<BenchmarkEntryEntity> {
    const row = await this.entries.find(agencyId, violationCode);
    if (!row) throw notFound();
    return row;
  }
}

function assertViolationCode(code: string): void {
  if (!VIOLATION_CODE.test(code)) {
    throw new LegalReviewError('VALIDATION_FAILED', '提交的数据不符合要求，请检查后重试', 'invalid', {
      details: { problems: [{ field: 'violationCode', problem: 'letters, digits, dot, dash or underscore, at most 64' }] },
    });
  }
}

function notFound(): LegalReviewError {
  return new LegalReviewError('BENCHMARK_ENTRY_NOT_FOUND', '裁量基准中没有该违法行为', 'not-found');
}

function entryOf(row: BenchmarkEntryEntity): BenchmarkEntry {
  return {
    violationCode: row.violationCode,
    description: row.description,
    legalBasis: row.legalBasis,
    penaltyBasis: row.penaltyBasis,
    bands: row.bands,
  };
}

function viewOf(row: BenchmarkEntryEntity): BenchmarkEntryView {
  return {
    agencyId: row.agencyId,
    ...entryOf(row),
    version: row.version,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}
