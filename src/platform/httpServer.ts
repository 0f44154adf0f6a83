import { createServer, STATUS_CODES, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemType } from '../api/http/problem';

/** How Node's parser failed → the answer, as Node itself would pick the status. */
const refusalFor = (code: string | undefined) => {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        slug: 'headers-too-large',
        detail:
          'The request headers are over 16 kB together: send fewer or shorter headers (cookies, tokens).',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        slug: 'request-timeout',
        detail: 'The request did not arrive in time: send it again.',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        slug: 'payload-too-large',
        detail: 'The chunk extensions of the body are too large: send the body without them.',
      };
    default:
      return {
        status: 400,
        slug: 'malformed-request',
        detail:
          'The request is not well-formed HTTP/1.1 (request line, headers or framing): check what the client sends.',
      };
  }
};

/** A whole HTTP/1.1 response carrying a problem document; the connection closes after it. */
export const clientErrorResponse = (code: string | undefined): string => {
  const { status, slug, detail } = refusalFor(code);
  const title = STATUS_CODES[status] ?? 'Bad Request';
  const body = JSON.stringify({ type: problemType(slug), title, status, detail });
  return [
    `HTTP/1.1 ${status} ${title}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
};

/**
 * Node's parser refuses some requests before express sees them (headers over 16 kB, a request
 * line that is not HTTP) and by default answers with a bare status line. This answers them as a
 * problem document like every other refusal, where the socket can still take an answer.
 */
const answerClientError = (error: Error & { code?: string }, socket: Duplex) => {
  const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (error.code === 'ECONNRESET' || !socket.writable || started) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorResponse(error.code));
};

/** The HTTP server `npm start` listens with. */
export const createHttpServer = (app: RequestListener): Server => {
  const server = createServer(app);
  server.on('clientError', answerClientError);
  return server;
};
