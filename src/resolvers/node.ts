/**
 * Relay's `Node` (schema/node.graphql): `nodeId` on every entity, and `node(id)` / `nodes(ids)` that read global ids
 * through the per-request loaders, so `nodes` batches exactly like federation `_entities` (CF `guids=` requests;
 * one deduplicated GET per distinct Cycle or Docker Cloud key).
 *
 * Unknown and invalid ids: a well-formed global id the upstream does not know reads as null, without an error (Relay's
 * contract for `node`). An id this graph could not have issued (not a global id, unknown type, or a key that cannot be
 * sent to the upstream: validate.ts) reads as null with a BAD_USER_INPUT error at its path: a client bug worth seeing.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers, ResolversParentTypes } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { badUserInput } from '../errors.js';
import { fromGlobalId, namespacedKey, parseNamespacedKey, toGlobalId, type NodeTypeName } from './globalId.js';
import { selectedFields } from './lookahead.js';
import { isSendableCfGuid, isSendableId, namespace, registryHost, repositoryName } from './validate.js';

/**
 * The Node type of each object `node`/`nodes` returned. Loaders return plain domain models, which carry no GraphQL
 * type name; weak, so it holds nothing once a request's objects are gone.
 */
const nodeTypeOf = new WeakMap<NodeModel, NodeTypeName>();

/** What a Node is before its fields resolve: one of the domain models (codegen mappers). */
type NodeModel = ResolversParentTypes['Node'];

/** The value of a check that throws on bad input, or null. */
function validOrNull<T>(check: () => T): T | null {
  try {
    return check();
  } catch {
    return null;
  }
}

/** Loads one node; null when the key cannot be one of that type's (the caller reports it as invalid). */
function loadByKey(
  ctx: Context,
  type: NodeTypeName,
  key: string,
  info: GraphQLResolveInfo,
): Promise<NodeModel | null> | null {
  switch (type) {
    case 'Image':
      return isSendableId(key) ? ctx.loaders.cycle.image(selectedFields(info, 'Image')).load(key) : null;
    case 'ImageSource':
      return isSendableId(key) ? ctx.loaders.cycle.source(selectedFields(info, 'ImageSource')).load(key) : null;
    case 'CycleJob':
      return isSendableId(key) ? ctx.loaders.cycle.job.load(key) : null;
    case 'CfJob':
      return isSendableCfGuid(key) ? ctx.loaders.cf.job.load(key) : null;
    case 'Package':
      return isSendableCfGuid(key) ? ctx.loaders.cf.package.load(key) : null;
    case 'App':
      return isSendableCfGuid(key) ? ctx.loaders.cf.app.load(key) : null;
    case 'Repository': {
      const { name, namespace: ns } = parseNamespacedKey(key);
      const checked = validOrNull(() => ({ name: repositoryName(name), ns: namespace(ns) }));
      return checked && ctx.loaders.dockercloud.repository(checked.ns).load(checked.name);
    }
    case 'Registry': {
      const { name: host, namespace: ns } = parseNamespacedKey(key);
      const checked = validOrNull(() => ({ host: registryHost(host), ns: namespace(ns) }));
      return checked && ctx.loaders.dockercloud.registry(checked.ns).load(checked.host);
    }
  }
}

async function loadNode(
  ctx: Context,
  id: string,
  info: GraphQLResolveInfo,
  argument: string,
): Promise<NodeModel | null> {
  const decoded = fromGlobalId(id);
  const loading = decoded && loadByKey(ctx, decoded.type, decoded.key, info);
  if (!decoded || !loading) {
    throw badUserInput(`\`${argument}\` must hold global ids of this graph (the \`nodeId\` of an object)`, {
      argument,
    });
  }
  const node = await loading;
  if (node) nodeTypeOf.set(node, decoded.type);
  return node;
}

export const nodeResolvers = {
  Query: {
    node: (_parent, args, ctx, info) => loadNode(ctx, args.id, info, 'id'),
    // One promise per id, all started before any settles: the loaders see them as one batch. Each settles on its
    // own, so one failure nulls one entry. (graphql-js awaits a promise of null per item; codegen's item type has no
    // such member, hence the cast.)
    nodes: (_parent, args, ctx, info) => args.ids.map((id) => loadNode(ctx, id, info, 'ids') as Promise<NodeModel>),
  },
  Node: {
    __resolveType: (node) => {
      const type = nodeTypeOf.get(node);
      if (!type) throw new Error('Node.__resolveType: the object was not loaded through node() or nodes()');
      return type;
    },
  },
  Image: { nodeId: (image) => toGlobalId('Image', image.id) },
  ImageSource: { nodeId: (source) => toGlobalId('ImageSource', source.id) },
  CycleJob: { nodeId: (job) => toGlobalId('CycleJob', job.id) },
  CfJob: { nodeId: (job) => toGlobalId('CfJob', job.guid) },
  Package: { nodeId: (pkg) => toGlobalId('Package', pkg.guid) },
  App: { nodeId: (app) => toGlobalId('App', app.guid) },
  // The own namespace is named (the caller's user), so one id never stands for two tenants' objects.
  Repository: {
    nodeId: (repository, _args, ctx) =>
      toGlobalId('Repository', namespacedKey(repository.name, ctx.loaders.dockercloud.namespaceOf(repository))),
  },
  Registry: {
    nodeId: (registry, _args, ctx) =>
      toGlobalId('Registry', namespacedKey(registry.host, ctx.loaders.dockercloud.namespaceOf(registry))),
  },
} satisfies Resolvers;
