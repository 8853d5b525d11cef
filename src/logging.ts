/**
 * Structured JSON logs (pino). Redaction is configuration: credential headers and secret-named fields are censored
 * wherever they appear in a logged object, so no call site has to remember. Error text that could hold a request's
 * secrets goes through that request's SecretSet before it is logged (plugins/requestLogging.ts).
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

const SECRET_FIELDS = ['password', 'token', 'secret', 'apiKey', 'api_key', 'privateKey', 'private_key', 'passphrase', 'authorization', 'cookie'];
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'x-cycle-authorization', 'x-cf-authorization', 'x-dockercloud-authorization', 'x-hub-id'];

/** Censored paths: secret-named fields at the top and one or two levels down, and credential headers. */
export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
  ...CREDENTIAL_HEADERS.flatMap((header) => [`headers["${header}"]`, `req.headers["${header}"]`, `request.headers["${header}"]`]),
];

export interface LoggerOptions {
  level: string;
  /** Where lines go. @default stdout */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'imagegraph' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    },
    options.destination,
  );
}
