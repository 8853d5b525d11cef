/**
 * Upstream request paths, each built from one declaration: the declaration is the route template that names the
 * operation in metrics, logs and spans (bounded, free of ids), and the path is the same template with every
 * parameter encoded. No value from data (an id, a guid, a repository name) reaches a path any other way, so none
 * can leave its segment or make a request the HTTP client refuses.
 *
 * Declarations use the OpenAPI path syntax the upstreams' specs use:
 * - `{name}`: one path segment, percent-encoded (`/` included);
 * - `{name+}`: one or more segments (a Docker Cloud repository name such as `quay.io/acme/api`, which goes into the
 *   path with its slashes, docker-cloud-repository.md §2): each segment is encoded, the slashes between them kept;
 * - `?key={name}` after the path: query parameters, encoded with the rest of the query by the HTTP client.
 */
import type { QueryParams } from './httpClient.js';

export interface Route {
  /** The path below the upstream's base URL, every parameter encoded. */
  readonly path: string;
  /** The declaration as written, e.g. `/v1/images/{imageId}`. */
  readonly template: string;
  /** Query parameters the declaration names (`?source_guid={sourceGuid}`), in order. */
  readonly query?: QueryParams;
  /**
   * Why the path could not be built, when a parameter cannot be a path segment (empty, `.`, `..`, or not well-formed
   * Unicode): the caller then refuses the request before anything is sent (httpClient.ts), failing the field that
   * asked.
   */
  readonly refused?: string;
}

const PARAMETER = /\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}/g;

/** `route('/v1/images/{imageId}', { imageId })` → `{ path: '/v1/images/5f…', template: '/v1/images/{imageId}' }`. */
export function route(template: string, params: Readonly<Record<string, string>> = {}): Route {
  const [pathTemplate, queryTemplate] = splitOnce(template, '?');
  const problems: string[] = [];
  const path = pathTemplate.replace(PARAMETER, (_match, name: string, greedy: string) => {
    const value = parameter(params, name, template);
    const segments = greedy ? value.split('/') : [value];
    if (segments.some((segment) => segment === '' || segment === '.' || segment === '..'))
      problems.push(`\`${name}\` ${greedy ? 'has an empty, `.` or `..` segment' : 'is empty, `.` or `..`'}`);
    try {
      return segments.map(encodePathSegment).join('/');
    } catch {
      // URIError: a lone surrogate has no UTF-8 form to percent-encode.
      problems.push(`\`${name}\` is not well-formed Unicode`);
      return '';
    }
  });
  const built: { -readonly [K in keyof Route]: Route[K] } = { path, template };
  if (queryTemplate !== undefined) built.query = queryParams(queryTemplate, params, template);
  if (problems.length > 0) built.refused = `the ${problems.join(' and ')}: it cannot go in a request path`;
  return built;
}

/**
 * A path segment as RFC 3986 §3.3 allows it: everything percent-encoded except unreserved characters and the
 * sub-delimiters, `:` and `@` a segment may hold as they are (a registry host's `:port` stays readable).
 */
export function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%(?:24|26|2B|2C|3A|3B|3D|40)/g, (escape) => decodeURIComponent(escape));
}

function queryParams(queryTemplate: string, params: Readonly<Record<string, string>>, template: string): QueryParams {
  return queryTemplate.split('&').map((pair): [string, string] => {
    const [key, value = ''] = splitOnce(pair, '=');
    const name = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value)?.[1];
    return [key, name ? parameter(params, name, template) : value];
  });
}

function parameter(params: Readonly<Record<string, string>>, name: string, template: string): string {
  const value = params[name];
  // A declaration naming a parameter its caller does not pass is a bug in the client, not a bad value.
  if (typeof value !== 'string') throw new TypeError(`route ${template}: no value for {${name}}`);
  return value;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
