/**
 * Docker Cloud auth (§1): `Authorization: Basic base64(<username>:<apikey>)`. The "API role" form (index.md
 * "API roles") is the whole header value from `DOCKERCLOUD_AUTH`, sent verbatim: the same Basic header, so one
 * parser serves both. Only the configured tenants' credentials are accepted.
 */
import type { TenantState } from './store.js';

const BASIC = /^basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i;

export type AuthResult = { ok: true; tenant: TenantState } | { ok: false; reason: string };

export class Accounts {
  readonly #byCredentials: Map<string, TenantState>;

  constructor(tenants: readonly TenantState[]) {
    this.#byCredentials = new Map(tenants.map((tenant) => [`${tenant.username}:${tenant.apiKey}`, tenant]));
  }

  authenticate(authorization: string | undefined): AuthResult {
    if (authorization === undefined || authorization.trim() === '') {
      return {
        ok: false,
        reason: 'Authentication credentials were not provided: send Authorization: Basic base64(username:apikey)',
      };
    }
    const encoded = BASIC.exec(authorization)?.[1];
    const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
    const tenant = decoded.includes(':') ? this.#byCredentials.get(decoded) : undefined;
    if (tenant === undefined)
      return { ok: false, reason: 'Your API key is wrong or your account has been deactivated.' };
    return { ok: true, tenant };
  }
}
