/**
 * Cycle auth (cycle.md §1): every request needs BOTH `Authorization: Bearer <API key>` and `X-Hub-Id: <hub>`
 * (the spec's one security requirement object `{bearerAuth, hubAuth}` means AND). Node lower-cases header names,
 * so `X-Hub-ID`, `x-hub-id` and `X-Hub-Id` are the same header.
 *
 * Refusals, in the ErrorEnvelope (the spec's OAuth-style 401 variant is not used; cycle.md §7 marks it as I):
 *   no/unknown key → 401 `401.auth-invalid`; known key without hub → 401 `401.auth-invalid` naming the header;
 *   known key with another hub → 403 `403.wrong-hub`.
 */
import type { IncomingMessage } from 'node:http';
import { CycleError } from './errors.js';
import type { CycleStore } from './store.js';

export function authenticate(req: IncomingMessage, storesByKey: ReadonlyMap<string, CycleStore>): CycleStore {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) {
    throw new CycleError('401.auth-invalid', 'An API key is required: send it as "Authorization: Bearer <API key>".');
  }
  const store = storesByKey.get(match[1]!);
  if (store === undefined) throw new CycleError('401.auth-invalid', 'The API key is not valid.');

  const hub = req.headers['x-hub-id'];
  const hubId = Array.isArray(hub) ? hub[0] : hub;
  if (hubId === undefined || hubId.trim() === '') {
    throw new CycleError(
      '401.auth-invalid',
      'The X-Hub-Id header is required: it names the hub this request is scoped to.',
    );
  }
  if (hubId.trim() !== store.hubId) {
    throw new CycleError('403.wrong-hub', `The API key does not belong to hub "${hubId.trim()}".`);
  }
  return store;
}
