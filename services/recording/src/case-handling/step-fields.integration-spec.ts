import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { STEP_TYPES } from '../case-core/step-types';
import { seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { recordingService } from '../service';
import { generalCaseBody } from './test-support/case-fixtures';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000e1';
const officer = (): AuthenticatedUser => ({ userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] });
const [a, b] = [officer(), officer()];

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
}

/**
 * A client built from /docs-json alone (issue #11): the steps API's body is one schema per step type, told apart by
 * `stepType`, each with its own `fields` schema; fields that break it are refused before anything else is looked at.
 */
describe('step fields as the OpenAPI document describes them (HTTP, MariaDB)', () => {
  let sut: ServiceUnderTest;
  let schemas: Record<string, Schema>;
  let body: { oneOf: Schema[]; discriminator: { propertyName: string; mapping: Record<string, string> } };
  let caseId: string;
  const http = () => request(sut.app.getHttpServer() as App);
  const resolve = (schema: Schema | undefined): Schema => {
    let current = schema ?? {};
    for (let hops = 0; hops < 10; hops++) {
      if (current.$ref) current = schemas[current.$ref.replace('#/components/schemas/', '')];
      else if (current.allOf?.length === 1) current = current.allOf[0];
      else break;
    }
    return current;
  };
  const fieldsSchema = (stepType: string) => resolve(resolve({ $ref: body.discriminator.mapping[stepType] }).properties?.['fields']);
  /** A step posted by officer a alone (no co-officer: the types used here need none, or are refused before that). */
  const step = async (stepType: string, fields: Record<string, unknown>, onCase = caseId) =>
    http()
      .post(`/cases/${onCase}/steps`)
      .set('authorization', `Bearer ${await sut.tokenFor(a)}`)
      .send({ stepType, occurredAt: new Date().toISOString(), place: '上海市黄浦区南京东路1号', fields });

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService);
    await seedCertificates(
      sut.app,
      [a, b].map((user) => ({ officerId: user.userId, agencyId: AGENCY })),
    );
    const admin = await sut.tokenFor({ userId: 'integrator', agencyId: '', roles: ['system-admin'] });
    const document = (await http().get('/docs-json').set('authorization', `Bearer ${admin}`).expect(200)).body;
    schemas = document.components.schemas;
    body = document.paths['/cases/{caseId}/steps'].post.requestBody.content['application/json'].schema;
  });

  afterAll(() => sut?.close());

  it('lists one body per step type officers record, chosen by stepType, each with its own fields schema', () => {
    expect(body.discriminator.propertyName).toBe('stepType');
    const documented = Object.keys(body.discriminator.mapping);
    // Every type but those the system records itself (and the alteration, which has its own endpoint).
    const systemRecorded = [
      'opening',
      'evidence-sealed',
      'legal-review-result',
      'audio-video-gap-approval',
      'decision-extension-approval',
      'decision-alteration',
    ];
    expect([...documented].sort()).toEqual(STEP_TYPES.filter((type) => !systemRecorded.includes(type)).sort());
    expect(body.oneOf.map((variant) => variant.$ref).sort()).toEqual(Object.values(body.discriminator.mapping).sort());
    for (const stepType of documented) {
      const variant = resolve({ $ref: body.discriminator.mapping[stepType] });
      expect(variant.properties?.['stepType']?.enum).toEqual([stepType]);
      expect(fieldsSchema(stepType).type).toBe('object');
    }
    expect(Object.keys(fieldsSchema('decision').properties ?? {})).toEqual(expect.arrayContaining(['penalties', 'partyPresent']));
    expect(resolve(fieldsSchema('notice').properties?.['penalties']?.items).properties?.['kind']?.enum).toContain('fine');
  });

  /** A value the property's schema refuses, from the schema alone. */
  function breaking(property: Schema): unknown {
    const schema = resolve(property);
    if (schema.type === 'array') {
      const items = resolve(schema.items);
      return items.type === 'object' && items.properties?.['kind']?.enum ? [{ kind: 'no-such-kind' }] : 'not a list';
    }
    if (schema.type === 'boolean') return 'yes';
    if (schema.type === 'integer' || schema.type === 'number') return 'many';
    if (schema.format === 'date-time') return 'next Tuesday';
    return 12_345;
  }

  it('refuses, for every step type, fields that break its schema with VALIDATION_FAILED naming the field', async () => {
    // Validation comes before the case is looked up or the certificates checked: any case id will do.
    const anyCase = randomUUID();
    let checked = 0;
    for (const stepType of Object.keys(body.discriminator.mapping)) {
      // The same step with fields that keep to the schema gets past validation: the refusals below are the fields'.
      const conforming = await step(stepType, {}, anyCase);
      expect([stepType, conforming.body.code]).not.toEqual([stepType, 'VALIDATION_FAILED']);
      for (const [name, property] of Object.entries(fieldsSchema(stepType).properties ?? {})) {
        const response = await step(stepType, { [name]: breaking(property) }, anyCase);
        expect([stepType, name, response.status, response.body.code]).toEqual([stepType, name, 400, 'VALIDATION_FAILED']);
        const problems = (response.body.details as Array<{ field: string; problems: string[] }>).flatMap((detail) => detail.problems);
        expect(problems.join(' ')).toContain(`fields.${name}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
    // The refusal is in the OpenAPI document: its status, its code and the error schema.
    const documented = (
      await http()
        .get('/docs-json')
        .set('authorization', `Bearer ${await sut.tokenFor(a)}`)
    ).body;
    const refusal = documented.paths['/cases/{caseId}/steps'].post.responses['400'];
    expect(refusal.description).toContain('VALIDATION_FAILED');
    expect(refusal.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApiError' });
  }, 60_000);

  it('takes fields as their schema describes them: the step reaches the procedure rules, and is recorded as sent', async () => {
    const opened = await http()
      .post('/cases')
      .set('authorization', `Bearer ${await sut.tokenFor(a)}`)
      // Art. 42: the co-officer confirms with a token of their own.
      .set('x-co-officer-tokens', await sut.tokenFor(b))
      .send(generalCaseBody(b.userId));
    expect([opened.status, opened.body.code]).toEqual([201, undefined]);
    caseId = opened.body.id;
    const other = await step('other', { findings: '冷库内存放过期冷冻肉二十箱', seriousViolation: false });
    expect([other.status, other.body.code]).toEqual([201, undefined]);
    expect(other.body.fields).toMatchObject({ findings: '冷库内存放过期冷冻肉二十箱', seriousViolation: false });
    const notice = await step('notice', { penalties: [{ kind: 'fine', amountFen: 500_000 }], facts: '销售过期食品' });
    expect([notice.status, notice.body.code]).toEqual([201, undefined]);
    expect(notice.body.fields).toMatchObject({ penalties: [{ kind: 'fine', amountFen: 500_000 }], facts: '销售过期食品' });
    // A value of the right type that a rule refuses keeps the rule's code.
    const unsigned = await step('rights-waiver', { waives: ['statement'], partySignature: 'maybe' });
    expect([unsigned.status, unsigned.body.code]).toEqual([400, 'WAIVER_SIGNATURE_REQUIRED']);
  });

  it('refuses a penalty of an unknown kind or with a fractional amount before the rules see it', async () => {
    for (const penalty of [
      { kind: 'flogging', amountFen: 100 },
      { kind: 'fine', amountFen: 100.5 },
      { kind: 'fine', amountFen: '100' },
    ]) {
      const response = await step('notice', { penalties: [penalty] }, randomUUID());
      expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });
});
