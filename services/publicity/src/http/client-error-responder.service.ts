import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** A refusal written straight on the socket, in the platform's error format. */
function refusal(status: number, reason: string, code: string, message: string): string {
  const body = JSON.stringify({ code, message });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Requests Node refuses before any application code runs (an address or headers over its 16 KiB limit: a public
 * search with a huge query string) get the platform's error format too, not Node's bare status line.
 */
@Injectable()
export class ClientErrorResponderService implements OnApplicationBootstrap {
  constructor(private readonly host: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const server = this.host.httpAdapter?.getHttpServer() as Server | undefined;
    server?.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      if (error.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return;
      }
      socket.end(
        error.code === 'HPE_HEADER_OVERFLOW'
          ? refusal(431, 'Request Header Fields Too Large', 'REQUEST_TOO_LARGE', '请求的地址或头部过长')
          : refusal(400, 'Bad Request', 'BAD_REQUEST', '请求格式错误'),
      );
    });
  }
}
