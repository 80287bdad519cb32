import { createHash } from 'node:crypto';
import {
  amzDate,
  canonicalQueryString,
  canonicalRequest,
  chunkSignature,
  encodeS3Path,
  signRequest,
  uriEncode,
  type SigV4Credentials,
} from './sigv4';

// The example values of AWS's documentation: "Signature Calculations for the Authorization Header:
// Transferring Payload in a Single Chunk" and "... in Multiple Chunks (Chunked Upload)".
const credentials: SigV4Credentials = {
  accessKey: 'AKIAIOSFODNN7EXAMPLE',
  secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
};
const date = new Date('2013-05-24T00:00:00Z');
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('SigV4', () => {
  it('formats x-amz-date', () => {
    expect(amzDate(date)).toBe('20130524T000000Z');
  });

  it('signs AWS example "GET Object" (range header, empty payload)', () => {
    const request = {
      method: 'GET',
      path: '/test.txt',
      headers: {
        Host: 'examplebucket.s3.amazonaws.com',
        Range: 'bytes=0-9',
        'x-amz-content-sha256': EMPTY_SHA256,
        'x-amz-date': '20130524T000000Z',
      },
      payloadHash: EMPTY_SHA256,
    };

    expect(canonicalRequest(request).text).toBe(
      'GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n' +
        `x-amz-content-sha256:${EMPTY_SHA256}\nx-amz-date:20130524T000000Z\n\n` +
        `host;range;x-amz-content-sha256;x-amz-date\n${EMPTY_SHA256}`,
    );
    expect(signRequest(request, credentials, date).authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('signs AWS example "PUT Object" (payload digest, encoded path)', () => {
    const payloadHash = sha256('Welcome to Amazon S3.');
    expect(payloadHash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');

    const signed = signRequest(
      {
        method: 'PUT',
        path: `/${uriEncode('test$file.text')}`,
        headers: {
          Date: 'Fri, 24 May 2013 00:00:00 GMT',
          Host: 'examplebucket.s3.amazonaws.com',
          'x-amz-content-sha256': payloadHash,
          'x-amz-date': '20130524T000000Z',
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        },
        payloadHash,
      },
      credentials,
      date,
    );

    expect(signed.signature).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('signs AWS examples with query strings ("GET Bucket Lifecycle", "Get Bucket (List Objects)")', () => {
    const headers = { Host: 'examplebucket.s3.amazonaws.com', 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': '20130524T000000Z' };

    const lifecycle = signRequest(
      { method: 'GET', path: '/', query: { lifecycle: '' }, headers, payloadHash: EMPTY_SHA256 },
      credentials,
      date,
    );
    const list = signRequest(
      { method: 'GET', path: '/', query: { prefix: 'J', 'max-keys': '2' }, headers, payloadHash: EMPTY_SHA256 },
      credentials,
      date,
    );

    expect(lifecycle.signature).toBe('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
    expect(list.signature).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });

  it('signs AWS example "PUT Object" in chunks: seed and chained chunk signatures', () => {
    const seed = signRequest(
      {
        method: 'PUT',
        path: '/examplebucket/chunkObject.txt',
        headers: {
          Host: 's3.amazonaws.com',
          'x-amz-date': '20130524T000000Z',
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
          'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
          'Content-Encoding': 'aws-chunked',
          'x-amz-decoded-content-length': '66560',
          'Content-Length': '66824',
        },
        payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      },
      credentials,
      date,
    );
    const first = chunkSignature(credentials, seed, seed.signature, Buffer.alloc(65536, 'a'));
    const second = chunkSignature(credentials, seed, first, Buffer.alloc(1024, 'a'));
    const final = chunkSignature(credentials, seed, second, Buffer.alloc(0));

    expect(seed.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;' +
        'x-amz-decoded-content-length;x-amz-storage-class, ' +
        'Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    );
    expect(first).toBe('ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648');
    expect(second).toBe('0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497');
    expect(final).toBe('b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9');
  });

  it('encodes paths and queries the way S3 canonicalises them', () => {
    expect(encodeS3Path('evidence', "cases/1/a b!*'()~_-.x")).toBe('/evidence/cases/1/a%20b%21%2A%27%28%29~_-.x');
    expect(canonicalQueryString({ uploadId: 'a/b+c=', partNumber: '3' })).toBe('partNumber=3&uploadId=a%2Fb%2Bc%3D');
  });
});
