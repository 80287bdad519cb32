import { Controller, Get, Inject, Optional, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { Public } from '@enforcement/auth';
import { EVENT_TRANSPORT, OutboxRelay, type EventTransport } from '@enforcement/events';
import { HEALTH_PATH } from '@enforcement/observability';
import { pingDatabase } from '@enforcement/persistence';
import type { ObjectStorage } from '@enforcement/storage';
import { DataSource } from 'typeorm';
import { OBJECT_STORAGE } from '../tokens';

const CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref())]);
}

/** Readiness: the database, the event transport and, where the service uses it, object storage. */
@ApiTags('health')
@Public()
@Controller(HEALTH_PATH)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    @Inject(EVENT_TRANSPORT) private readonly transport: EventTransport,
    @Optional() @Inject(OBJECT_STORAGE) private readonly storage?: ObjectStorage,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness of the service and its dependencies' })
  @ApiOkResponse({ description: 'status "ok" when every dependency answers' })
  async check() {
    const checks = [
      () => this.probe('database', () => pingDatabase(this.dataSource)),
      () =>
        this.probe(
          'transport',
          () => this.transport.ping(),
          () => this.relay.status(),
        ),
    ];
    const storage = this.storage;
    if (storage) checks.push(() => this.probe('storage', () => storage.ping()));
    try {
      return await this.health.check(checks);
    } catch (error) {
      // Terminus reports what is down in its 503; keep that report, in the platform's error format.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const report = error.getResponse() as HealthCheckResult;
      const down = Object.entries(report.details ?? {})
        .filter(([, detail]) => detail.status !== 'up')
        .map(([name]) => name);
      throw new ServiceUnavailableException({
        code: 'SERVICE_UNAVAILABLE',
        message: `服务暂不可用：${down.join('、')} 无法访问`,
        ...report,
      });
    }
  }

  private async probe(key: string, ping: () => Promise<unknown>, details?: () => Promise<object>): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(ping());
      return indicator.up(details ? await withTimeout(details()).catch(() => ({})) : {});
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
