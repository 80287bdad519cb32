import type { Duplex } from 'node:stream';
import type { ApiErrorBody } from './api-error';

interface Answer {
  status: number;
  reason: string;
  body: ApiErrorBody;
}

/** Requests Node's parser refuses before any middleware sees them, by the parser's error code. */
const ANSWERS: Record<string, Answer> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    body: { code: 'REQUEST_HEADERS_TOO_LARGE', message: '请求的网址或请求头过长' },
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', body: { code: 'REQUEST_TIMEOUT', message: '请求发送超时' } },
};
const MALFORMED: Answer = { status: 400, reason: 'Bad Request', body: { code: 'MALFORMED_REQUEST', message: '请求格式错误' } };

/**
 * Answers the requests Node's HTTP parser refuses (a URL or headers beyond its limit, a malformed request line, a
 * request sent too slowly) in the platform's error format, as every other refusal: on their own Node and Fastify
 * answer them with a bare status or a body of their own, which clients cannot tell apart from a proxy's. Fastify's
 * clientErrorHandler: the server's only listener of clientError.
 */
export function answerClientErrorClearly(error: NodeJS.ErrnoException, socket: Duplex): void {
  // As Node does: a connection the client dropped, or whose response has begun, is only closed.
  const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (error.code === 'ECONNRESET' || !socket.writable || answering) {
    socket.destroy();
    return;
  }
  const answer = ANSWERS[error.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify(answer.body);
  socket.end(
    `HTTP/1.1 ${answer.status} ${answer.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
