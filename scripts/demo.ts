// `npm run demo`: drives one case over HTTP through the platform `npm start` runs (or any, by its URLs) from its
// opening to a decision published on the portal, and prints the portal's address. The demo users sign with the
// embedded local issuer under DATA_DIR (as `npm run token` does). RECORDING_URL and PUBLICITY_URL point elsewhere.
import { LocalIssuer } from '@enforcement/auth';
import { withCheckCharacter } from '@enforcement/identifiers';
import * as path from 'node:path';
import { demoUserClaims } from '../services/certificates/src/demo/demo-users';

const RECORDING = process.env['RECORDING_URL'] ?? `http://localhost:${process.env['RECORDING_PORT'] ?? 3002}`;
const PUBLICITY = process.env['PUBLICITY_URL'] ?? `http://localhost:${process.env['PUBLICITY_PORT'] ?? 3004}`;
const MINUTE = 60_000;

/** A demo user's token; `proof()` signs a fresh one, with which they confirm presence as co-officer (Art. 42). */
async function token(alias: string): Promise<{ id: string; token: string; proof: () => Promise<Record<string, string>> }> {
  const claims = demoUserClaims(alias);
  if (!claims) throw new Error(`no demo user ${alias}`);
  const issuer = new LocalIssuer({
    dir: path.resolve(process.env['DATA_DIR'] || './data', 'auth'),
    issuer: process.env['AUTH_ISSUER'] ?? 'enforcement-platform',
    audience: process.env['AUTH_AUDIENCE'] ?? 'enforcement-platform',
  });
  return {
    id: claims.userId,
    token: await issuer.sign(claims, { ttlSeconds: 3600 }),
    // Each proof is spent on one step: the co-officer's own device would sign in for it.
    proof: async () => ({ 'x-co-officer-tokens': await issuer.sign(claims, { ttlSeconds: 300 }) }),
  };
}

async function call(
  method: string,
  url: string,
  bearer: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const [officer1, officer2, admin] = await Promise.all([token('officer1'), token('officer2'), token('admin')]);
  const openedAt = Date.now() - 10 * MINUTE;
  const iso = (ms: number) => new Date(ms).toISOString();
  const idNumber = withCheckCharacter(`31010119900101${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`);
  const opened = await call(
    'POST',
    `${RECORDING}/cases`,
    officer1.token,
    {
      domain: 'market-regulation',
      regionCode: '310101',
      procedure: 'general',
      party: {
        kind: 'natural-person',
        name: '李明华',
        identifier: idNumber,
        contact: { phone: '13900001111', address: '上海市黄浦区福州路100号' },
      },
      allegedViolation: '未取得食品经营许可从事食品经营活动',
      legalBasis: '《中华人民共和国食品安全法》第一百二十二条',
      coOfficerIds: [officer2.id],
      occurredAt: iso(openedAt),
    },
    await officer2.proof(),
  );
  const caseId = String(opened['id']);
  say(`立案 ${String(opened['caseNumber'] ?? caseId)}`);
  const step = async (body: Record<string, unknown>) =>
    call(
      'POST',
      `${RECORDING}/cases/${caseId}/steps`,
      officer1.token,
      { place: '上海市黄浦区福州路100号', ...body },
      body['coOfficerIds'] === undefined ? {} : await officer2.proof(),
    );
  const fine = { penalties: [{ kind: 'fine', amountFen: 500_000 }], facts: '无证经营食品' };
  await step({
    stepType: 'inspection',
    occurredAt: iso(openedAt + MINUTE),
    coOfficerIds: [officer2.id],
    text: '现场检查，发现当事人无证经营食品摊点',
  });
  say('现场检查（两名执法人员）');
  await step({ stepType: 'notice', occurredAt: iso(openedAt + 2 * MINUTE), fields: fine });
  say('行政处罚告知');
  await step({
    stepType: 'rights-waiver',
    occurredAt: iso(openedAt + 3 * MINUTE),
    fields: { waives: ['statement'], partySignature: 'signed' },
  });
  say('当事人签名放弃陈述申辩');
  await step({
    stepType: 'decision',
    occurredAt: iso(Date.now() - 60_000),
    text: `当事人李明华，身份证号码${idNumber}，联系电话13900001111，住址：上海市黄浦区福州路100号。经查，当事人未取得食品经营许可从事食品经营活动。决定罚款人民币伍仟元。`,
    fields: {
      ...fine,
      decisionNumber: `沪黄市监罚〔${new Date().getFullYear()}〕${Math.floor(Math.random() * 9000) + 1000}号`,
      partyPresent: true,
    },
  });
  say('作出行政处罚决定');
  let disclosure: Record<string, unknown> | undefined;
  for (let i = 0; i < 60 && !disclosure; i++) {
    const list = await call('GET', `${PUBLICITY}/disclosures`, admin.token);
    disclosure = (list['items'] as Array<Record<string, unknown>>).find((d) => d['caseId'] === caseId);
    if (!disclosure) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!disclosure) throw new Error('the decision did not reach the publicity service');
  const redacted = disclosure['redacted'] as Record<string, string>;
  say(`待审核公示（公开期限 ${String(disclosure['dueAt'])}）`);
  say(`  脱敏后：${redacted['decisionText']}`);
  await call('POST', `${PUBLICITY}/disclosures/${String(disclosure['id'])}/approval`, admin.token, {});
  say('审核通过，已公开');
  say('');
  say(`公示门户：${PUBLICITY}/portal`);
  say(`本决定：  ${PUBLICITY}/portal/decisions/${String(disclosure['id'])}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n(is the platform running? npm start)\n`);
  process.exitCode = 1;
});
