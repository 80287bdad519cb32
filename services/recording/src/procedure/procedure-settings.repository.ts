import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PartyKind } from '../case-core/case.types';
import type { PenaltyThresholds } from '../case-core/penalties';
import type { TransactionScope } from '../case-core/ports';
import {
  DEFAULT_AGENCY_PROCEDURE_SETTINGS,
  type AgencyProcedureSettings,
  type ProcedureSettingsSource,
} from '../case-core/procedure-settings';
import { managerOf } from '../cases/case.repository';
import { AgencySettingsCache } from './agency-settings-cache';
import { AgencyProcedureSettingsEntity } from './procedure-settings.entity';

/** What an administrator sets: any value left out keeps the platform default. */
export interface ProcedureSettingsInput {
  largeFineFen?: Partial<Record<PartyKind, number>>;
  largeConfiscationFen?: Partial<Record<PartyKind, number>>;
  statementPeriodWorkingDays?: number;
  lateEntryLimitMinutes?: number;
  footageUploadLimitMinutes?: number;
}

/** Where the large amounts of an agency came from when its catalog set them (`catalog:v<version>`). */
export const CATALOG_SOURCE = /^catalog:v(\d+)$/;

export type CatalogAmounts = Pick<
  AgencyProcedureSettingsEntity,
  'largeFineFenNaturalPerson' | 'largeFineFenOrganisation' | 'largeConfiscationFenNaturalPerson' | 'largeConfiscationFenOrganisation'
>;

const amount = (value: string | number | null, fallback: number) => (value === null || value === undefined ? fallback : Number(value));

function settingsOf(row: AgencyProcedureSettingsEntity | null | undefined): AgencyProcedureSettings {
  const defaults = DEFAULT_AGENCY_PROCEDURE_SETTINGS;
  if (!row) return defaults;
  const thresholds: PenaltyThresholds = {
    largeFineFen: {
      'natural-person': amount(row.largeFineFenNaturalPerson, defaults.thresholds.largeFineFen['natural-person']),
      organisation: amount(row.largeFineFenOrganisation, defaults.thresholds.largeFineFen.organisation),
    },
    largeConfiscationFen: {
      'natural-person': amount(row.largeConfiscationFenNaturalPerson, defaults.thresholds.largeConfiscationFen['natural-person']),
      organisation: amount(row.largeConfiscationFenOrganisation, defaults.thresholds.largeConfiscationFen.organisation),
    },
  };
  return {
    thresholds,
    policy: {
      statementPeriodWorkingDays: row.statementPeriodWorkingDays ?? defaults.policy.statementPeriodWorkingDays,
      lateEntryLimitMs: row.lateEntryLimitMinutes === null ? defaults.policy.lateEntryLimitMs : row.lateEntryLimitMinutes * 60_000,
      footageUploadLimitMs:
        row.footageUploadLimitMinutes === null || row.footageUploadLimitMinutes === undefined
          ? defaults.policy.footageUploadLimitMs
          : row.footageUploadLimitMinutes * 60_000,
    },
  };
}

/**
 * Each agency's procedure data in `agency_procedure_settings`, behind the core's ProcedureSettingsSource port: an
 * administrator sets it today; the legal-review catalog's published large amounts can call `replace` later.
 */
@Injectable()
export class ProcedureSettingsRepository implements ProcedureSettingsSource {
  private readonly cache = new AgencySettingsCache<AgencyProcedureSettings>();

  constructor(private readonly dataSource: DataSource) {}

  async settingsOf(agencyId: string, tx?: TransactionScope): Promise<AgencyProcedureSettings> {
    return this.cache.get(agencyId, async () =>
      settingsOf(await managerOf(this.dataSource, tx).findOneBy(AgencyProcedureSettingsEntity, { agencyId })),
    );
  }

  /**
   * Sets the agency's settings. The large amounts are replaced only when the input names some (then `source` says who
   * set them); otherwise they stay as they are, with their source, so that setting a period does not drop amounts a
   * catalog version supplied. The periods are replaced (left out: the default).
   */
  async replace(agencyId: string, input: ProcedureSettingsInput, source: string): Promise<AgencyProcedureSettings> {
    const repository = this.dataSource.getRepository(AgencyProcedureSettingsEntity);
    const held = await repository.findOneBy({ agencyId });
    const amounts = input.largeFineFen !== undefined || input.largeConfiscationFen !== undefined;
    const row: AgencyProcedureSettingsEntity = {
      agencyId,
      largeFineFenNaturalPerson: amounts ? (input.largeFineFen?.['natural-person'] ?? null) : (held?.largeFineFenNaturalPerson ?? null),
      largeFineFenOrganisation: amounts ? (input.largeFineFen?.organisation ?? null) : (held?.largeFineFenOrganisation ?? null),
      largeConfiscationFenNaturalPerson: amounts
        ? (input.largeConfiscationFen?.['natural-person'] ?? null)
        : (held?.largeConfiscationFenNaturalPerson ?? null),
      largeConfiscationFenOrganisation: amounts
        ? (input.largeConfiscationFen?.organisation ?? null)
        : (held?.largeConfiscationFenOrganisation ?? null),
      statementPeriodWorkingDays: input.statementPeriodWorkingDays ?? null,
      lateEntryLimitMinutes: input.lateEntryLimitMinutes ?? null,
      footageUploadLimitMinutes: input.footageUploadLimitMinutes ?? null,
      source: amounts || !held ? source : held.source,
      updatedAt: new Date(),
    };
    await repository.save(row);
    this.cache.forget(agencyId);
    return settingsOf(row);
  }

  /**
   * The large amounts of a published catalog version (Art. 63), unless a version as new or newer was applied; the
   * agency's other settings stay. In the consumer's transaction, so the inbox row and the change commit together.
   */
  async applyCatalogAmounts(tx: TransactionScope, agencyId: string, version: number, amounts: CatalogAmounts): Promise<boolean> {
    const manager = managerOf(this.dataSource, tx);
    const held = await manager.findOneBy(AgencyProcedureSettingsEntity, { agencyId });
    const appliedVersion = Number(CATALOG_SOURCE.exec(held?.source ?? '')?.[1] ?? 0);
    if (appliedVersion >= version) return false;
    await manager.save(AgencyProcedureSettingsEntity, {
      agencyId,
      ...amounts,
      statementPeriodWorkingDays: held?.statementPeriodWorkingDays ?? null,
      lateEntryLimitMinutes: held?.lateEntryLimitMinutes ?? null,
      footageUploadLimitMinutes: held?.footageUploadLimitMinutes ?? null,
      source: `catalog:v${version}`,
      updatedAt: new Date(),
    });
    this.cache.forget(agencyId);
    return true;
  }
}
