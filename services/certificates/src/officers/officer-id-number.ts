import type { EncryptedTable, FieldCipher } from '@enforcement/field-cipher';

/**
 * An officer's resident ID number at rest: encrypted with the service's FieldCipher, bound to its row
 * (`officers.id_number:<officer id>`), with a blind index beside it for duplicate detection and look-ups.
 * The number itself is never stored in clear, published, logged or sent in events.
 */
export const ID_NUMBER_INDEX_PURPOSE = 'officers.id_number';

export function idNumberContext(officerId: string): string {
  return `officers.id_number:${officerId}`;
}

/** One spelling per person: the check character X in upper case, no spaces. */
export function normalizeIdNumber(idNumber: string): string {
  return idNumber.trim().toUpperCase();
}

/** The stored pair for a new officer, under the current key. */
export function sealIdNumber(cipher: FieldCipher, officerId: string, idNumber: string) {
  const normalized = normalizeIdNumber(idNumber);
  return {
    idNumberEncrypted: cipher.encrypt(normalized, idNumberContext(officerId)),
    idNumberIndex: cipher.blindIndex(normalized, ID_NUMBER_INDEX_PURPOSE),
  };
}

/** The blind indexes an ID number may be stored under: the current key's and, during a rotation, the previous keys'. */
export function idNumberIndexes(cipher: FieldCipher, idNumber: string): string[] {
  return cipher.blindIndexes(normalizeIdNumber(idNumber), ID_NUMBER_INDEX_PURPOSE);
}

/** What the key rotation re-encrypts in this service. */
export const OFFICER_ID_NUMBERS: EncryptedTable = {
  table: 'officers',
  primaryKey: 'id',
  columns: [
    {
      column: 'id_number_encrypted',
      context: idNumberContext,
      blindIndex: { column: 'id_number_index', purpose: ID_NUMBER_INDEX_PURPOSE, normalize: normalizeIdNumber },
    },
  ],
};
