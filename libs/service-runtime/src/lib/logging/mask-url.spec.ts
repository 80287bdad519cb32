import { maskUrl } from './mask-url';

describe(maskUrl.name, () => {
  it.each([
    ['/public/certificates/SH-HP-0001', '/public/certificates/***'],
    ['/public/certificates/SH%20HP/qr?size=200', '/public/certificates/***/qr?size=200'],
    ['/agencies?q=%E7%8E%8B%E6%98%8E&limit=20', '/agencies?q=***&limit=20'],
    ['/cases?partyName=x&IdNumber=110105&state=open', '/cases?partyName=***&IdNumber=***&state=open'],
    ['/cases/7b1c/steps', '/cases/7b1c/steps'],
    ['/health', '/health'],
  ])('logs %s as %s', (url, logged) => {
    expect(maskUrl(url)).toBe(logged);
  });
});
