import { Client } from 'minio';
import { startS3Server } from './s3-server';

describe(startS3Server.name, () => {
  it('serves the configured buckets on a free local port until stopped', async () => {
    const sut = await startS3Server({ buckets: ['evidence', 'exports'] });
    const client = new Client({
      endPoint: sut.host,
      port: sut.port,
      useSSL: false,
      accessKey: sut.accessKey,
      secretKey: sut.secretKey,
      region: 'us-east-1',
    });

    try {
      expect(sut.endpoint).toBe(`http://127.0.0.1:${sut.port}`);
      expect((await client.listBuckets()).map((bucket) => bucket.name).sort()).toEqual(['evidence', 'exports']);
    } finally {
      await sut.stop();
      await sut.stop();
    }
    await expect(client.bucketExists('evidence')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('gives every server its own empty store', async () => {
    const [first, second] = await Promise.all([startS3Server({ buckets: ['evidence'] }), startS3Server()]);

    try {
      expect(first.port).not.toBe(second.port);
      const client = new Client({
        endPoint: second.host,
        port: second.port,
        useSSL: false,
        accessKey: second.accessKey,
        secretKey: second.secretKey,
        region: 'us-east-1',
      });

      expect(await client.listBuckets()).toEqual([]);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
