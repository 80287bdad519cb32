import { Injectable } from '@nestjs/common';
import { assertAgencyScope, type AuthenticatedUser } from '@enforcement/auth';
import { TransactionalOutbox, type Transaction } from '@enforcement/events';
import { AgencyRepository } from '../agencies/agency.repository';
import { CertificateRepository } from '../certificates/certificate.repository';
import { CertificatesService } from '../certificates/certificates.service';
import { CertificatesError } from '../errors/certificates.error';
import { normalizeIdNumber } from '../officers/officer-id-number';
import { OfficersService } from '../officers/officers.service';
import { parseRoster, RosterFormatError, type ParsedRow, type RosterRow } from './roster-rows';

export type ImportMode = 'all-or-nothing' | 'valid-rows';

export interface RowReport {
  line: number;
  status: 'imported' | 'rejected' | 'not-imported';
  officerId?: string;
  certificateId?: string;
  problems: ParsedRow['problems'];
}

export interface ImportReport {
  mode: ImportMode;
  imported: number;
  rejected: number;
  rows: RowReport[];
}

/**
 * Imports an agency's roster: an officer and their certificate per row. A row is never half imported.
 * By default a file with a bad row changes nothing; with mode valid-rows the good rows go in.
 */
@Injectable()
export class RosterImportService {
  constructor(
    private readonly outbox: TransactionalOutbox,
    private readonly agencies: AgencyRepository,
    private readonly storedCertificates: CertificateRepository,
    private readonly officers: OfficersService,
    private readonly certificates: CertificatesService,
  ) {}

  async import(agencyId: string, csv: string, mode: ImportMode, actor: AuthenticatedUser): Promise<ImportReport> {
    assertAgencyScope(actor, agencyId);
    const agency = await this.agencies.findById(agencyId);
    if (!agency) throw new CertificatesError('AGENCY_NOT_FOUND', '执法主体不存在', 'not-found');
    let parsed: ParsedRow[];
    try {
      parsed = parseRoster(csv, agency.domains);
    } catch (error) {
      if (error instanceof RosterFormatError) throw new CertificatesError('ROSTER_FORMAT', error.message, 'invalid');
      throw error;
    }
    await this.markAlreadyRegistered(parsed);

    const good = parsed.filter((entry): entry is ParsedRow & { row: RosterRow } => entry.problems.length === 0 && !!entry.row);
    const rejected = parsed.length - good.length;
    const reports = new Map<number, RowReport>(
      parsed.map((entry) => [
        entry.line,
        { line: entry.line, status: entry.problems.length > 0 ? 'rejected' : 'not-imported', problems: entry.problems },
      ]),
    );
    if (rejected > 0 && mode === 'all-or-nothing') {
      throw new CertificatesError('ROSTER_HAS_ERRORS', `名册有 ${rejected} 行不符合要求，未导入任何数据`, 'refused', {
        details: { mode, imported: 0, rejected, rows: [...reports.values()] },
      });
    }
    const importRow = async (tx: Transaction, row: RosterRow) => {
      const officer = await this.officers.registerIn(tx, agencyId, { name: row.name, idNumber: row.idNumber, roles: row.roles }, actor);
      const certificate = await this.certificates.issueIn(tx, officer.id, { ...row, number: row.certificateNumber }, actor);
      reports.set(row.line, { line: row.line, status: 'imported', officerId: officer.id, certificateId: certificate.id, problems: [] });
    };
    if (mode === 'all-or-nothing') {
      await this.outbox.run(async (tx) => {
        for (const { row } of good) await importRow(tx, row);
      });
    } else {
      // One transaction per row: a row that fails late (e.g. a concurrent import took its number) stays out whole.
      for (const { row } of good) {
        try {
          await this.outbox.run((tx) => importRow(tx, row));
        } catch (error) {
          if (!(error instanceof CertificatesError)) throw error;
          reports.set(row.line, {
            line: row.line,
            status: 'rejected',
            problems: [{ field: 'row', code: error.code, message: error.message }],
          });
        }
      }
    }
    const rows = [...reports.values()];
    return {
      mode,
      imported: rows.filter((r) => r.status === 'imported').length,
      rejected: rows.filter((r) => r.status === 'rejected').length,
      rows,
    };
  }

  /** Rows whose person or certificate number is already on the platform are problems, not silent skips. */
  private async markAlreadyRegistered(parsed: ParsedRow[]): Promise<void> {
    const rows = parsed.flatMap((entry) => (entry.row ? [entry] : []));
    if (rows.length === 0) return;
    const [knownIds, knownNumbers] = await Promise.all([
      this.officers.registeredIdNumbers(rows.flatMap((entry) => (entry.row ? [entry.row.idNumber] : []))),
      this.storedCertificates.existingNumbers(rows.flatMap((entry) => (entry.row ? [entry.row.certificateNumber] : []))),
    ]);
    for (const entry of rows) {
      if (!entry.row) continue;
      if (knownIds.has(normalizeIdNumber(entry.row.idNumber))) {
        entry.problems.push({ field: 'idNumber', code: 'OFFICER_EXISTS', message: '该身份证号码的执法人员已登记' });
      }
      if (knownNumbers.has(entry.row.certificateNumber)) {
        entry.problems.push({ field: 'certificateNumber', code: 'CERTIFICATE_NUMBER_EXISTS', message: '该证件编号已存在' });
      }
      if (entry.problems.length > 0) delete entry.row;
    }
  }
}
