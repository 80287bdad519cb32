import { Global, Module, type DynamicModule } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { Metrics } from './metrics.service';

export interface MetricsModuleOptions {
  /** The service's name: the `service` label of every metric. */
  service: string;
  /**
   * Applied to the /metrics controller: the platform passes its @Public(), since Prometheus scrapes without a
   * token (like /health). This lib stays below the auth lib, so it takes the decorator rather than importing it.
   */
  controllerDecorators?: ClassDecorator[];
}

/** The service's `Metrics` (its own registry) for every module, and GET /metrics. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsModuleOptions): DynamicModule {
    for (const decorate of options.controllerDecorators ?? []) decorate(MetricsController);
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [{ provide: Metrics, useFactory: () => new Metrics(options.service) }],
      exports: [Metrics],
    };
  }
}
