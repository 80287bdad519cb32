import { isProbeOrScrape } from '@enforcement/observability';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { maskUrl } from './mask-url';

export type AccessLogMiddleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * One line per answered request (probes and scrapes aside), written when the answer is sent, in the service's
 * logger: its trace ids come from the request's span like every other line's. The fields are pino-http's (`req`,
 * `res`, `responseTime`, "request completed" / "request aborted" / "request errored"), without its per-request
 * child loggers, which nothing used and which cost a recorded step a fiftieth of its CPU.
 */
export function accessLog(logger: Logger): AccessLogMiddleware {
  let requests = 0;
  return (request, response, next) => {
    if (isProbeOrScrape(request.url)) return next();
    const id = ++requests;
    const started = Date.now();
    const answered = () => {
      response.removeListener('finish', answered);
      response.removeListener('close', answered);
      const line = {
        // The parsed query and route parameters repeat what the URL holds: only the masked URL is logged.
        req: {
          id,
          method: request.method,
          url: maskUrl((request as { originalUrl?: string }).originalUrl ?? request.url),
          remoteAddress: request.socket?.remoteAddress,
          userAgent: request.headers['user-agent'],
        },
        // The status is what an access line needs of the answer; its headers are the same on every line.
        res: { statusCode: response.statusCode },
        responseTime: Date.now() - started,
      };
      if (response.statusCode >= 500) {
        logger.info({ ...line, err: new Error(`failed with status code ${response.statusCode}`) }, 'request errored');
      } else {
        logger.info(line, !request.readableAborted && response.writableEnded ? 'request completed' : 'request aborted');
      }
    };
    response.on('finish', answered);
    response.on('close', answered);
    next();
  };
}
