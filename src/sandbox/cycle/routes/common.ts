/**
 * The wrapper every Cycle route runs in: auth first (cycle.md §1), then the handler; a thrown CycleError becomes the
 * ErrorEnvelope. Write bodies must be JSON (415 `415.invalid-content-type` otherwise) and parse as a JSON object
 * (400 `400.invalid-syntax` otherwise).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestUrl } from '../../shared/emulator.js';
import { readJson, sendJson } from '../../shared/http.js';
import { authenticate } from '../auth.js';
import { CycleError, sendCycleError } from '../errors.js';
import type { CycleStore } from '../store.js';
import { isObject, type JsonObject } from '../validation.js';

export interface RequestContext {
  req: IncomingMessage;
  params: Record<string, string | undefined>;
  store: CycleStore;
  query: URLSearchParams;
}

export interface Reply {
  status: number;
  body: unknown;
}

export type CycleHandler = (context: RequestContext) => Reply | Promise<Reply>;
export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string | undefined>,
) => Promise<void>;

export function cycleRoute(storesByKey: ReadonlyMap<string, CycleStore>, handler: CycleHandler): RouteHandler {
  return async (req, res, params) => {
    try {
      const store = authenticate(req, storesByKey);
      const reply = await handler({ req, params, store, query: requestUrl(req).searchParams });
      sendJson(res, reply.status, reply.body);
    } catch (error) {
      if (error instanceof CycleError) sendCycleError(res, error);
      else throw error;
    }
  };
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** The request's JSON object body; an empty body reads as `{}`. */
export async function readJsonObject(req: IncomingMessage): Promise<JsonObject> {
  const contentType = req.headers['content-type'] ?? '';
  if (!JSON_MEDIA_TYPE.test(contentType)) {
    throw new CycleError(
      '415.invalid-content-type',
      `Request bodies must be JSON (Content-Type: application/json), got "${contentType || 'none'}".`,
    );
  }
  const parsed = await readJson(req);
  if (!parsed.ok) throw new CycleError('400.invalid-syntax', 'The request body is not valid JSON.');
  if (parsed.value === undefined) return {};
  if (!isObject(parsed.value)) throw new CycleError('400.invalid-syntax', 'The request body must be a JSON object.');
  return parsed.value;
}

export function param(context: RequestContext, name: string): string {
  return context.params[name] ?? '';
}
