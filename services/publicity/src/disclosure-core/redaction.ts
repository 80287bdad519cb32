import { isValidDay } from '@enforcement/calendar';
import { isValidResidentId } from '@enforcement/identifiers';

/**
 * The redaction rules (国办发〔2018〕118号: 涉及个人隐私的不予公开; what must be published is redacted), kept as
 * configuration so that an agency or a province can change them without code: which kinds of personal data are
 * removed, the words that mark health data, how the penalised person's name is masked and what replaces each kind.
 */
export interface RedactionRules {
  residentIds: boolean;
  phones: boolean;
  bankCards: boolean;
  addresses: boolean;
  /** A clause (between ，。；！？ or line breaks) containing one of these words is removed whole. */
  healthTerms: readonly string[];
  /** Words that introduce an address up to the end of its clause (住址：…). */
  addressLabels: readonly string[];
  /** Two-character surnames kept whole when a name is masked. */
  compoundSurnames: readonly string[];
  /** The character that replaces each given-name character of the penalised natural person (张三丰 → 张某某). */
  nameMask: string;
  replacements: Readonly<Record<RedactionKind, string>>;
}

export type RedactionKind = 'resident-id' | 'phone' | 'bank-card' | 'address' | 'health' | 'third-party-name' | 'party-name';

export const DEFAULT_REDACTION_RULES: RedactionRules = {
  residentIds: true,
  phones: true,
  bankCards: true,
  addresses: true,
  healthTerms: [
    '病',
    '患有',
    '诊断',
    '病历',
    '病史',
    '残疾',
    '伤残',
    '精神障碍',
    '抑郁',
    '艾滋',
    'HIV',
    '乙肝',
    '肝炎',
    '结核',
    '怀孕',
    '妊娠',
    '体检',
    '住院',
    '手术',
    '治疗',
    '药物依赖',
    '吸毒',
  ],
  addressLabels: ['家庭住址', '住址', '现住', '住所地', '居住地', '户籍地', '户籍所在地', '联系地址', '送达地址', '住'],
  compoundSurnames: [
    '欧阳',
    '司马',
    '诸葛',
    '上官',
    '东方',
    '皇甫',
    '尉迟',
    '公孙',
    '慕容',
    '令狐',
    '长孙',
    '宇文',
    '夏侯',
    '轩辕',
    '端木',
    '澹台',
    '司徒',
    '申屠',
    '独孤',
    '南宫',
  ],
  nameMask: '某',
  replacements: {
    'resident-id': '［身份证号码已隐去］',
    phone: '［电话号码已隐去］',
    'bank-card': '［银行账号已隐去］',
    address: '［住址已隐去］',
    health: '［健康信息已隐去］',
    'third-party-name': '［姓名已隐去］',
    'party-name': '',
  },
};

/** Who the text is about: the penalised party, and the natural persons it names besides (witnesses, relatives, …). */
export interface RedactionSubjects {
  party: { kind: 'natural-person' | 'organisation'; name: string };
  /** Natural persons other than the party named in the case: removed wherever they appear. */
  otherPersons?: readonly string[];
}

/** One span of the original that was replaced: where and why, never what (findings are shown and logged). */
export interface RedactionFinding {
  kind: RedactionKind;
  start: number;
  end: number;
  /** For a resident ID: whether its GB 11643 check character was right (a wrong one is removed all the same). */
  checksumValid?: boolean;
}

export interface RedactionResult {
  text: string;
  findings: RedactionFinding[];
}

interface Span extends RedactionFinding {
  replacement: string;
}

/** Full-width digits as ASCII, character for character, so positions in the copy are positions in the original. */
function halfWidthDigits(text: string): string {
  return text.replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** The Luhn check of bank card numbers (ISO/IEC 7812). */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The penalised natural person's name as published: the surname and one mask character per given-name character. */
export function maskPersonName(name: string, rules: RedactionRules = DEFAULT_REDACTION_RULES): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return rules.nameMask;
  const surnameLength = rules.compoundSurnames.some((s) => name.startsWith(s)) && chars.length > 2 ? 2 : 1;
  return chars.slice(0, surnameLength).join('') + rules.nameMask.repeat(chars.length - surnameLength);
}

type NumberKind = { kind: 'resident-id'; checksumValid: boolean } | { kind: 'phone' } | { kind: 'bank-card' } | undefined;

/** What a run of digits (separators removed) is, if it is personal data. */
function classifyNumber(digits: string, rules: RedactionRules): NumberKind {
  const upper = digits.toUpperCase();
  if (rules.residentIds && upper.length === 18 && /^\d{17}[\dX]$/.test(upper)) {
    if (isValidResidentId(upper)) return { kind: 'resident-id', checksumValid: true };
    // A mistyped check character still identifies the person: removed, and marked for the reviewer.
    const birth = `${upper.slice(6, 10)}-${upper.slice(10, 12)}-${upper.slice(12, 14)}`;
    if (isValidDay(birth) && /^[1-9]/.test(upper)) return { kind: 'resident-id', checksumValid: false };
  }
  // First-generation 15-digit numbers: YYMMDD birth date at positions 7-12, no check character.
  if (rules.residentIds && /^\d{15}$/.test(upper) && isValidDay(`19${upper.slice(6, 8)}-${upper.slice(8, 10)}-${upper.slice(10, 12)}`)) {
    if (!(rules.bankCards && passesLuhn(upper))) return { kind: 'resident-id', checksumValid: false };
  }
  if (!/^\d+$/.test(upper)) return undefined;
  if (rules.phones) {
    const national = upper.replace(/^(?:0086|86)(?=1[3-9]\d{9}$)/, '');
    if (/^1[3-9]\d{9}$/.test(national)) return { kind: 'phone' };
    // Landlines with their area code: 0 + 2-3 digit area code + 7-8 digit number.
    if (/^0[1-9]\d{8,10}$/.test(upper)) return { kind: 'phone' };
  }
  if (rules.bankCards && upper.length >= 12 && upper.length <= 19 && passesLuhn(upper)) return { kind: 'bank-card' };
  return undefined;
}

/**
 * A run of digits, possibly grouped by single spaces or hyphens (138-1234-5678, 6222 0212 3456 7890), possibly
 * ending in the X of a resident ID, not part of a longer alphanumeric token (a credit code's digits are not a
 * number of their own).
 */
const DIGIT_RUN = /(?<![0-9A-Za-z])(?:\+?86[ -]?)?[0-9](?:[ -]?[0-9]){6,22}(?:[Xx])?(?![0-9A-Za-z])/g;

/**
 * Street addresses without a label: …路/街/巷/弄/村 + number + 号/弄, then building, unit and room; the road's name and
 * the divisions before it are taken backwards up to a word that cannot be part of a place name.
 */
const STREET_ADDRESS =
  /(?:路|街|大街|大道|巷|弄|村|里|胡同)[0-9一二三四五六七八九十百零〇]+(?:号|弄)(?:[0-9一二三四五六七八九十-]+(?:号楼|号房|号|弄|栋|幢|座|单元|楼|层|室))*/g;
const ADDRESS_STOP = /[于在位其的和与及是为从到向住址称：:，,。；;、（）()\s《》“”"]/;
const ADDRESS_MAX_PREFIX = 24;

const CLAUSE_BREAK = /[，,。；;！!？?\n]/;

/**
 * Redacts a text for publication. Rules run on the original, spans are merged, and each is replaced once, so a
 * replacement is never scanned again. What the reviewer approves is the result; the original is kept beside it.
 *
 * - natural persons' resident ID numbers (18 characters checked with GB 11643, 15-digit old numbers), phone
 *   numbers (mobiles with or without +86, landlines with area code), bank card numbers (12-19 digits passing the
 *   Luhn check): removed;
 * - addresses (after a label such as 住址, or shaped like a street address): removed;
 * - a clause naming health data (the configured terms): removed whole;
 * - the penalised natural person's name: masked (张三 → 张某); an organisation keeps its name;
 * - other natural persons' names: removed.
 */
export function redact(text: string, subjects: RedactionSubjects, rules: RedactionRules = DEFAULT_REDACTION_RULES): RedactionResult {
  const scan = halfWidthDigits(text);
  const spans: Span[] = [];
  const add = (kind: RedactionKind, start: number, end: number, replacement: string, extra: Partial<RedactionFinding> = {}) => {
    if (end > start) spans.push({ kind, start, end, replacement, ...extra });
  };

  // Health: the whole clause.
  if (rules.healthTerms.length > 0) {
    for (const term of rules.healthTerms) {
      let from = 0;
      for (let at = scan.indexOf(term, from); at >= 0; at = scan.indexOf(term, from)) {
        let start = at;
        while (start > 0 && !CLAUSE_BREAK.test(scan[start - 1])) start--;
        let end = at + term.length;
        while (end < scan.length && !CLAUSE_BREAK.test(scan[end])) end++;
        add('health', start, end, rules.replacements.health);
        from = end;
      }
    }
  }

  // Addresses: after a label up to the end of the clause, and street-shaped ones anywhere.
  if (rules.addresses) {
    const labels = [...rules.addressLabels]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
    if (labels) {
      const labelled = new RegExp(`(?:${labels})(?:于|在|址|为)?[:：]?\\s*`, 'g');
      for (const match of scan.matchAll(labelled)) {
        const start = match.index + match[0].length;
        let end = start;
        while (end < scan.length && !CLAUSE_BREAK.test(scan[end]) && scan[end] !== '）' && scan[end] !== ')') end++;
        // "住" alone is a verb as often as a label: only an address-shaped rest counts.
        const rest = scan.slice(start, end);
        if (match[0].startsWith('住') && match[0].length <= 2 && !/(?:路|街|巷|弄|村|号|室|小区|省|市|区|县|镇)/.test(rest)) continue;
        add('address', start, end, rules.replacements.address);
      }
    }
    for (const match of scan.matchAll(STREET_ADDRESS)) {
      let start = match.index;
      while (start > 0 && match.index - start < ADDRESS_MAX_PREFIX && !ADDRESS_STOP.test(scan[start - 1])) start--;
      if (start < match.index) add('address', start, match.index + match[0].length, rules.replacements.address);
    }
  }

  // Numbers: each whole run is classified once, so a phone-shaped part of an ID number is never a phone.
  for (const match of scan.matchAll(DIGIT_RUN)) {
    const digits = match[0].replace(/^\+/, '').replace(/[ -]/g, '');
    const found = classifyNumber(digits, rules);
    if (!found) continue;
    add(
      found.kind,
      match.index,
      match.index + match[0].length,
      rules.replacements[found.kind],
      found.kind === 'resident-id' ? { checksumValid: found.checksumValid } : {},
    );
  }

  // Names: longest first, so that 张三丰 is not found as 张三 + 丰.
  const names: Array<{ name: string; kind: RedactionKind; replacement: string }> = [];
  if (subjects.party.kind === 'natural-person' && subjects.party.name.trim()) {
    names.push({ name: subjects.party.name.trim(), kind: 'party-name', replacement: maskPersonName(subjects.party.name, rules) });
  }
  for (const other of subjects.otherPersons ?? []) {
    if (other.trim() && other.trim() !== subjects.party.name.trim()) {
      names.push({ name: other.trim(), kind: 'third-party-name', replacement: rules.replacements['third-party-name'] });
    }
  }
  names.sort((a, b) => b.name.length - a.name.length);
  const taken: Array<[number, number]> = [];
  for (const { name, kind, replacement } of names) {
    let from = 0;
    for (let at = text.indexOf(name, from); at >= 0; at = text.indexOf(name, from)) {
      const end = at + name.length;
      if (!taken.some(([s, e]) => at < e && end > s)) {
        taken.push([at, end]);
        add(kind, at, end, replacement);
      }
      from = end;
    }
  }

  return apply(text, spans);
}

/**
 * Overlapping spans merge; the merged span takes the replacement of the widest rule it contains (a clause removed
 * for health swallows the phone inside it). A name masked inside a wider span disappears with it.
 */
function apply(text: string, spans: Span[]): RedactionResult {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      if (span.end - span.start > last.end - last.start) {
        merged[merged.length - 1] = { ...span, start: last.start, end: Math.max(last.end, span.end) };
      } else {
        last.end = Math.max(last.end, span.end);
      }
    } else {
      merged.push({ ...span });
    }
  }
  let out = '';
  let at = 0;
  for (const span of merged) {
    out += text.slice(at, span.start) + span.replacement;
    at = span.end;
  }
  out += text.slice(at);
  const findings = merged.map(({ kind, start, end, checksumValid }) =>
    checksumValid === undefined ? { kind, start, end } : { kind, start, end, checksumValid },
  );
  return { text: out, findings };
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
