import { KafkaJSProtocolError } from 'kafkajs';
import { retryingRetriable } from './kafka-retry';

/** As kafkajs builds it from the broker's error code 16 (its typings take only a message). */
const notCoordinator = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error('This is not the correct coordinator for this group'), {
      type: 'NOT_COORDINATOR_FOR_GROUP',
      code: 16,
      retriable: true,
    }),
  );

describe('retryingRetriable', () => {
  it('reads again after a retriable error such as a moved group coordinator', async () => {
    expect(notCoordinator().retriable).toBe(true);
    let calls = 0;
    const read = async () => {
      calls++;
      if (calls < 3) throw notCoordinator();
      return 'offsets';
    };
    await expect(retryingRetriable(read, 1)).resolves.toBe('offsets');
    expect(calls).toBe(3);
  });

  it('passes a non-retriable error on at once', async () => {
    let calls = 0;
    const denied = Object.assign(new Error('Not authorized to access group'), { retriable: false });
    await expect(
      retryingRetriable(async () => {
        calls++;
        throw denied;
      }, 1),
    ).rejects.toBe(denied);
    expect(calls).toBe(1);
  });

  it('gives up after five attempts and passes the last error on', async () => {
    let calls = 0;
    await expect(
      retryingRetriable(async () => {
        calls++;
        throw notCoordinator();
      }, 1),
    ).rejects.toThrow('not the correct coordinator');
    expect(calls).toBe(5);
  });
});
