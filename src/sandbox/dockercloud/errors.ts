/**
 * Docker Cloud's error catalogue (docker-cloud-repository.md §5, docs `_errors.md`): every error body is
 * `{"error": "Descriptive error message"}`, whatever the status.
 */
import { STATUS_CODES } from 'node:http';

export interface ErrorBody {
  error: string;
}

/** The meaning of each documented status, as `_errors.md` words it (used when nothing more specific is known). */
const DOCUMENTED_MEANINGS: Readonly<Record<number, string>> = {
  400: "Bad Request -- There's a problem in the content of your request. Retrying the same request will fail.",
  401: 'Unauthorized -- Your API key is wrong or your account has been deactivated.',
  402: 'Payment Required -- You need to provide billing information to perform this request.',
  403: 'Forbidden -- Quota limit exceeded. Contact support to request a quota increase.',
  404: 'Not Found -- The requested object cannot be found.',
  405: 'Method Not Allowed -- The endpoint requested does not implement the method sent.',
  409: 'Conflict -- The object cannot be created or updated because another object exists with the same unique fields',
  415: 'Unsupported Media Type -- Make sure you are using `Accept` and `Content-Type` headers as `application/json` and that the data your are `POST`-ing or `PATCH`-ing is in valid JSON format.',
  429: 'Too Many Requests -- You are being throttled because of too many requests in a short period of time.',
  500: 'Internal Server Error -- There was a server error while processing your request. Try again later, or contact support.',
  503: "Service Unavailable -- We're temporarily offline for maintenance. Try again later.",
  504: 'Gateway Timeout -- Our API servers are at full capacity. Try again later.',
};

/**
 * The body for any status (unknown routes, injected faults). §5 says a real 504 came back as an HTML page, but the
 * shared shell JSON-encodes whatever this returns (a string would become a JSON string literal, not a page), so a
 * 504 is `{"error": …}` here too; tests get the HTML form with the fault `{"status": 504, "body": "html"}`.
 */
export function errorBody(status: number): ErrorBody {
  return { error: DOCUMENTED_MEANINGS[status] ?? STATUS_CODES[status] ?? `HTTP ${status}` };
}

/** Thrown by handlers; the request pipeline turns it into the upstream's error response. */
export class DockerCloudError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }

  get body(): ErrorBody {
    return { error: this.message };
  }
}
