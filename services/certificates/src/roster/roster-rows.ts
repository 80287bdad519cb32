import { ROLES, type Role } from '@enforcement/auth';
import { isValidDay } from '@enforcement/calendar';
import { isValidResidentId } from '@enforcement/identifiers';
import { parseCsv } from './csv';

/** Spreadsheet columns; Chinese headers are accepted too, as agencies' templates use them. */
const COLUMNS = {
  name: ['name', '姓名'],
  idNumber: ['id_number', '身份证号码', '身份证号'],
  roles: ['roles', '角色'],
  certificateNumber: ['certificate_number', '执法证号', '证件编号'],
  issuingAuthority: ['issuing_authority', '发证机关'],
  domains: ['domains', '执法领域'],
  regionCodes: ['region_codes', '执法区域'],
  validFrom: ['valid_from', '有效期起'],
  validUntil: ['valid_until', '有效期至'],
} as const;

type Column = keyof typeof COLUMNS;

export interface RosterRow {
  /** Line in the file, counting the header as line 1. */
  line: number;
  name: string;
  idNumber: string;
  roles: Role[];
  certificateNumber: string;
  issuingAuthority: string;
  domains: string[];
  regionCodes: string[];
  validFrom: string;
  validUntil: string;
}

export interface RowProblem {
  field: Column | 'row';
  code: string;
  message: string;
}

export interface ParsedRow {
  line: number;
  row?: RosterRow;
  problems: RowProblem[];
}

export class RosterFormatError extends Error {}

const LIST_SEPARATOR = /[;；、|]/;

function list(value: string): string[] {
  return value
    .split(LIST_SEPARATOR)
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * Reads a roster file into rows and checks each row on its own (formats, check digits, dates, the
 * agency's domains) and against the other rows (the same person or certificate twice). What needs the
 * database (already registered) is checked by the import service.
 */
export function parseRoster(csv: string, agencyDomains: readonly string[]): ParsedRow[] {
  let records: string[][];
  try {
    records = parseCsv(csv);
  } catch (error) {
    throw new RosterFormatError(`CSV 格式错误：${(error as Error).message}`);
  }
  if (records.length < 2) throw new RosterFormatError('文件中没有数据行');
  const header = records[0].map((cell) => cell.trim().toLowerCase());
  const positions = {} as Record<Column, number>;
  for (const [column, names] of Object.entries(COLUMNS) as Array<[Column, readonly string[]]>) {
    const index = header.findIndex((cell) => names.includes(cell));
    if (index < 0) throw new RosterFormatError(`缺少列：${names[0]}（${names[1]}）`);
    positions[column] = index;
  }
  const seenIds = new Map<string, number>();
  const seenNumbers = new Map<string, number>();
  return records.slice(1).map((cells, index) => {
    const line = index + 2;
    const get = (column: Column) => (cells[positions[column]] ?? '').trim();
    const problems: RowProblem[] = [];
    const fail = (field: RowProblem['field'], code: string, message: string) => problems.push({ field, code, message });

    const name = get('name');
    if (name.length < 1 || name.length > 100) fail('name', 'REQUIRED', '姓名不能为空且不超过 100 字');
    const idNumber = get('idNumber').toUpperCase();
    if (!isValidResidentId(idNumber)) fail('idNumber', 'INVALID_ID_NUMBER', '身份证号码格式或校验位不正确');
    const roles = list(get('roles') || 'officer');
    const badRoles = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
    if (badRoles.length > 0) fail('roles', 'INVALID_ROLE', `未知角色：${badRoles.join('、')}`);
    if (roles.some((role) => role === 'reviewer' || role === 'supervisor' || role === 'system-admin')) {
      fail('roles', 'ROLE_NOT_IMPORTABLE', '法制审核、监督和系统管理角色须单独授予，不能通过名册导入');
    }
    const certificateNumber = get('certificateNumber');
    if (!/^[A-Za-z0-9-]{4,64}$/.test(certificateNumber))
      fail('certificateNumber', 'INVALID_CERTIFICATE_NUMBER', '执法证号只能包含字母、数字和连字符（4-64 位）');
    const issuingAuthority = get('issuingAuthority');
    if (issuingAuthority.length < 2) fail('issuingAuthority', 'REQUIRED', '发证机关不能为空');
    const domains = list(get('domains'));
    if (domains.length === 0) fail('domains', 'REQUIRED', '执法领域不能为空');
    const foreign = domains.filter((domain) => !agencyDomains.includes(domain));
    if (foreign.length > 0) fail('domains', 'CERTIFICATE_SCOPE_EXCEEDS_AGENCY', `执法领域超出本机关职权：${foreign.join('、')}`);
    const regionCodes = list(get('regionCodes'));
    if (regionCodes.length === 0 || regionCodes.some((code) => !/^\d{6}$/.test(code))) {
      fail('regionCodes', 'INVALID_REGION', '执法区域应为 6 位行政区划代码，多个以分号分隔');
    }
    const validFrom = get('validFrom');
    const validUntil = get('validUntil');
    if (!isValidDay(validFrom)) fail('validFrom', 'INVALID_DATE', '有效期起应为 YYYY-MM-DD');
    if (!isValidDay(validUntil)) fail('validUntil', 'INVALID_DATE', '有效期至应为 YYYY-MM-DD');
    else if (isValidDay(validFrom) && validUntil < validFrom) fail('validUntil', 'INVALID_VALIDITY', '有效期至不能早于有效期起');

    const duplicateOf = (seen: Map<string, number>, key: string) => {
      const first = seen.get(key);
      if (first === undefined) seen.set(key, line);
      return first;
    };
    const sameId = idNumber ? duplicateOf(seenIds, idNumber) : undefined;
    if (sameId) fail('idNumber', 'DUPLICATE_IN_FILE', `与第 ${sameId} 行为同一人`);
    const sameNumber = certificateNumber ? duplicateOf(seenNumbers, certificateNumber) : undefined;
    if (sameNumber) fail('certificateNumber', 'DUPLICATE_IN_FILE', `与第 ${sameNumber} 行证号重复`);

    if (problems.length > 0) return { line, problems };
    return {
      line,
      problems,
      row: {
        line,
        name,
        idNumber,
        roles: roles as Role[],
        certificateNumber,
        issuingAuthority,
        domains,
        regionCodes,
        validFrom,
        validUntil,
      },
    };
  });
}
