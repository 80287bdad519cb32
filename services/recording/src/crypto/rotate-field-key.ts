import {
  FieldCipher,
  rotateFieldKey,
  type EncryptedTable,
  type RotationOptions,
  type TableRotationReport,
} from '@enforcement/field-cipher';
import { loadServiceConfig, withCommandDatabase } from '@enforcement/service-runtime';
import { CaseStateSeal } from '../cases/case-state-seal';
import { CaseEntity } from '../cases/case.entity';
import { CaseRepository } from '../cases/case.repository';
import { ChainSnapshotRepository } from '../chain/chain-snapshot.repository';
import { legacyCaseCheck } from '../chain/legacy-case-check';
import { recordingSettings } from '../config/recording-settings';
import { EvidenceItemEntity } from '../evidence/evidence-item.entity';
import { CaseRecordEntity } from '../records/case-record.entity';

/** The party's identifier and contact data, with the contexts CasesService encrypts them with. */
export const CASE_PARTY_FIELDS: EncryptedTable = {
  table: 'case_parties',
  primaryKey: 'case_id',
  columns: [
    { column: 'identifier_encrypted', context: (caseId) => `case_parties.identifier:${caseId}` },
    { column: 'contact_encrypted', context: (caseId) => `case_parties.contact:${caseId}` },
  ],
};

/** Every encrypted column of the recording service. */
export const RECORDING_ENCRYPTED_TABLES = [CASE_PARTY_FIELDS] as const;

/**
 * `npm run rotate-field-key -- --service recording`: moves the parties' encrypted fields to the current key, and the
 * cases' state seals (cases/case-state-seal.ts, keyed from the same field key), on the service's own database,
 * configured from the environment exactly as the service is.
 */
export async function rotateRecordingFieldKey(
  env: Record<string, string | undefined>,
  options: RotationOptions = {},
): Promise<{ reports: TableRotationReport[]; cipher: FieldCipher }> {
  const config = loadServiceConfig(recordingSettings, env);
  const cipher = await FieldCipher.fromConfig(config.settings.fieldEncryption);
  return withCommandDatabase(
    config,
    async (dataSource) => {
      const reports = await rotateFieldKey(dataSource, cipher, RECORDING_ENCRYPTED_TABLES, options);
      // Cases written before seals existed are sealed too, once checked against their records (the upgrade's step).
      const seals = await new CaseRepository(dataSource, new CaseStateSeal(cipher)).resealUnderCurrentKey(
        options,
        legacyCaseCheck(new ChainSnapshotRepository(dataSource)),
      );
      return { reports: [...reports, seals], cipher };
    },
    { entities: [CaseEntity, CaseRecordEntity, EvidenceItemEntity] },
  );
}
