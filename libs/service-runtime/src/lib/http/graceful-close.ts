import type { Server, ServerResponse } from 'node:http';

/**
 * Makes close() of a Node HTTP server graceful for kept-alive connections too. On its own, Node stops
 * accepting connections and drops idle ones, but goes on serving new requests on busy kept-alive connections
 * and waits until they have been idle for keepAliveTimeout: a client that keeps sending (a load balancer, a
 * pooling caller) holds the shutdown off until the orchestrator kills the process, and the outbox relay,
 * the Kafka consumers and the database never stop cleanly.
 *
 * From close() on, every response, in flight or new, asks its client to close the connection, which Node
 * then closes as soon as that response has been sent. Requests in flight finish.
 */
export function drainKeptAliveConnectionsOnClose(server: Server): void {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  const lastOnItsConnection = (response: ServerResponse) => {
    if (!response.headersSent) response.setHeader('connection', 'close');
  };
  server.on('request', (_request, response: ServerResponse) => {
    if (closing) lastOnItsConnection(response);
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });
  // A server can listen again after a close (supertest does, once per request).
  server.on('listening', () => (closing = false));
  const close = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    closing = true;
    for (const response of inFlight) lastOnItsConnection(response);
    return close(callback);
  }) as Server['close'];
}
