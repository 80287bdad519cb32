import type { LoggerService } from '@nestjs/common';

/** Library logs would interleave with the progress lines and cost time inside the measured code. */
export const quietLogger: LoggerService = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
  verbose: () => undefined,
  fatal: () => undefined,
};
