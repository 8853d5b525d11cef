/**
 * Relay global ids (`nodeId`): base64url (RFC 4648 §5, no padding) of `<Type>:<key>`, where `<key>` is the entity's
 * upstream key. Opaque to clients; the decoder accepts only the canonical encoding, so each object has exactly one
 * global id. Docker Cloud entities read in a namespace other than the caller's own carry it as
 * `<name>?namespace=<namespace>` (neither repository names nor registry hosts can contain `?`: validate.ts).
 */

/** The types that implement `Node` (schema/node.graphql). */
export const NODE_TYPES = [
  'Image',
  'ImageSource',
  'CycleJob',
  'CfJob',
  'Package',
  'App',
  'Repository',
  'Registry',
] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function toGlobalId(type: NodeTypeName, key: string): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

/** The type and key of a global id; null when `id` is not one this graph issued (not canonical, unknown type, no key). */
export function fromGlobalId(id: string): { type: NodeTypeName; key: string } | null {
  if (!BASE64URL.test(id)) return null;
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  if (Buffer.from(decoded, 'utf8').toString('base64url') !== id) return null;
  const colon = decoded.indexOf(':');
  const type = decoded.slice(0, colon);
  const key = decoded.slice(colon + 1);
  if (colon < 0 || key === '' || !(NODE_TYPES as readonly string[]).includes(type)) return null;
  return { type: type as NodeTypeName, key };
}

const NAMESPACE_SUFFIX = '?namespace=';

/** The key part for a Docker Cloud entity: its name or host, and the namespace it was read in unless it is the caller's own. */
export function namespacedKey(name: string, namespace: string | null): string {
  return namespace === null ? name : `${name}${NAMESPACE_SUFFIX}${namespace}`;
}

export function parseNamespacedKey(key: string): { name: string; namespace: string | null } {
  const at = key.indexOf(NAMESPACE_SUFFIX);
  return at < 0
    ? { name: key, namespace: null }
    : { name: key.slice(0, at), namespace: key.slice(at + NAMESPACE_SUFFIX.length) };
}
