import { parseRoster, RosterFormatError } from './roster-rows';

const header = 'name,id_number,roles,certificate_number,issuing_authority,domains,region_codes,valid_from,valid_until';
const good = '王明,11010519491231002X,officer,SH-0001,上海市人民政府,market-regulation,310101,2026-01-01,2030-12-31';

describe(parseRoster.name, () => {
  it('reads a good row into a roster entry, defaulting roles and splitting lists', () => {
    const [sut] = parseRoster(
      `${header}\n李华,440524188001010014,,SH-0002,上海市人民政府,market-regulation；food-safety,310101;310104,2026-01-01,2030-12-31`,
      ['market-regulation', 'food-safety'],
    );
    expect(sut.problems).toEqual([]);
    expect(sut.row).toMatchObject({
      line: 2,
      name: '李华',
      roles: ['officer'],
      domains: ['market-regulation', 'food-safety'],
      regionCodes: ['310101', '310104'],
    });
  });

  it('accepts the Chinese column names of agency templates', () => {
    const chinese = '姓名,身份证号码,角色,执法证号,发证机关,执法领域,执法区域,有效期起,有效期至';
    expect(parseRoster(`${chinese}\n${good}`, ['market-regulation'])[0].problems).toEqual([]);
  });

  it('reports every problem of a bad row by field, and duplicates within the file', () => {
    const rows = parseRoster(
      [
        header,
        good,
        '王明,11010519491231002X,reviewer,SH-0001,上,unknown-domain,3101,2026-02-30,2025-01-01',
        ',110105194912310029,officer,SH-0003,上海市人民政府,market-regulation,310101,2026-01-01,2025-12-31',
      ].join('\n'),
      ['market-regulation'],
    );

    expect(rows[0].problems).toEqual([]);
    const codes = (line: number) => rows.find((r) => r.line === line)?.problems.map((p) => `${p.field}:${p.code}`);
    expect(codes(3)).toEqual([
      'roles:ROLE_NOT_IMPORTABLE',
      'issuingAuthority:REQUIRED',
      'domains:CERTIFICATE_SCOPE_EXCEEDS_AGENCY',
      'regionCodes:INVALID_REGION',
      'validFrom:INVALID_DATE',
      'idNumber:DUPLICATE_IN_FILE',
      'certificateNumber:DUPLICATE_IN_FILE',
    ]);
    expect(codes(4)).toEqual(['name:REQUIRED', 'idNumber:INVALID_ID_NUMBER', 'validUntil:INVALID_VALIDITY']);
    expect(rows[1].row).toBeUndefined();
  });

  it('never echoes an ID number in a problem message', () => {
    const rows = parseRoster(`${header}\n${good}\n${good.replace('SH-0001', 'SH-0009')}`, ['market-regulation']);
    expect(JSON.stringify(rows.map((r) => r.problems))).not.toContain('11010519491231002X');
  });

  it('refuses a file without the required columns or without data', () => {
    expect(() => parseRoster('name,id_number\nx,y', [])).toThrow(RosterFormatError);
    expect(() => parseRoster(header, [])).toThrow('没有数据行');
  });
});
