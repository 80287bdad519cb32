import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Metrics } from './metrics.service';

interface HeaderSink {
  header(name: string, value: string): unknown;
}

/** GET /metrics for Prometheus. Not part of the API: kept out of the OpenAPI document. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) response: HeaderSink): Promise<string> {
    const body = await this.metrics.scrape();
    response.header('Content-Type', this.metrics.contentType);
    return body;
  }
}
