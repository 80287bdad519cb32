import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FieldCipher } from '@enforcement/field-cipher';
import { loadServiceConfig, SERVICE_CONFIG, type ServiceConfig } from '@enforcement/service-runtime';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordingSettings } from '../config/recording-settings';
import { FieldCipherModule } from './field-cipher.module';

/** The service's configuration as RuntimeModule provides it, from a given environment. */
function appModule(config: ServiceConfig) {
  @Global()
  @Module({ providers: [{ provide: SERVICE_CONFIG, useValue: config }], exports: [SERVICE_CONFIG] })
  class ConfigModule {}

  @Module({ imports: [ConfigModule, FieldCipherModule] })
  class TestAppModule {}
  return TestAppModule;
}

describe(FieldCipherModule.name, () => {
  let dataDir: string;
  const contexts: INestApplicationContext[] = [];

  const start = async (env: Record<string, string>) => {
    const context = await NestFactory.createApplicationContext(
      appModule(loadServiceConfig(recordingSettings, { DATA_DIR: dataDir, ...env })),
      {
        logger: false,
      },
    );
    contexts.push(context);
    return context.get(FieldCipher);
  };

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recording-keys-'));
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('without FIELD_ENCRYPTION_KEY keeps a generated key under DATA_DIR/keys and reuses it on the next start', async () => {
    const first = await start({});
    const stored = first.encryptJson({ phone: '13800138000' });

    const second = await start({});

    expect(fs.existsSync(path.join(dataDir, 'keys', 'field-encryption.key'))).toBe(true);
    expect(second.decryptJson(stored)).toEqual({ phone: '13800138000' });
  });

  it('with FIELD_ENCRYPTION_KEY uses that key and writes no file', async () => {
    const key = Buffer.alloc(32, 3).toString('base64');

    const sut = await start({ FIELD_ENCRYPTION_KEY: key });

    expect(new FieldCipher(Buffer.alloc(32, 3)).decrypt(sut.encrypt('110101199003074514'))).toBe('110101199003074514');
    expect(fs.existsSync(path.join(dataDir, 'keys'))).toBe(false);
  });
});
