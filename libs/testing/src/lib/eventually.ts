/**
 * Retries an assertion until it passes or the time is up, then throws its last failure: for effects
 * that arrive asynchronously (events through a broker, a polling read model).
 */
export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 10_000, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
