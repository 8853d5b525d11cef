/** Docker Cloud's namespace rule (dockercloud.md §1, §2), for the resolvers' input checks and the context alike. */

const NAMESPACE = /^[a-z0-9][a-z0-9_.-]{0,254}$/i;
/** `repository` and `registry` would be read as the resource, not a namespace (the routes of §2 share the prefix). */
const RESERVED_NAMESPACES = new Set(['repository', 'registry']);

/** Whether a value can name a Docker Cloud namespace (a user or organisation name, §1): one path segment. */
export function isDockerCloudNamespace(value: string): boolean {
  return NAMESPACE.test(value) && !RESERVED_NAMESPACES.has(value.toLowerCase()) && !value.includes('..');
}
