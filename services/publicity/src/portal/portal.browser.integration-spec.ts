import type { AuthenticatedUser } from '@enforcement/auth';
import { Events, timestampFromDate } from '@enforcement/contracts';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { DisclosureEntity } from '../disclosures/disclosure.entity';
import { publicityService } from '../service';
import { decisionIssued, leakyDecision, publishEvent, SEEDED } from '../test-support/publicity-fixtures';

/** Debian's chromium (apt-get install chromium), driven by playwright-core. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '../../../../tmp/screenshots/publicity');
const AGENCY = randomUUID();
const admin: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer', 'agency-admin'] };
const OFFICER = randomUUID();

// A developer without Chromium may skip the browser test; CI may not (a part that cannot start fails the run).
if (process.env['CI'] === 'true' && !existsSync(CHROMIUM)) throw new Error(`CI needs Chromium at ${CHROMIUM} (apt-get install chromium)`);
const describeWithBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeWithBrowser('the portal in headless Chromium', () => {
  let sut: ServiceUnderTest;
  let browser: Browser;
  let base: string;
  const ids: string[] = [];

  async function publish(init: ReturnType<typeof decisionIssued>, otherPersons: string[] = []): Promise<string> {
    await publishEvent(sut.broker, Events.DecisionIssued, init, { key: String(init.caseId), agencyId: AGENCY });
    const row = await sut.app.get(DataSource).manager.findOneByOrFail(DisclosureEntity, { caseId: String(init.caseId) });
    await request(sut.app.getHttpServer() as App)
      .post(`/disclosures/${row.id}/approval`)
      .set('authorization', `Bearer ${await sut.tokenFor(admin)}`)
      .send({ otherPersons })
      .expect(200);
    return row.id;
  }

  async function phone(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    return context.newPage();
  }

  /** What every page promises: Chinese, one h1, every field labelled, no sideways scrolling on a phone. */
  async function checkAccessible(page: Page): Promise<void> {
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.locator('h1').count()).toBe(1);
    const unlabelled = await page.evaluate(
      `[...document.querySelectorAll('input, select')].filter((f) => !f.id || !document.querySelector('label[for="' + f.id + '"]')).map((f) => f.outerHTML)`,
    );
    expect(unlabelled).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await page.locator('a.skip').getAttribute('href')).toBe('#main');
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    sut = await startServiceForTest(publicityService, { DISCLOSURE_CHECK_INTERVAL_MS: '0' });
    await sut.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
    await publishEvent(
      sut.broker,
      Events.AgencyRegistered,
      {
        agencyId: AGENCY,
        name: '上海市黄浦区市场监督管理局（演示）',
        creditCode: '11310101MB2F1234XK',
        regionCode: '310101',
        domains: ['market-regulation'],
        legalBasis: '《中华人民共和国食品安全法》',
      },
      { key: AGENCY },
    );
    await publishEvent(
      sut.broker,
      Events.OfficerRegistered,
      { officerId: OFFICER, agencyId: AGENCY, name: '王执法', roles: ['officer'] },
      { key: OFFICER },
    );
    await publishEvent(
      sut.broker,
      Events.CertificateIssued,
      {
        certificateId: randomUUID(),
        certificateNumber: 'SH-HP-B001',
        officerId: OFFICER,
        agencyId: AGENCY,
        issuingAuthority: '上海市人民政府',
        terms: {
          domains: ['market-regulation'],
          regionCodes: ['310101'],
          validFrom: timestampFromDate(new Date('2025-01-01T00:00:00+08:00')),
          validUntil: timestampFromDate(new Date('2030-01-01T00:00:00+08:00')),
          validFromDate: '2025-01-01',
          validUntilDate: '2029-12-31',
        },
      },
      { key: OFFICER },
    );
    ids.push(await publish(decisionIssued({ agencyId: AGENCY, violation: '未取得食品经营许可从事食品经营活动' })));
    ids.push(await publish(leakyDecision(AGENCY), [SEEDED.thirdParty2]));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
  });

  it('lists and searches decisions on a phone; a keyword inside a word finds it', async () => {
    const page = await phone();
    await page.goto(`${base}/portal`);
    await checkAccessible(page);
    expect(await page.locator('ol.decisions li').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'home.png'), fullPage: true });
    await page.fill('#q', '经营许可');
    await Promise.all([page.waitForURL(/q=/), page.click('button[type=submit]')]);
    const results = page.locator('ol.decisions[aria-labelledby="results-heading"] li');
    expect(await results.count()).toBe(2);
    for (const text of await results.allTextContents()) expect(text).toContain('食品经营许可');
    await page.screenshot({ path: join(SCREENSHOTS, 'search.png'), fullPage: true });
    const html = await page.content();
    for (const secret of [SEEDED.residentId, SEEDED.phone, SEEDED.bankCard, SEEDED.thirdParty, SEEDED.thirdParty2, SEEDED.personName])
      expect(html).not.toContain(secret);
    await page.context().close();
  });

  it('shows a decision with its fields and proof section', async () => {
    const page = await phone();
    await page.goto(`${base}/portal/decisions/${ids[1]}`);
    await checkAccessible(page);
    expect(await page.locator('dl.record').textContent()).toContain('张某某');
    expect(await page.textContent('main')).toContain('防篡改证明');
    const html = await page.content();
    for (const secret of Object.values(SEEDED).filter((v) => v !== SEEDED.health)) expect(html).not.toContain(secret);
    await page.screenshot({ path: join(SCREENSHOTS, 'decision.png'), fullPage: true });
    await page.context().close();
  });

  it('shows an agency with its roster and verifies the certificate its QR code names', async () => {
    const page = await phone();
    await page.goto(`${base}/portal/agencies/${AGENCY}`);
    await checkAccessible(page);
    expect(await page.locator('table tbody tr').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'agency.png'), fullPage: true });
    await Promise.all([page.waitForURL(/certificates\/SH-HP-B001/), page.click('text=SH-HP-B001')]);
    await checkAccessible(page);
    expect(await page.textContent('[role=status]')).toContain('该执法证件真实有效');
    await page.screenshot({ path: join(SCREENSHOTS, 'certificate.png'), fullPage: true });
    await page.goto(`${base}/portal/certificates?number=NOPE`);
    expect(await page.textContent('[role=alert]')).toContain('未查询到该执法证件');
    await page.goto(`${base}/portal/statistics`);
    await checkAccessible(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'statistics.png'), fullPage: true });
    await page.context().close();
  });

  it('announces a new decision while the page is open (server-sent events), with its CSP keeping scripts to the service', async () => {
    const page = await phone();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${base}/portal`);
    await page.waitForTimeout(300);
    await publish(decisionIssued({ agencyId: AGENCY, violation: '销售超过保质期的乳制品', decisionNumber: '沪市监黄处罚〔2026〕9001号' }));
    await page.waitForSelector('#live-decisions li', { timeout: 10_000 });
    expect(await page.textContent('#live-decisions')).toContain('沪市监黄处罚〔2026〕9001号');
    expect(await page.textContent('#live-status')).toContain('新公开一条处罚决定');
    expect(violations).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'live.png'), fullPage: true });
    await page.context().close();
  });

  it('answers a decision that is not public with 404', async () => {
    const page = await phone();
    const response = await page.goto(`${base}/portal/decisions/${randomUUID()}`);
    expect(response?.status()).toBe(404);
    await page.context().close();
  });
});
