import type { AuthenticatedUser } from '@enforcement/auth';
import { withCreditCodeCheck } from '@enforcement/identifiers';
import { randomInt } from 'node:crypto';
import { coOfficerProofs, type JsonResponse } from './http';
import { eventually } from './processes';

const DOMAIN = 'market-regulation';
const REGION = '310101';
const REQUEST_TIMEOUT_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const iso = (ms: number) => new Date(ms).toISOString();
const largeFine = { penalties: [{ kind: 'fine', amountFen: 20_000_000 }], facts: '销售过期食品，货值金额较大' };

export interface Officer {
  id: string;
  token: string;
}

export interface Actors {
  agencyId: string;
  admin: string;
  a: Officer;
  b: Officer;
  /**
   * A legal reviewer of the agency, qualified in certificates (legal-review qualification and the reviewer role):
   * recording takes a ReviewConcluded only from such a reviewer, so stand-ins conclude as this one.
   */
  reviewer: Officer;
  /** The proofs of presence of the co-officers a body names, fresh each call (see coOfficerProofs). */
  proofsFor(body: unknown): Promise<Record<string, string>>;
}

let halted = false;

/** Stops every scenario still running (after a failed test), so that nothing outlives the suite. */
export function haltScenarios(): void {
  halted = true;
}

function checkHalted(): void {
  if (halted) throw new Error('scenario halted');
}

/** What the clients of a scenario saw: answers by status and code, connections lost, requests that hung. */
export class Traffic {
  readonly answers: Record<string, number> = {};
  networkErrors = 0;
  readonly hung: string[] = [];
  readonly serverErrors: string[] = [];

  count(response: JsonResponse): void {
    const key = response.status < 400 ? String(response.status) : `${response.status} ${response.body.code ?? ''}`.trim();
    this.answers[key] = (this.answers[key] ?? 0) + 1;
  }

  summary(): string {
    const answers = Object.entries(this.answers)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([key, n]) => `${key}: ${n}`)
      .join(', ');
    return `${answers}; connections lost ${this.networkErrors}; hung ${this.hung.length}; 5xx other than 503 ${this.serverErrors.length}`;
  }
}

/** One JSON request with a deadline: a request that hangs is a finding, not a wait. */
export async function request(
  method: string,
  url: string,
  token: string,
  body?: unknown,
  timeoutMs = REQUEST_TIMEOUT_MS,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: JsonResponse['body'];
  try {
    parsed = text ? (JSON.parse(text) as JsonResponse['body']) : {};
  } catch {
    parsed = { code: 'NOT_JSON', text };
  }
  return { status: response.status, body: parsed };
}

/** request() with the own fresh token of each co-officer the body names (Art. 42), signed anew on every attempt. */
export async function requestWithProofs(
  actors: Pick<Actors, 'proofsFor'>,
  method: string,
  url: string,
  token: string,
  body: unknown,
  timeoutMs = REQUEST_TIMEOUT_MS,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return request(method, url, token, body, timeoutMs, { ...headers, ...(await actors.proofsFor(body)) });
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

export interface SendOptions {
  /** Answers that mean done. */
  accept: number[];
  /**
   * After a lost answer or a 503 the write may have committed: finds it instead of writing it twice. Undefined
   * when it was not done; throws when that cannot be told yet (the service cannot read either).
   */
  alreadyDone?: () => Promise<JsonResponse | undefined>;
  /** How long to keep retrying through outages. */
  deadlineMs?: number;
}

/**
 * Sends a write as a careful client does: through outages it retries (a lost connection, a 503, a concurrent
 * append), first checking whether the write already happened; a 500 or a refusal it did not expect fails.
 */
export async function send(
  traffic: Traffic,
  what: string,
  attempt: () => Promise<JsonResponse>,
  options: SendOptions,
): Promise<JsonResponse> {
  const deadline = Date.now() + (options.deadlineMs ?? 300_000);
  let retrying = false;
  for (;;) {
    checkHalted();
    if (retrying && options.alreadyDone) {
      let done: JsonResponse | undefined;
      try {
        done = await options.alreadyDone();
      } catch (error) {
        // A write whose commit went through but whose answer was lost must not be sent again blind: ask again.
        if (Date.now() > deadline) throw new Error(`${what}: could not tell whether it was done before the deadline (${String(error)})`);
        await sleep(500);
        continue;
      }
      if (done) return done;
    }
    let response: JsonResponse;
    try {
      response = await attempt();
    } catch (error) {
      if (isTimeout(error)) traffic.hung.push(what);
      else traffic.networkErrors++;
      if (Date.now() > deadline) throw new Error(`${what}: no answer before the deadline (${String(error)})`);
      retrying = true;
      await sleep(500);
      continue;
    }
    traffic.count(response);
    if (options.accept.includes(response.status)) return response;
    const transient = response.status === 503 || (response.status === 409 && response.body.code === 'CONCURRENT_CHANGE');
    if (!transient) {
      if (response.status >= 500) traffic.serverErrors.push(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
      throw new Error(`${what}: unexpected ${response.status} ${JSON.stringify(response.body)}`);
    }
    if (Date.now() > deadline) throw new Error(`${what}: still ${response.status} ${response.body.code} at the deadline`);
    retrying = true;
    await sleep(500);
  }
}

let idSequence = randomInt(0, 500);

/** A valid resident ID number (GB 11643) no other officer of this run has. */
export function residentId(): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const n = idSequence++;
  const birth = new Date(Date.UTC(1970, 0, 1) + (n % 10_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `110105${birth}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  const sum = weights.reduce((total, weight, index) => total + weight * Number(first17[index]), 0);
  return first17 + '10X98765432'[sum % 11];
}

function creditCode(): string {
  return `11${REGION}MB${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

export interface Platformish {
  sign(user: AuthenticatedUser): Promise<string>;
}

/** An agency with two certified officers whom the recording service already knows (from events). */
export async function setUpActors(platform: Platformish, certificates: string, recording: string): Promise<Actors> {
  const admin = await platform.sign({ userId: 'e2e-fault-admin', agencyId: '', roles: ['system-admin'] });
  const agency = await request('POST', `${certificates}/agencies`, admin, {
    name: '上海市黄浦区市场监督管理局',
    creditCode: creditCode(),
    regionCode: REGION,
    domains: [DOMAIN],
    legalBasis: '《中华人民共和国行政处罚法》',
  });
  if (agency.status !== 201) throw new Error(`agency: ${agency.status} ${JSON.stringify(agency.body)}`);
  const agencyId = String(agency.body['id']);
  const officer = async (name: string): Promise<Officer> => {
    const registered = await request('POST', `${certificates}/agencies/${agencyId}/officers`, admin, {
      name,
      idNumber: residentId(),
      roles: ['officer'],
    });
    if (registered.status !== 201) throw new Error(`officer: ${registered.status} ${JSON.stringify(registered.body)}`);
    const id = String(registered.body['id']);
    const issued = await request('POST', `${certificates}/officers/${id}/certificates`, admin, {
      number: `SH-FAULT-${randomInt(0, 1e9)}`,
      issuingAuthority: '上海市人民政府',
      domains: [DOMAIN],
      regionCodes: [REGION],
      validFrom: '2020-01-01',
      validUntil: '2035-12-31',
    });
    if (issued.status !== 201) throw new Error(`certificate: ${issued.status} ${JSON.stringify(issued.body)}`);
    return { id, token: await platform.sign({ userId: id, agencyId, roles: ['officer'] }) };
  };
  const a = await officer('执法人员甲');
  const b = await officer('执法人员乙');
  const reviewer = await officer('法制审核人员');
  const qualified = await request('POST', `${certificates}/officers/${reviewer.id}/review-qualification`, admin, {
    qualificationNumber: `A2019-FAULT-${randomInt(0, 1e6)}`,
    qualifiedOn: '2019-03-01',
  });
  if (qualified.status >= 300) throw new Error(`review qualification: ${qualified.status} ${JSON.stringify(qualified.body)}`);
  const roles = await request('PUT', `${certificates}/officers/${reviewer.id}/roles`, admin, { roles: ['officer', 'reviewer'] });
  if (roles.status >= 300) throw new Error(`reviewer role: ${roles.status} ${JSON.stringify(roles.body)}`);
  for (const who of [a, b]) {
    await eventually(
      async () =>
        (await request('GET', `${recording}/certificate-check?domain=${DOMAIN}&regionCode=${REGION}`, who.token).catch(() => undefined))
          ?.status === 200
          ? true
          : undefined,
      120_000,
      'the officers in the recording certificate read model',
    );
  }
  return { agencyId, admin, a, b, reviewer, proofsFor: (body) => coOfficerProofs(platform, agencyId, body) };
}

/** The scenario's cases are entered as from paper files: opened 40 days ago, so the party's periods have run by now. */
const DAY = 24 * 3600_000;
const LATE_ENTRY_REASON = '案件纸质卷宗补录入系统';

/** Opens a case (two officers, an organisation as party), retrying through outages without opening it twice. */
export async function openCase(
  traffic: Traffic,
  actors: Actors,
  recording: () => string,
  label: string,
  openedAt = Date.now(),
): Promise<JsonResponse> {
  const allegedViolation = `销售超过保质期的食品（${label}-${randomInt(0, 1e9)}）`;
  return send(
    traffic,
    `opening case ${label}`,
    () =>
      requestWithProofs(actors, 'POST', `${recording()}/cases`, actors.a.token, {
        domain: DOMAIN,
        regionCode: REGION,
        procedure: 'general',
        party: {
          kind: 'organisation',
          name: `上海某某食品有限公司${label}`,
          identifier: withCreditCodeCheck(`91310101MA1F${String(randomInt(0, 1e5)).padStart(5, '0')}`),
          contact: {},
        },
        allegedViolation,
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [actors.b.id],
        occurredAt: iso(openedAt),
        lateEntryReason: LATE_ENTRY_REASON,
      }),
    {
      accept: [201],
      alreadyDone: async () => {
        const list = await request('GET', `${recording()}/cases?limit=200`, actors.a.token);
        if (list.status !== 200) throw new Error(`cases: ${list.status}`);
        const items = (Array.isArray(list.body) ? list.body : (list.body as { items?: unknown[] }).items) ?? [];
        const found = (items as Array<Record<string, unknown>>).find((c) => c['allegedViolation'] === allegedViolation);
        return found ? { status: 201, body: found } : undefined;
      },
    },
  );
}

export interface ScenarioOptions {
  label: string;
  cases: number;
  concurrency?: number;
  /** The recording instance for the next request (several when the test runs more than one). */
  recording: () => string;
  certificates: string;
  /** Certificate changes made meanwhile, so certificate events flow through the fault too. */
  certificateRounds?: number;
  /**
   * Awaited before case `index` opens: a test keeps cases back until it has done its part, so that the fault
   * meets work in flight however fast or slow the machine runs the rest.
   */
  beforeCase?: (index: number) => Promise<void>;
}

export interface ScenarioRun {
  progress: { opened: number; decided: number; certificateRounds: number };
  caseIds: string[];
  traffic: Traffic;
  done: Promise<void>;
}

/**
 * Many cases driven over HTTP as officers do, several at once, each from opening to decision: inspection by two
 * officers, notice of a large fine, legal review (answered by the legal-review stand-in over Kafka, first
 * returned and then approved: the decision waits for that), decision. Meanwhile the certificates service
 * registers officers and issues, suspends and reinstates certificates, whose events the recording service
 * consumes.
 */
export function runScenario(actors: Actors, options: ScenarioOptions): ScenarioRun {
  const traffic = new Traffic();
  const progress = { opened: 0, decided: 0, certificateRounds: 0 };
  const caseIds: string[] = [];
  const { a, b } = actors;
  const recording = options.recording;
  let next = 0;
  let casesDone = false;

  const recordsOf = async (caseId: string): Promise<Array<{ stepType: string }>> => {
    const response = await request('GET', `${recording()}/cases/${caseId}/records`, a.token);
    if (response.status !== 200) throw new Error(`records: ${response.status}`);
    return response.body as unknown as Array<{ stepType: string }>;
  };
  const step = (caseId: string, stepType: string, occurredAt: number, extra: Record<string, unknown> = {}) =>
    send(
      traffic,
      `${options.label}: ${stepType} of ${caseId}`,
      () =>
        requestWithProofs(actors, 'POST', `${recording()}/cases/${caseId}/steps`, a.token, {
          stepType,
          occurredAt: iso(occurredAt),
          place: '上海市黄浦区南京东路1号',
          lateEntryReason: LATE_ENTRY_REASON,
          ...extra,
        }),
      {
        accept: [201],
        alreadyDone: async () =>
          (await recordsOf(caseId)).some((record) => record.stepType === stepType) ? { status: 201, body: {} } : undefined,
      },
    );

  const runCase = async (index: number): Promise<void> => {
    const openedAt = Date.now() - 40 * DAY;
    const opened = await openCase(traffic, actors, recording, `${options.label}-${index}`, openedAt);
    const caseId = String(opened.body['id']);
    caseIds.push(caseId);
    progress.opened++;
    await step(caseId, 'inspection', openedAt + DAY, { coOfficerIds: [b.id], text: '现场检查，发现超过保质期的食品' });
    // The party was told 38 days ago: its statement period and hearing window (Art. 44, 64) have long run.
    await step(caseId, 'notice', openedAt + 2 * DAY, { fields: largeFine });
    await step(caseId, 'legal-review', openedAt + 3 * DAY);
    // The decision waits for the legal-review service's conclusion, which reaches recording as events.
    const deadline = Date.now() + 300_000;
    for (;;) {
      checkHalted();
      const detail = await request('GET', `${recording()}/cases/${caseId}`, a.token).catch(() => undefined);
      if (detail?.status === 200 && detail.body['legalReviewStatus'] === 'approved') break;
      if (Date.now() > deadline)
        throw new Error(`${options.label}: case ${caseId} still not approved (${detail?.body['legalReviewStatus']})`);
      await sleep(1000);
    }
    // A penalty this heavy is decided collectively by the agency's leaders (Art. 57), then decided as notified.
    await step(caseId, 'collective-decision', Date.now() - 60_000);
    await step(caseId, 'decision', Date.now() - 30_000, {
      fields: { ...largeFine, decisionNumber: `沪黄市监罚〔2026〕${index}号`, partyPresent: true },
    });
    progress.decided++;
  };

  const worker = async (): Promise<void> => {
    while (next < options.cases) {
      const index = next++;
      await options.beforeCase?.(index);
      await runCase(index);
    }
  };

  const certificateRound = async (round: number): Promise<void> => {
    const admin = actors.admin;
    const accept = { accept: [200, 201] };
    const certificates = options.certificates;
    if (round % 2 === 0) {
      await send(
        traffic,
        'agency',
        () =>
          request('POST', `${certificates}/agencies`, admin, {
            name: `上海市黄浦区第${round}市场监督管理所`,
            creditCode: creditCode(),
            regionCode: REGION,
            domains: [DOMAIN],
            legalBasis: '《中华人民共和国行政处罚法》',
          }),
        accept,
      );
    }
    const officer = await send(
      traffic,
      'officer',
      () =>
        request('POST', `${certificates}/agencies/${actors.agencyId}/officers`, admin, {
          name: `执法人员${round}`,
          idNumber: residentId(),
          roles: ['officer'],
        }),
      accept,
    );
    const certificate = await send(
      traffic,
      'certificate',
      () =>
        request('POST', `${certificates}/officers/${String(officer.body['id'])}/certificates`, admin, {
          number: `SH-CHURN-${randomInt(0, 1e9)}`,
          issuingAuthority: '上海市人民政府',
          domains: [DOMAIN],
          regionCodes: [REGION],
          validFrom: '2021-01-01',
          validUntil: '2034-12-31',
        }),
      accept,
    );
    const certificateId = String(certificate.body['id']);
    await send(
      traffic,
      'suspension',
      () => request('POST', `${certificates}/certificates/${certificateId}/suspension`, admin, { reason: '年度考试不合格' }),
      accept,
    );
    await send(
      traffic,
      'reinstatement',
      () => request('POST', `${certificates}/certificates/${certificateId}/reinstatement`, admin, { reason: '补考合格' }),
      accept,
    );
  };

  const churn = async (): Promise<void> => {
    for (let round = 0; !casesDone || round < (options.certificateRounds ?? 2); round++) {
      await certificateRound(round);
      progress.certificateRounds++;
      await sleep(1500);
    }
  };

  const cases = Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker)).finally(() => {
    casesDone = true;
  });
  const done = Promise.all([cases, churn()]).then(() => undefined);
  // Observed by the test through `done`; never an unhandled rejection meanwhile.
  done.catch(() => undefined);
  return { progress, caseIds, traffic, done };
}

/** Resolves when `condition` holds, or throws after `timeoutMs`, failing fast if the scenario failed. */
export async function until(condition: () => boolean, run: ScenarioRun, timeoutMs: number, what: string): Promise<void> {
  let failed: unknown;
  run.done.catch((error: unknown) => (failed = error));
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (failed) throw failed;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
