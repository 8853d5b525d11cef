/**
 * Domain inputs → Cycle request bodies (cycle.md §4 CreateImageSource / updateImageSource, §5 ImageOrigin). Keys a
 * caller left out are left out of the body, so an update changes only what was given.
 */
import type {
  CycleAclInput,
  CycleOciAuthInput,
  CycleOriginInput,
  CycleSourceInput,
  CycleSourceUpdate,
} from './types.js';

type Body = Record<string, unknown>;

/** Drops undefined and null values: Cycle treats an absent key as "unchanged". */
function compact(body: Body): Body {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined && value !== null));
}

function existing(id: string | null | undefined): Body {
  return id ? { existing: { source_id: id } } : {};
}

export function encodeOrigin(origin: CycleOriginInput): Body {
  switch (origin.type) {
    case 'docker-hub':
      return {
        type: origin.type,
        details: compact({
          target: origin.target,
          username: origin.username,
          token: origin.token,
          ...existing(origin.existingSourceId),
        }),
      };
    case 'docker-registry':
      return {
        type: origin.type,
        details: compact({
          target: origin.target,
          url: origin.url,
          username: origin.username,
          token: origin.token,
          password: origin.password,
          ...existing(origin.existingSourceId),
        }),
      };
    case 'oci-registry':
      return {
        type: origin.type,
        details: compact({
          target: origin.target,
          url: origin.url,
          auth: origin.auth ? encodeOciAuth(origin.auth) : null,
          ...existing(origin.existingSourceId),
        }),
      };
    case 'docker-file':
      return {
        type: origin.type,
        details: compact({
          repo: origin.repo
            ? compact({
                url: origin.repo.url,
                branch: origin.repo.branch,
                ref: origin.repo.ref,
                auth: origin.repo.auth
                  ? origin.repo.auth.type === 'http'
                    ? {
                        type: 'http',
                        credentials: { username: origin.repo.auth.username, password: origin.repo.auth.password },
                      }
                    : {
                        type: 'ssh',
                        credentials: compact({
                          username: origin.repo.auth.username,
                          private_key: origin.repo.auth.privateKey,
                          passphrase: origin.repo.auth.passphrase,
                        }),
                      }
                  : null,
              })
            : null,
          targz_url: origin.targzUrl,
          context_dir: origin.contextDir,
          build_file: origin.buildFile,
          credentials: origin.credentials?.map((c) => compact({ url: c.url, username: c.username, token: c.token })),
          ...existing(origin.existingSourceId),
        }),
      };
    case 'cycle-upload':
      return { type: origin.type, details: compact({ expires: origin.expires, token: origin.token }) };
    case 'none':
      return { type: 'none' };
  }
}

function encodeOciAuth(auth: CycleOciAuthInput): Body {
  switch (auth.type) {
    case 'user':
      return { type: 'user', details: { username: auth.username, token: auth.token } };
    case 'provider':
      return {
        type: 'provider',
        details: {
          flavor: auth.flavor,
          credentials: compact({
            region: auth.region,
            namespace: auth.namespace,
            api_key: auth.apiKey,
            secret: auth.secret,
            subscription_id: auth.subscriptionId,
            client_id: auth.clientId,
            config: auth.config,
          }),
        },
      };
    case 'webhook':
      return { type: 'webhook', details: { url: auth.url } };
  }
}

export function encodeAcl(acl: readonly CycleAclInput[] | null): Body | null {
  if (acl === null) return null;
  return {
    roles: Object.fromEntries(
      acl.map((entry) => [entry.roleId, { view: entry.view, modify: entry.modify, manage: entry.manage }]),
    ),
  };
}

export function encodeSource(input: CycleSourceInput): Body {
  return compact({
    name: input.name,
    identifier: input.identifier,
    type: input.type,
    origin: input.origin ? encodeOrigin(input.origin) : null,
    builder:
      input.builderIntegrationId !== undefined && input.builderIntegrationId !== null
        ? { integration_id: input.builderIntegrationId }
        : null,
    about: input.description !== undefined && input.description !== null ? { description: input.description } : null,
    acl: input.acl ? encodeAcl(input.acl) : null,
  });
}

/** `PATCH /v1/images/sources/{id}` (cycle.md §4 row 12): absent keys are left out, explicit nulls sent as null. */
export function encodeSourceUpdate(changes: CycleSourceUpdate): Body {
  const body: Body = {};
  if (changes.name !== undefined) body.name = changes.name;
  if (changes.identifier !== undefined) body.identifier = changes.identifier;
  if (changes.origin !== undefined) body.origin = encodeOrigin(changes.origin);
  if (changes.builderIntegrationId !== undefined)
    body.builder = changes.builderIntegrationId === null ? null : { integration_id: changes.builderIntegrationId };
  if (changes.description !== undefined) body.about = { description: changes.description };
  return body;
}
