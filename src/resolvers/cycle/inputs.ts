/** GraphQL inputs of the Cycle mutations → the Cycle client's domain inputs ("one of" inputs checked here). */
import type {
  AclEntryInput,
  CreateImageSourceInput,
  GitAuthInput,
  ImageOriginInput,
  OciRegistryAuthInput,
  UpdateImageSourceInput,
} from '../../__generated__/resolvers-types.js';
import { badUserInput } from '../../errors.js';
import type {
  CycleOciAuthInput,
  CycleOriginInput,
  CycleSourceInput,
  CycleSourceUpdate,
} from '../../upstreams/cycle/index.js';
import { cycleId, exactlyOne, imageReference } from '../validate.js';

export function originInput(input: ImageOriginInput): CycleOriginInput {
  switch (exactlyOne(input, 'origin')) {
    case 'dockerHub': {
      const o = input.dockerHub!;
      return {
        type: 'docker-hub',
        target: imageReference(o.target, 'origin.dockerHub.target'),
        username: o.username,
        token: o.token,
        existingSourceId: optionalId(o.existingSourceId),
      };
    }
    case 'dockerRegistry': {
      const o = input.dockerRegistry!;
      return {
        type: 'docker-registry',
        target: o.target,
        url: o.url,
        username: o.username,
        token: o.token,
        password: o.password,
        existingSourceId: optionalId(o.existingSourceId),
      };
    }
    case 'ociRegistry': {
      const o = input.ociRegistry!;
      return {
        type: 'oci-registry',
        target: o.target,
        url: o.url,
        auth: o.auth ? ociAuthInput(o.auth) : null,
        existingSourceId: optionalId(o.existingSourceId),
      };
    }
    case 'dockerFile': {
      const o = input.dockerFile!;
      return {
        type: 'docker-file',
        repo: o.repo
          ? {
              url: o.repo.url,
              branch: o.repo.branch,
              ref: o.repo.ref,
              auth: o.repo.auth ? gitAuthInput(o.repo.auth) : null,
            }
          : null,
        targzUrl: o.targzUrl,
        contextDir: o.contextDir,
        buildFile: o.buildFile,
        credentials: o.credentials,
        existingSourceId: optionalId(o.existingSourceId),
      };
    }
    case 'cycleUpload': {
      const o = input.cycleUpload!;
      if ((o.expires === undefined || o.expires === null) !== (o.token === undefined || o.token === null))
        throw badUserInput('`origin.cycleUpload` takes `expires` and `token` together, or neither', {
          argument: 'origin.cycleUpload',
        });
      return { type: 'cycle-upload', expires: o.expires, token: o.token };
    }
    case 'none':
      return { type: 'none' };
  }
}

function ociAuthInput(input: OciRegistryAuthInput): CycleOciAuthInput {
  switch (exactlyOne(input, 'origin.ociRegistry.auth')) {
    case 'user':
      return { type: 'user', ...input.user! };
    case 'provider':
      return { type: 'provider', ...input.provider!, flavor: input.provider!.flavor ?? 'ecr' };
    case 'webhook':
      return { type: 'webhook', url: input.webhook!.url };
  }
}

function gitAuthInput(
  input: GitAuthInput,
): NonNullable<NonNullable<Extract<CycleOriginInput, { type: 'docker-file' }>['repo']>['auth']> {
  return exactlyOne(input, 'origin.dockerFile.repo.auth') === 'http'
    ? { type: 'http', ...input.http! }
    : {
        type: 'ssh',
        username: input.ssh!.username,
        privateKey: input.ssh!.privateKey,
        passphrase: input.ssh!.passphrase,
      };
}

function optionalId(id: string | null | undefined): string | null {
  return id ? cycleId(id, 'existingSourceId') : null;
}

export function aclInput(acl: readonly AclEntryInput[] | null | undefined): CycleSourceInput['acl'] {
  return acl ? acl.map((entry) => ({ ...entry, roleId: cycleId(entry.roleId, 'acl.roleId') })) : null;
}

/** A new source: Cycle requires `type` and `origin` (cycle.md §4); the type defaults to `direct`. */
export function createSourceInput(input: CreateImageSourceInput): CycleSourceInput {
  return {
    name: input.name,
    identifier: input.identifier,
    builderIntegrationId: input.builderIntegrationId,
    description: input.description,
    type: input.type ?? 'direct',
    origin: originInput(input.origin),
    acl: aclInput(input.acl),
  };
}

/**
 * Changes to a source: only the fields given. An explicit null clears `identifier`, the builder or the description
 * (the spec types them nullable, cycle.md §4 row 12); `name` and `origin` are not nullable there.
 */
export function updateSourceInput(input: UpdateImageSourceInput): CycleSourceUpdate {
  for (const field of ['name', 'origin'] as const)
    if (input[field] === null)
      throw badUserInput(`\`input.${field}\` cannot be cleared: leave it out to keep it`, {
        argument: `input.${field}`,
      });
  const changes: CycleSourceUpdate = {};
  if (input.name !== undefined && input.name !== null) changes.name = input.name;
  if (input.origin !== undefined && input.origin !== null) changes.origin = originInput(input.origin);
  if (input.identifier !== undefined) changes.identifier = input.identifier;
  if (input.builderIntegrationId !== undefined) changes.builderIntegrationId = input.builderIntegrationId;
  if (input.description !== undefined) changes.description = input.description;
  return changes;
}
