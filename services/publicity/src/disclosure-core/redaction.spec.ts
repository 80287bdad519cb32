import { withCheckCharacter } from '@enforcement/identifiers';
import { DEFAULT_REDACTION_RULES, maskPersonName, passesLuhn, redact, type RedactionSubjects } from './redaction';

/** A card number of `first` digits completed with its Luhn digit. */
function luhn(first: string): string {
  for (let d = 0; d <= 9; d++) if (passesLuhn(first + d)) return first + d;
  throw new Error('unreachable');
}

const ID = withCheckCharacter('31010119850612123'); // a valid GB 11643 number
const ID_X = (() => {
  for (let seq = 100; seq < 999; seq++) {
    const id = withCheckCharacter(`31010119850612${seq}`);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X');
})();
const WRONG_CHECK = ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0');
const CARD = luhn('622202123456789012'); // 19 digits
const CARD16 = luhn('622848001234567');

const person: RedactionSubjects = { party: { kind: 'natural-person', name: '张三丰' }, otherPersons: ['李四', '王小明'] };
const company: RedactionSubjects = { party: { kind: 'organisation', name: '上海某某食品有限公司' }, otherPersons: ['赵六'] };

describe(redact.name, () => {
  it.each<[string, string, RedactionSubjects, string]>([
    ['a resident ID number', `当事人身份证号码${ID}，`, person, '当事人身份证号码［身份证号码已隐去］，'],
    ['an ID ending in X', `身份证：${ID_X}。`, person, '身份证：［身份证号码已隐去］。'],
    ['an ID ending in a lowercase x', `身份证：${ID_X.toLowerCase()}。`, person, '身份证：［身份证号码已隐去］。'],
    [
      'an ID in full-width digits',
      `身份证${[...ID].map((c) => (c === 'X' ? 'Ｘ' : String.fromCharCode(c.charCodeAt(0) + 0xfee0))).join('')}号`,
      person,
      '身份证［身份证号码已隐去］号',
    ],
    ['an ID with a wrong check character (removed all the same)', `号码${WRONG_CHECK}`, person, '号码［身份证号码已隐去］'],
    ['an ID written in groups', `身份证 ${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)} 。`, person, '身份证 ［身份证号码已隐去］ 。'],
    ['an old 15-digit ID', '身份证310101850612123。', person, '身份证［身份证号码已隐去］。'],
    ['a mobile', '联系电话13812345678。', person, '联系电话［电话号码已隐去］。'],
    ['a mobile with +86 and hyphens', '电话：+86 138-1234-5678，', person, '电话：［电话号码已隐去］，'],
    ['a landline with area code', '电话021-63211234。', person, '电话［电话号码已隐去］。'],
    ['a mobile right after Chinese and before Chinese', '手机13912345678联系', person, '手机［电话号码已隐去］联系'],
    ['a 19-digit bank card (Luhn)', `银行账号${CARD}。`, person, '银行账号［银行账号已隐去］。'],
    ['a 16-digit card in groups of four', `卡号 ${CARD16.replace(/(\d{4})(?=\d)/g, '$1 ')}。`, person, '卡号 ［银行账号已隐去］。'],
    ['an address after its label', '住址：上海市黄浦区某某路100弄3号502室，', person, '住址：［住址已隐去］，'],
    ['a street address without a label', '于其位于南京东路123号4楼的住处', person, '于其位于［住址已隐去］的住处'],
    ['a health clause, removed whole', '当事人称其患有糖尿病，请求从轻处罚。', person, '［健康信息已隐去］，请求从轻处罚。'],
    [
      'the party’s name masked everywhere',
      '当事人张三丰于2026年3月2日销售过期食品，张三丰承认',
      person,
      '当事人张某某于2026年3月2日销售过期食品，张某某承认',
    ],
    ['third parties removed', '证人李四、王小明证实', person, '证人［姓名已隐去］、［姓名已隐去］证实'],
    [
      'an organisation keeps its name and credit code, a third party goes',
      '上海某某食品有限公司（统一社会信用代码91310101MA1FL5LX3K）员工赵六',
      company,
      '上海某某食品有限公司（统一社会信用代码91310101MA1FL5LX3K）员工［姓名已隐去］',
    ],
  ])('removes %s', (_case, input, subjects, expected) => {
    expect(redact(input, subjects).text).toBe(expected);
  });

  it.each<[string, string]>([
    ['amounts and dates', '罚款人民币5000元，没收违法所得1200.50元，2026-03-02作出'],
    ['a decision number', '沪市监黄处罚〔2026〕123号'],
    ['articles of law', '依据《中华人民共和国食品安全法》第一百二十四条第一款第（二）项'],
    ['a 10-digit order number failing every check', '订单号1234567890'],
    ['an 18-digit number that is neither an ID nor a card', '批次号123456789012345672'],
  ])('keeps %s', (_case, input) => {
    const sut = redact(input, person);
    expect(sut.text).toBe(input);
    expect(sut.findings).toEqual([]);
  });

  it('does not find a phone inside an ID number (the whole run is classified)', () => {
    const sut = redact(`身份证${ID}`, person);
    expect(sut.findings).toEqual([{ kind: 'resident-id', start: 3, end: 21, checksumValid: true }]);
  });

  it('marks a wrong check character for the reviewer', () => {
    expect(redact(WRONG_CHECK, person).findings).toEqual([expect.objectContaining({ kind: 'resident-id', checksumValid: false })]);
  });

  it('merges overlapping findings: a phone inside a health clause goes with the clause', () => {
    const sut = redact('其住院期间电话13812345678，另查明', person);
    expect(sut.text).toBe('［健康信息已隐去］，另查明');
    expect(sut.findings).toHaveLength(1);
  });

  it('masks the longer name first (张三丰, not 张三 + 丰)', () => {
    const sut = redact('张三丰与张三', { party: { kind: 'natural-person', name: '张三丰' }, otherPersons: ['张三'] });
    expect(sut.text).toBe('张某某与［姓名已隐去］');
  });

  it('never leaves a seeded value in the output', () => {
    const text = `当事人张三丰（身份证${ID}，电话13812345678，住址：上海市黄浦区某某路100号）的银行卡${CARD}，证人李四。`;
    const sut = redact(text, person).text;
    for (const secret of [ID, '13812345678', '某某路100号', CARD, '李四', '张三丰']) expect(sut).not.toContain(secret);
  });

  it('rules are configuration: phones kept, another mask, another health term', () => {
    const rules = { ...DEFAULT_REDACTION_RULES, phones: false, nameMask: '*', healthTerms: ['过敏'] };
    expect(redact('张三丰电话13812345678，对花生过敏。', person, rules).text).toBe('张**电话13812345678，［健康信息已隐去］。');
  });

  it.each([
    ['张三', '张某'],
    ['张三丰', '张某某'],
    ['欧阳修', '欧阳某'],
    ['欧阳', '欧某'],
    ['李', '某'],
  ])('masks %s as %s', (name, masked) => {
    expect(maskPersonName(name)).toBe(masked);
  });

  it('checks Luhn', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });
});
