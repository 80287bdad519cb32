// Test support for the evidence specs: cases and certificates as other contexts would have left them, and
// HTTP requests with streamed bodies.
import type { INestApplication } from '@nestjs/common';
import { CertificateDirectoryService, KnownCertificateEntity } from '@enforcement/certificates';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { GENESIS_HASH } from '../../case-core/hash-chain';
import { CaseStateSeal } from '../../cases/case-state-seal';
import { CaseEntity } from '../../cases/case.entity';

export interface CaseSeed {
  agencyId: string;
  regionCode?: string;
  domain?: string;
  handlingOfficerIds?: string[];
}

/** A case as the cases module would have opened it, with an empty chain. */
export async function seedCase(app: INestApplication, seed: CaseSeed): Promise<CaseEntity> {
  const id = randomUUID();
  const row: CaseEntity = {
    id,
    agencyId: seed.agencyId,
    caseNumber: `沪黄市监案〔2026〕${id.slice(0, 8)}号`,
    domain: seed.domain ?? 'market-regulation',
    regionCode: seed.regionCode ?? '310101',
    procedure: 'general',
    status: 'open',
    allegedViolation: '销售不合格产品',
    legalBasis: '《产品质量法》第四十九条',
    handlingOfficerIds: seed.handlingOfficerIds ?? [],
    requiresCollectiveDecision: false,
    legalReviewStatus: 'not-required',
    openedAt: new Date(),
    openedBy: seed.handlingOfficerIds?.[0] ?? 'seed',
    closedAt: null,
    recordCount: 0,
    chainHead: GENESIS_HASH,
  };
  await app.get(DataSource).manager.insert(CaseEntity, { ...row, stateSeal: app.get(CaseStateSeal).of(row) });
  return row;
}

/** Active certificates for market regulation in Shanghai, as certificate events would have left them. */
export async function seedCertificates(app: INestApplication, holders: Array<{ officerId: string; agencyId: string }>): Promise<void> {
  const now = new Date();
  await app
    .get(DataSource)
    .getRepository(KnownCertificateEntity)
    .insert(
      holders.map(({ officerId, agencyId }, index) => ({
        id: randomUUID(),
        number: `SH-TEST-${String(index + 1).padStart(4, '0')}-${officerId.slice(0, 4)}`,
        officerId,
        agencyId,
        status: 'active' as const,
        domains: ['market-regulation'],
        regionCodes: ['310000'],
        validFrom: new Date('2020-01-01T00:00:00Z'),
        validUntil: new Date('2099-01-01T00:00:00Z'),
        termsEventAt: now,
        statusEventAt: now,
        version: 1,
        updatedAt: now,
      })),
    );
  await app.get(CertificateDirectoryService).pollNow();
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One HTTP request with a streamed body, over a keep-alive agent: supertest would buffer a large part, and
 * the memory test must see only what the server holds.
 */
export function rawRequest(
  agent: http.Agent,
  url: string,
  options: { method: string; headers: Record<string, string>; body?: Readable | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method, headers: options.headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    if (options.body === undefined) request.end();
    else if (Buffer.isBuffer(options.body)) request.end(options.body);
    else options.body.pipe(request);
  });
}
