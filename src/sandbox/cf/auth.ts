/**
 * Bearer-token auth (cf-v3-packages.md §1, §6): `Authorization: bearer <token>`, the scheme case-insensitive.
 * No header → 401 `CF-NotAuthenticated` (10002); anything else that is not a known token, or a UAA token past its
 * lifetime, → 401 `CF-InvalidAuthToken` (1000), as Cloud Controller answers an expired token. A token maps to exactly
 * one tenant's store: the tenant's fixed token, or a token UAA issued to the tenant's client (uaa.ts).
 */
import type { IncomingMessage } from 'node:http';
import { CfApiError } from './errors.js';
import type { UaaTokens } from './uaa.js';

const BEARER = /^bearer\s+(\S+)\s*$/i;

export function authenticate<T>(
  req: IncomingMessage,
  storesByToken: ReadonlyMap<string, T>,
  uaaTokens: UaaTokens<T>,
): { token: string; store: T } {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') throw new CfApiError('NotAuthenticated');
  const token = BEARER.exec(header)?.[1];
  const store = token === undefined ? undefined : (storesByToken.get(token) ?? uaaTokens.lookup(token));
  if (token === undefined || store === undefined || store === 'expired') throw new CfApiError('InvalidAuthToken');
  return { token, store };
}
