import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import request from 'supertest';
import type { App } from 'supertest/types';
import { generalCaseBody } from '../case-handling/test-support/case-fixtures';
import { seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { recordingService } from '../service';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000f1';
const [a, b]: AuthenticatedUser[] = [0, 1].map(() => ({ userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] }));
/** Text as officers and their tools send it: any code unit, lone surrogates and beyond-BMP characters included. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string(),
  // Any UTF-16 code unit at all: what a broken client or a cut in the middle of an emoji sends.
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 }).map((units) => String.fromCharCode(...units)),
  fc.tuple(fc.string({ maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff })).map(([text, unit]) => text + String.fromCharCode(unit)),
);
const anyFields = fc.dictionary(
  anyText.filter((key) => key.length > 0 && !['__proto__', 'constructor', 'prototype'].includes(key)),
  fc.oneof(
    anyText,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(anyText, { maxLength: 3 }),
  ),
  { maxKeys: 4 },
);

/**
 * Issue #11: text that cannot poison the chain. Whatever text, place and fields a step carries, it is either refused
 * before anything is written or recorded so that the case still verifies intact: the hash is taken over exactly
 * what is stored and read back. A property over generated steps (fast-check, fixed seed), on MariaDB.
 */
describe('a case chain under any text (property, MariaDB)', () => {
  let sut: ServiceUnderTest;
  const http = () => request(sut.app.getHttpServer() as App);

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService);
    await seedCertificates(
      sut.app,
      [a.userId, b.userId].map((officerId) => ({ officerId, agencyId: AGENCY })),
    );
  });

  afterAll(() => sut?.close());

  it('records or refuses every step, never with a 500, and every case it recorded into verifies intact', async () => {
    const token = `Bearer ${await sut.tokenFor(a)}`;
    const opened = await http()
      .post('/cases')
      .set('authorization', token)
      .set(await sut.coOfficerProofs(b))
      .send(generalCaseBody(b.userId));
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;
    const outcomes = { recorded: 0, refused: 0 };

    for (const step of fc.sample(fc.record({ text: anyText, place: anyText, fields: anyFields }), { seed: 20_261_130, numRuns: 60 })) {
      // JSON.stringify writes a lone surrogate as an escape (\udXXX), exactly what a client's JSON would carry.
      const body = JSON.stringify({ stepType: 'other', occurredAt: new Date().toISOString(), ...step });
      const response = await http()
        .post(`/cases/${caseId}/steps`)
        .set('authorization', token)
        .set('content-type', 'application/json')
        .send(body);
      expect([201, 400, 422]).toContain(response.status);
      if (response.status === 201) outcomes.recorded++;
      else outcomes.refused++;
    }

    const verification = await http().get(`/cases/${caseId}/verification`).set('authorization', token).expect(200);
    expect(verification.body).toMatchObject({ intact: true });
    // The property was exercised both ways: text that could not be stored refused, the rest recorded.
    expect(outcomes.recorded).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 120_000);
});
