/**
 * The UAA side of the CF emulator: `POST /oauth/token` with the `client_credentials` grant, as UAA answers it
 * (client authentication by HTTP Basic or by `client_id`/`client_secret` in the form body; `{"access_token",
 * "token_type": "bearer", "expires_in", "scope", "jti"}`; a bad client is 401 `{"error": "unauthorized"}`, another
 * grant is 400 `unsupported_grant_type`). Tokens are opaque (UAA's `token_format=opaque`) and expire after the
 * configured lifetime; Cloud Controller then refuses them with `CF-InvalidAuthToken` (auth.ts). `GET /` is Cloud
 * Controller's root document, whose `links.uaa` and `links.login` point here.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { EmulatorRouter } from '../shared/emulator.js';
import { readBody, sendJson } from '../shared/http.js';

interface IssuedToken<T> {
  store: T;
  expiresAt: number;
}

/** The tokens UAA issued, each bound to its client's tenant. */
export class UaaTokens<T> {
  readonly #issued = new Map<string, IssuedToken<T>>();
  /** Tokens issued so far (tests count refreshes with it). */
  issuedCount = 0;

  constructor(
    /** Client id → secret and tenant store. */
    private readonly clients: ReadonlyMap<string, { secret: string; store: T }>,
    private readonly lifetimeSeconds: number,
  ) {}

  issue(clientId: string, clientSecret: string): string | undefined {
    const client = this.clients.get(clientId);
    if (client === undefined || client.secret !== clientSecret) return undefined;
    const token = `uaa-${randomBytes(18).toString('base64url')}`;
    this.#issued.set(token, { store: client.store, expiresAt: Date.now() + this.lifetimeSeconds * 1000 });
    this.issuedCount += 1;
    return token;
  }

  /** The tenant of a live token; `expired` for one past its lifetime; undefined for one never issued. */
  lookup(token: string): T | 'expired' | undefined {
    const issued = this.#issued.get(token);
    if (issued === undefined) return undefined;
    return Date.now() < issued.expiresAt ? issued.store : 'expired';
  }

  /** Ends the life of every token issued so far, as if their lifetime had passed. */
  expireAll(): void {
    for (const issued of this.#issued.values()) issued.expiresAt = 0;
  }

  get lifetime(): number {
    return this.lifetimeSeconds;
  }
}

export function registerUaaRoutes(router: EmulatorRouter, baseUrl: string, tokens: UaaTokens<unknown>): void {
  router.on('GET', '/', (_req, res) =>
    sendJson(res, 200, {
      links: {
        self: { href: baseUrl },
        cloud_controller_v3: { href: `${baseUrl}/v3`, meta: { version: '3.180.0' } },
        login: { href: baseUrl },
        uaa: { href: baseUrl },
      },
    }),
  );
  router.on('POST', '/oauth/token', async (req, res) => {
    const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
    const client = clientOf(req, form);
    const token = client && tokens.issue(client.id, client.secret);
    if (!token) {
      sendJson(
        res,
        401,
        { error: 'unauthorized', error_description: 'Bad credentials' },
        { 'www-authenticate': 'Basic realm="UAA/client", error="unauthorized", error_description="Bad credentials"' },
      );
      return;
    }
    const grant = form.get('grant_type');
    if (grant !== 'client_credentials') {
      sendJson(res, 400, {
        error: 'unsupported_grant_type',
        error_description: `Unsupported grant type: ${grant ?? ''}`,
      });
      return;
    }
    sendJson(
      res,
      200,
      {
        access_token: token,
        token_type: 'bearer',
        expires_in: tokens.lifetime - 1,
        scope: 'cloud_controller.read cloud_controller.write',
        jti: randomBytes(16).toString('hex'),
      },
      { 'cache-control': 'no-store', pragma: 'no-cache' },
    );
  });
}

function clientOf(req: IncomingMessage, form: URLSearchParams): { id: string; secret: string } | undefined {
  const basic = /^basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    // RFC 6749 §2.3.1: both parts are form-urlencoded inside the Basic credentials.
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? { id, secret } : undefined;
}
