/**
 * Scrubs the request's secrets (see secrets.ts) out of every error before the response leaves: an upstream that
 * echoes a password back in a validation message must not deliver it to the client.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Context } from '../context.js';
import { secretsInDocument, secretsInVariables, type SecretSet } from '../secrets.js';

export function secretScrubbingPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue, request }) {
      contextValue.secrets.addAll(secretsInVariables(request.variables));
      return {
        async didResolveOperation({ contextValue: context, document }) {
          context.secrets.addAll(secretsInDocument(document));
        },
        async willSendResponse({ contextValue: context, response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors || context.secrets.size === 0)
            return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            scrubError(error, context.secrets),
          );
        },
      };
    },
  };
}

/** The error with every secret of `secrets` scrubbed from its message and string extensions. */
export function scrubError(error: GraphQLFormattedError, secrets: SecretSet): GraphQLFormattedError {
  const extensions = error.extensions
    ? Object.fromEntries(
        Object.entries(error.extensions).map(([key, value]) => [
          key,
          typeof value === 'string' ? secrets.scrub(value) : value,
        ]),
      )
    : undefined;
  return { ...error, message: secrets.scrub(error.message), ...(extensions ? { extensions } : {}) };
}
