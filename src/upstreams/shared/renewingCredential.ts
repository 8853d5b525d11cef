/**
 * A service credential that changes over time (an OAuth access token): the caller asks it for the headers of each
 * attempt, and tells it when the upstream refused them (401), so that it renews once for every request that saw the
 * same refusal. Static credentials are plain header records.
 */
import type { RequestDeadline } from './deadline.js';

export interface RenewingCredential {
  readonly kind: 'renewing';
  /** The headers to send now: a cached token, renewed first when it has expired or is about to. */
  headers(deadline: RequestDeadline): Promise<Readonly<Record<string, string>>>;
  /** The upstream refused `headers`: forget them, unless a renewal already replaced them. */
  refused(headers: Readonly<Record<string, string>>): void;
}

/** What an upstream call authenticates with: fixed headers, or headers renewed over time. */
export type UpstreamCredential = Readonly<Record<string, string>> | RenewingCredential;

export function isRenewing(credential: UpstreamCredential): credential is RenewingCredential {
  return (credential as { kind?: unknown }).kind === 'renewing';
}
