import type { LoggerService } from '@nestjs/common';
import { activeTraceIds } from '@enforcement/observability';
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger as Pino } from 'pino';

/** Paths whose values never reach a log line: credentials and personal identifiers. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.idNumber',
  '*.*.idNumber',
  '*.password',
  '*.secretKey',
];

/**
 * One pino logger per service: the four services of embedded mode share a process, and each line says which
 * service wrote it.
 */
export function createServiceLogger(service: string, level: string, destination?: pino.DestinationStream): Pino {
  // Every line carries the trace_id and span_id of the work it was written in (a request, an event delivery).
  const options = { level, base: { service }, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' }, mixin: activeTraceIds };
  return destination ? pino(options, destination) : pino(options);
}

/** Nest's logger interface over a service's pino logger, as JSON lines with the Nest context. */
export class ServiceLogger implements LoggerService {
  constructor(private readonly logger: Pino) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }

  error(message: unknown, trace?: string, context?: string): void {
    // Nest passes (message, context) when there is no stack.
    if (context === undefined && trace !== undefined && !trace.includes('\n')) this.write('error', message, trace);
    else this.write('error', message, context, trace);
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: pino.Level, message: unknown, context?: string, stack?: string): void {
    const fields = { context, ...(stack ? { stack } : {}) };
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message));
  }
}

const currentService = new AsyncLocalStorage<ServiceLogger>();

/**
 * Nest keeps one process-wide logger that every `new Logger(context)` writes to; with the four services of
 * embedded mode in one process it would label every line with the service started last. The router sends
 * each line to the logger of the service whose work is running (an async context set around the service's
 * start, its requests and its event deliveries), and to its own service's logger otherwise.
 */
export class ServiceLogRouter implements LoggerService {
  constructor(private readonly own: ServiceLogger) {}

  private target(): ServiceLogger {
    return currentService.getStore() ?? this.own;
  }

  log(message: unknown, context?: string): void {
    this.target().log(message, context);
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.target().error(message, trace, context);
  }

  warn(message: unknown, context?: string): void {
    this.target().warn(message, context);
  }

  debug(message: unknown, context?: string): void {
    this.target().debug(message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.target().verbose(message, context);
  }

  fatal(message: unknown, context?: string): void {
    this.target().fatal(message, context);
  }
}

/** Runs `work` (and everything it starts: timers, loops, callbacks) as the given service's work, for logging. */
export function runAsService<T>(logger: ServiceLogger, work: () => T): T {
  return currentService.run(logger, work);
}
