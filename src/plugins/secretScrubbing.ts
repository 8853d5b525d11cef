/**
 * Scrubs the request's secrets (secrets.ts: service credentials, credential headers, values given to `@secret`
 * inputs) out of everything the response carries: an upstream that echoes a password or the gateway's own API key
 * back in a message must not deliver it to the client. The operation's secret inputs are collected as soon as its
 * document is known (secretInputs.ts), before validation reports on its literals or execution coerces its variables.
 */
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Context } from '../context.js';
import { SecretInputs } from '../secretInputs.js';
import { MAX_REQUEST_SECRETS, type SecretSet } from '../secrets.js';

export function tooManySecretsError(): GraphQLError {
  return new GraphQLError(
    `An operation may give secret inputs (passwords, tokens, keys) at most ${MAX_REQUEST_SECRETS} values`,
    { extensions: { code: 'BAD_USER_INPUT', max: MAX_REQUEST_SECRETS, http: { status: 400 } } },
  );
}

export function secretScrubbingPlugin(schema: GraphQLSchema): ApolloServerPlugin<Context> {
  const inputs = new SecretInputs(schema);
  return {
    async requestDidStart() {
      let collected = false;
      const collect = ({ contextValue, document, request }: GraphQLRequestContext<Context>) => {
        if (collected || !document) return;
        collected = true;
        if (!inputs.collect(document, request.variables, contextValue.secrets)) throw tooManySecretsError();
      };
      return {
        // A document Apollo validated before skips validation: then didResolveOperation collects.
        async validationDidStart(requestContext) {
          try {
            collect(requestContext);
          } catch {
            // Refused in didResolveOperation, once the document is valid; the secrets seen so far are kept.
          }
        },
        async didResolveOperation(requestContext) {
          collect(requestContext);
          if (requestContext.contextValue.secrets.overflowed) throw tooManySecretsError();
        },
        // Errors here, before the request line is logged; the whole answer again as text (http/graphql.ts).
        async willSendResponse({ contextValue: context, response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            scrubError(error, context.secrets),
          );
        },
      };
    },
  };
}

/** The error with every secret of `secrets` scrubbed from its message and its extensions. */
export function scrubError(error: GraphQLFormattedError, secrets: SecretSet): GraphQLFormattedError {
  return scrubValue(error, secrets) as GraphQLFormattedError;
}

/**
 * A JSON answer (its text) scrubbed of `secrets`: returned as it is when it holds none (one search per secret), else
 * parsed, scrubbed string by string (keys too) and serialised again, so that a replacement never breaks the JSON.
 */
export function scrubJsonText(text: string, secrets: SecretSet): string {
  if (!secrets.foundIn(text)) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return secrets.scrub(text);
  }
  return JSON.stringify(scrubValue(parsed, secrets));
}

/**
 * Whether any string or key of `value` (JSON data) holds a secret of `secrets`: read in place, without recursion or
 * a copy (a JSON text would escape a secret holding a quote, a backslash or a control character, and be searched in
 * vain).
 */
export function holdsSecret(value: unknown, secrets: SecretSet): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (secrets.foundIn(next)) return true;
    } else if (Array.isArray(next)) {
      for (const entry of next) pending.push(entry);
    } else if (next !== null && typeof next === 'object') {
      for (const [name, entry] of Object.entries(next)) {
        if (secrets.foundIn(name)) return true;
        pending.push(entry);
      }
    }
  }
  return false;
}

/** `value` (JSON data) with every secret scrubbed from its strings and keys: a copy, built without recursion. */
export function scrubValue(value: unknown, secrets: SecretSet): unknown {
  if (typeof value === 'string') return secrets.scrub(value);
  if (value === null || typeof value !== 'object') return value;
  const root: { value: unknown } = { value: undefined };
  const pending: { from: unknown; into: Record<string, unknown> | unknown[]; key: string | number }[] = [
    { from: value, into: root as unknown as Record<string, unknown>, key: 'value' },
  ];
  while (pending.length > 0) {
    const { from, into, key } = pending.pop()!;
    let copy: unknown = from;
    if (typeof from === 'string') copy = secrets.scrub(from);
    else if (Array.isArray(from)) {
      const list: unknown[] = new Array<unknown>(from.length);
      from.forEach((entry, index) => pending.push({ from: entry, into: list, key: index }));
      copy = list;
    } else if (from !== null && typeof from === 'object') {
      const object: Record<string, unknown> = {};
      for (const [name, entry] of Object.entries(from)) {
        const scrubbed = secrets.scrub(name);
        object[scrubbed] = null; // keeps the key order; filled when its entry is popped
        pending.push({ from: entry, into: object, key: scrubbed });
      }
      copy = object;
    }
    (into as Record<string | number, unknown>)[key] = copy;
  }
  return root.value;
}
