/**
 * Structured JSON logs (pino). Redaction is configuration: credential headers and secret-named fields are censored
 * wherever they appear in a logged object, so no call site has to remember. Error text that could hold a request's
 * secrets goes through that request's SecretSet before it is logged (plugins/requestLogging.ts).
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

const SECRET_FIELDS = [
  'password',
  'token',
  'secret',
  'apiKey',
  'api_key',
  'privateKey',
  'private_key',
  'passphrase',
  'authorization',
  'cookie',
];
const CREDENTIAL_HEADERS = [
  'authorization',
  'cookie',
  'x-cycle-authorization',
  'x-cf-authorization',
  'x-dockercloud-authorization',
  'x-hub-id',
];

const HEADER_PATHS = CREDENTIAL_HEADERS.flatMap((header) => [
  `headers["${header}"]`,
  `req.headers["${header}"]`,
  `request.headers["${header}"]`,
]);

/** Censored paths: secret-named fields at the top and one or two levels down, and credential headers. */
export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
  ...HEADER_PATHS,
];

/**
 * The same censorship for lines whose fields are scalars, or objects whose keys the logging code fixes (the request
 * line's `errors`): nothing a caller names can sit below the top level, and wildcard paths would cost ~40 µs per line (pino's redaction walks for them).
 */
export const FLAT_REDACTED_PATHS = [...SECRET_FIELDS, ...HEADER_PATHS];

/** A logger for flat, scalar-only lines: per-request volume at a fraction of the redaction cost. */
export function flatLineLogger(logger: Logger): Logger {
  return logger.child({}, { redact: { paths: FLAT_REDACTED_PATHS, censor: '[REDACTED]' } });
}

export interface LoggerOptions {
  level: string;
  /** Where lines go. @default stdout */
  destination?: DestinationStream;
  /** Fields on every line besides `service` (a cluster worker adds its `worker` id). */
  fields?: Record<string, string | number>;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'imagegraph', ...options.fields },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    },
    options.destination,
  );
}
