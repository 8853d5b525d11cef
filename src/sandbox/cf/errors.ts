/**
 * Cloud Controller's error catalogue and v3 error bodies (cf-v3-packages.md §6).
 *
 * Body: `{"errors": [{"code": <int>, "title": "CF-<Name>", "detail": "<message>"}]}`. The entries below are copied
 * from `errors/v2.yml` (cloud_controller_ng @ 3bbba906): name → code, http_code, message format. The contract test
 * checks every entry against the vendored catalogue, so a typo here cannot survive.
 */

export interface CatalogueEntry {
  code: number;
  httpStatus: number;
  /** A `sprintf` format; `%s` placeholders take the error's arguments. */
  messageFormat: string;
}

export const CF_ERROR_CATALOGUE = {
  InvalidAuthToken: { code: 1000, httpStatus: 401, messageFormat: 'Invalid Auth Token' },
  MessageParseError: { code: 1001, httpStatus: 400, messageFormat: 'Request invalid due to parse error: %s' },
  NotFound: { code: 10000, httpStatus: 404, messageFormat: 'Unknown request' },
  NotAuthenticated: { code: 10002, httpStatus: 401, messageFormat: 'Authentication error' },
  NotAuthorized: {
    code: 10003,
    httpStatus: 403,
    messageFormat: 'You are not authorized to perform the requested action',
  },
  InvalidRequest: { code: 10004, httpStatus: 400, messageFormat: 'The request is invalid' },
  BadQueryParameter: { code: 10005, httpStatus: 400, messageFormat: 'The query parameter is invalid: %s' },
  UnprocessableEntity: { code: 10008, httpStatus: 422, messageFormat: '%s' },
  ResourceNotFound: { code: 10010, httpStatus: 404, messageFormat: '%s' },
  RateLimitExceeded: { code: 10013, httpStatus: 429, messageFormat: 'Rate Limit Exceeded' },
  ServiceUnavailable: { code: 10015, httpStatus: 503, messageFormat: '%s' },
  PackageBitsAlreadyUploaded: {
    code: 150004,
    httpStatus: 400,
    messageFormat: 'Bits may be uploaded only once. Create a new package to upload different bits.',
  },
  AppBitsUploadInvalid: { code: 160001, httpStatus: 400, messageFormat: 'The app upload is invalid: %s' },
  JobTimeout: { code: 290006, httpStatus: 524, messageFormat: 'The job execution has timed out.' },
} as const satisfies Record<string, CatalogueEntry>;

export type CfErrorName = keyof typeof CF_ERROR_CATALOGUE;

export interface CfErrorObject {
  code: number;
  title: string;
  detail: string;
}

/** An API error as Cloud Controller raises it (`CloudController::Errors::ApiError.new_from_details(name, *args)`). */
export class CfApiError extends Error {
  readonly status: number;
  readonly body: { errors: CfErrorObject[] };
  /** Extra response headers, e.g. `Retry-After` on a 429. */
  readonly headers: Record<string, string> = {};

  constructor(name: CfErrorName, ...args: (string | readonly string[])[]) {
    const entry: CatalogueEntry = CF_ERROR_CATALOGUE[name];
    const detail = formatMessage(entry.messageFormat, args);
    super(detail);
    this.status = entry.httpStatus;
    this.body = { errors: [{ code: entry.code, title: `CF-${name}`, detail }] };
  }

  withHeaders(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }
}

/**
 * `ApiError#message`: array arguments are joined with `', '` (that is how several validation messages become one
 * detail), then substituted into the catalogue's `%s` placeholders in order.
 */
function formatMessage(format: string, args: readonly (string | readonly string[])[]): string {
  const formatted = args.map((arg) => (typeof arg === 'string' ? arg : arg.join(', ')));
  let index = 0;
  return format.replace(/%s/g, () => formatted[index++] ?? '');
}

/** The catch-all error: the one title without the `CF-` prefix (cf-v3-packages.md §6). */
export const UNKNOWN_ERROR_BODY = {
  errors: [{ code: 10001, title: 'UnknownError', detail: 'An unknown error occurred.' }],
} as const;

/**
 * Cloud Controller's own body for a bare HTTP status (injected faults and unknown routes): the catalogue entry CC
 * raises for that status in the packages/jobs area, else the catch-all.
 */
export function errorBodyForStatus(status: number): unknown {
  switch (status) {
    case 400:
      return new CfApiError('InvalidRequest').body;
    case 401:
      return new CfApiError('InvalidAuthToken').body;
    case 403:
      return new CfApiError('NotAuthorized').body;
    case 404:
      return new CfApiError('NotFound').body;
    case 422:
      return new CfApiError('UnprocessableEntity', 'The request could not be processed.').body;
    case 429:
      return new CfApiError('RateLimitExceeded').body;
    case 503:
      return new CfApiError('ServiceUnavailable', 'The service is temporarily unavailable.').body;
    case 524:
      return new CfApiError('JobTimeout').body;
    default:
      if (status >= 400 && status < 500) return new CfApiError('InvalidRequest').body;
      return UNKNOWN_ERROR_BODY;
  }
}

/** `resource_not_found!(:package)` → `"#{resource.to_s.humanize} not found"`. */
export function notFound(resource: 'Package' | 'App' | 'Job' | 'Droplet'): CfApiError {
  return new CfApiError('ResourceNotFound', `${resource} not found`);
}

export function unprocessable(messages: string | readonly string[]): CfApiError {
  return new CfApiError('UnprocessableEntity', messages);
}

export function badQuery(messages: string | readonly string[]): CfApiError {
  return new CfApiError('BadQueryParameter', messages);
}
