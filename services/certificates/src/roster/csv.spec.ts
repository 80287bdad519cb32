import { parseCsv } from './csv';

describe(parseCsv.name, () => {
  it('reads quoted commas, doubled quotes, line breaks, CRLF and a byte order mark', () => {
    const text = '\ufeffname,note\r\n"张三","说""好"",的"\r\n李四,"两\n行"\r\n';
    expect(parseCsv(text)).toEqual([
      ['name', 'note'],
      ['张三', '说"好",的'],
      ['李四', '两\n行'],
    ]);
  });

  it('skips blank lines and keeps empty fields', () => {
    expect(parseCsv('a,,c\n\n,,\nx,y,z')).toEqual([
      ['a', '', 'c'],
      ['x', 'y', 'z'],
    ]);
  });

  it('refuses an unterminated quote', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(SyntaxError);
  });
});
