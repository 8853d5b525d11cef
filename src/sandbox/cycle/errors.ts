/**
 * Cycle's error catalogue and ErrorEnvelope (cycle.md §7; spec `Error`, `ErrorEnvelope`):
 * `{"error": {"status", "code", "title", "detail", "source"?}, "data": null}`. Codes are the spec's hyphenated form
 * (`403.wrong-hub`, not the legacy client's `403.wrong_hub`).
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../shared/http.js';

export type CycleErrorCode =
  | '400.invalid-syntax'
  | '401.auth-invalid'
  | '403.wrong-hub'
  | '403.permissions'
  | '403.invalid-state'
  | '404.uri'
  | '404.image'
  | '404.image.source'
  | '404.image.build-log'
  | '404.job'
  | '404.hub.integration'
  | '409.duplicate-found'
  | '415.invalid-content-type'
  | '422.missing-argument'
  | '422.invalid-argument'
  | '422.invalid-input'
  | '429.rate-limiting'
  | '500.unknown'
  | '503.not-ready'
  | '504.not-available';

const TITLES: Record<CycleErrorCode, string> = {
  '400.invalid-syntax': 'Invalid syntax',
  '401.auth-invalid': 'Invalid authentication',
  '403.wrong-hub': 'Wrong hub',
  '403.permissions': 'Insufficient permissions',
  '403.invalid-state': 'Invalid state',
  '404.uri': 'Resource not found',
  '404.image': 'Image not found',
  '404.image.source': 'Image source not found',
  '404.image.build-log': 'Image build log not found',
  '404.job': 'Job not found',
  '404.hub.integration': 'Integration not found',
  '409.duplicate-found': 'Duplicate found',
  '415.invalid-content-type': 'Invalid content type',
  '422.missing-argument': 'Missing argument',
  '422.invalid-argument': 'Invalid argument',
  '422.invalid-input': 'Invalid input',
  '429.rate-limiting': 'Too many requests',
  '500.unknown': 'Internal error',
  '503.not-ready': 'Service not ready',
  '504.not-available': 'Service not available',
};

export interface CycleErrorBody {
  error: { status: number; code: string; title: string; detail: string; source?: string };
  data: null;
}

/** An upstream error a handler throws; the route wrapper turns it into the envelope. */
export class CycleError extends Error {
  readonly status: number;
  readonly code: CycleErrorCode;
  /** A JSON pointer into the request body, e.g. `/origin/details/target`. */
  readonly source: string | undefined;

  constructor(code: CycleErrorCode, detail: string, source?: string) {
    super(detail);
    this.code = code;
    this.status = Number(code.slice(0, 3));
    this.source = source;
  }

  body(): CycleErrorBody {
    return envelope(this.status, this.code, TITLES[this.code], this.message, this.source);
  }
}

function envelope(status: number, code: string, title: string, detail: string, source?: string): CycleErrorBody {
  return { error: { status, code, title, detail, ...(source === undefined ? {} : { source }) }, data: null };
}

/** The code Cycle answers for a bare status (unknown routes, injected faults). */
const CODE_FOR_STATUS: Record<number, CycleErrorCode> = {
  400: '400.invalid-syntax',
  401: '401.auth-invalid',
  403: '403.permissions',
  404: '404.uri',
  409: '409.duplicate-found',
  415: '415.invalid-content-type',
  422: '422.invalid-input',
  // C (cycle.md §7): the spec's `status` enum has no 429, yet its code enum has `429.rate-limiting`; sent as is.
  429: '429.rate-limiting',
  500: '500.unknown',
  503: '503.not-ready',
  504: '504.not-available',
};

/** The envelope for any HTTP status; statuses without a catalogue code get `<status>.unknown`. */
export function cycleErrorBody(status: number): CycleErrorBody {
  const code = CODE_FOR_STATUS[status];
  if (code !== undefined) return envelope(status, code, TITLES[code], `The request failed with status ${status}.`);
  return envelope(status, `${status}.unknown`, 'Error', `The request failed with status ${status}.`);
}

export function sendCycleError(res: ServerResponse, error: CycleError): void {
  sendJson(res, error.status, error.body());
}
