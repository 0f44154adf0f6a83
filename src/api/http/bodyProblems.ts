import type { ProblemDocument } from './problem';

/** What body-parser (and raw-body under it) attaches to the errors it raises. */
interface BodyParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  limit?: number;
  length?: number;
  charset?: string;
  encoding?: string;
  message: string;
}

const kB = (bytes: number) => `${Math.round(bytes / 1024)} kB`;

/**
 * A refusal of the request body, said so a person can fix the request. body-parser's own
 * messages ("Unexpected end of JSON input", "request entity too large") name neither the rule nor
 * the remedy. `type` stays `malformed-request` for an unreadable body (clients branch on it).
 */
export const bodyProblem = (error: BodyParserError): ProblemDocument | undefined => {
  const status = error.status ?? error.statusCode;
  if (!status || status < 400 || status >= 500) return undefined;
  switch (error.type) {
    case 'entity.parse.failed':
      return {
        type: 'malformed-request',
        title: 'The request body could not be read',
        status,
        detail: `The body is not valid JSON (${error.message}). Send a JSON object or array.`,
      };
    case 'entity.too.large':
      return {
        type: 'payload-too-large',
        title: 'The request body is too large',
        status,
        detail:
          error.limit !== undefined
            ? `Bodies may be at most ${kB(error.limit)}${error.length !== undefined ? `; this one is ${kB(error.length)}` : ''}.`
            : 'The body is larger than this service accepts.',
      };
    case 'charset.unsupported':
      return {
        type: 'unsupported-media-type',
        title: 'The request body is in a charset this service does not read',
        status,
        detail: `The charset ${error.charset ? `"${error.charset}" ` : ''}is not read here: send JSON as UTF-8 (Content-Type: application/json).`,
      };
    case 'encoding.unsupported':
      return {
        type: 'unsupported-media-type',
        title: 'The request body is in an encoding this service does not read',
        status,
        detail: `Content-Encoding ${error.encoding ? `"${error.encoding}" ` : ''}is not read here: send the body as is, gzip or deflate.`,
      };
    default:
      // Aborted mid-body, a Content-Length that does not match the bytes sent, and the like.
      return {
        type: 'malformed-request',
        title: 'The request body could not be read',
        status,
        detail: `${error.message}. Send the whole body, with a Content-Length that matches it.`,
      };
  }
};
