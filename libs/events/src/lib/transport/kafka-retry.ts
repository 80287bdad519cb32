import { KafkaJSError } from 'kafkajs';

const ATTEMPTS = 5;
const FIRST_DELAY_MS = 200;

/**
 * kafkajs's admin does not retry an offsets read that lands on a broker no longer (or not yet) the group's
 * coordinator, which happens while a new group settles or after a broker restart. Such errors say they are
 * retriable; a metrics scrape should see them as a short wait (about 3 s at most), not a failure.
 */
export async function retryingRetriable<T>(read: () => Promise<T>, firstDelayMs = FIRST_DELAY_MS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= ATTEMPTS || !(error instanceof KafkaJSError && error.retriable)) throw error;
      await new Promise((resolve) => setTimeout(resolve, firstDelayMs * 2 ** (attempt - 1)));
    }
  }
}
