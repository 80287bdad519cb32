import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, type FactoryProvider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openDatabase, type DatabaseOptions } from './data-source.factory';

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Provides the service's one TypeORM DataSource, migrated to the latest version before anything uses it.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forRootAsync(options: Omit<FactoryProvider<DatabaseOptions>, 'provide'>): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: DATABASE_OPTIONS, ...options },
        {
          provide: DataSource,
          inject: [DATABASE_OPTIONS],
          useFactory: (databaseOptions: DatabaseOptions) => openDatabase(databaseOptions),
        },
        DataSourceCloser,
      ],
      exports: [DataSource],
    };
  }
}

export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}
