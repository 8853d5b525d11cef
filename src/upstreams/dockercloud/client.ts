/**
 * Typed client for Docker Cloud's external repositories and registries (docker-cloud-repository.md §2), under
 * `/api/repo/v1/[namespace/]`. Per request: it carries that request's credentials and trace through its
 * UpstreamCaller. Returns domain models and Page<T> only.
 *
 * Repository names go into the path with their slashes unencoded (`…/repository/quay.io/acme/api/`, §2), each
 * segment encoded (route.ts `{name+}`), with the trailing slash every Docker Cloud URL has (§1). Resolvers validate
 * names first (resolvers/validate.ts); the encoding keeps any other value, such as a name read from a list, inside
 * its resource path too.
 */
import { upstreamMalformed } from '../../errors.js';
import type { UpstreamCaller, UpstreamRequest } from '../shared/httpClient.js';
import type { Page, PageRequest } from '../shared/page.js';
import { decodeItem } from '../shared/listItems.js';
import { route, type Route } from '../shared/route.js';
import { decodeRegistry, decodeRepository } from './decode.js';
import { pageFromList, pageParams } from './paging.js';
import type {
  DockerCloudCredentials,
  DockerCloudRegistry,
  DockerCloudRegistryFilter,
  DockerCloudRepository,
  DockerCloudRepositoryFilter,
} from './types.js';
import type { WireRegistry, WireRepository } from './wire.js';

/** A route under `/api/repo/v1/`, with the namespace segment when one is given (§1 "Namespaced endpoints"). */
function dockerCloudRoute(namespace: string | null, rest: string, params: Record<string, string> = {}): Route {
  return namespace
    ? route(`/api/repo/v1/{namespace}/${rest}`, { ...params, namespace })
    : route(`/api/repo/v1/${rest}`, params);
}

function credentialsBody(credentials: DockerCloudCredentials): Record<string, string> {
  const body: Record<string, string> = {};
  if (credentials.username !== undefined && credentials.username !== null) body.username = credentials.username;
  if (credentials.password !== undefined && credentials.password !== null) body.password = credentials.password;
  return body;
}

export class DockerCloudClient {
  constructor(private readonly caller: UpstreamCaller) {}

  /** Only repositories on third-party registries are listed; Docker Hub ones can be read by name only (§3, [iss23]). */
  async listRepositories(
    page: PageRequest,
    filter: DockerCloudRepositoryFilter = {},
    namespace: string | null = null,
  ): Promise<Page<DockerCloudRepository>> {
    const { offset, query } = pageParams(page);
    if (filter.name) query.push(['name', filter.name]);
    // The `registry` filter takes "the resource URI of the registry" (repository.md).
    if (filter.registryHost)
      query.push(['registry', dockerCloudRoute(namespace, 'registry/{host}/', { host: filter.registryHost }).path]);
    const response = await this.caller.call({
      method: 'GET',
      route: dockerCloudRoute(namespace, 'repository/'),
      query,
    });
    return pageFromList(response.body, response.status, offset, page.first, (wire: WireRepository) =>
      decodeRepository(wire, namespace),
    );
  }

  async getRepository(name: string, namespace: string | null = null): Promise<DockerCloudRepository | null> {
    const response = await this.caller.callOrNull(this.#repositoryRequest('GET', name, namespace));
    return response
      ? decodeItem(
          'dockercloud',
          response.status,
          this.#object<WireRepository>(response.body, response.status),
          (wire: WireRepository) => decodeRepository(wire, namespace),
        )
      : null;
  }

  /** `POST …/repository/` `{name, username, password}` (§2); a repository added already answers 409 (§5). */
  async registerRepository(
    name: string,
    credentials: DockerCloudCredentials,
    namespace: string | null = null,
  ): Promise<DockerCloudRepository> {
    const response = await this.caller.call({
      method: 'POST',
      route: dockerCloudRoute(namespace, 'repository/'),
      json: { name, ...credentialsBody(credentials) },
    });
    return this.#repositoryOrRead(response.body, response.status, name, namespace);
  }

  /** `PATCH …/repository/<name>/` `{username, password}` (§2 "Update credentials"). */
  async updateRepositoryCredentials(
    name: string,
    credentials: DockerCloudCredentials,
    namespace: string | null = null,
  ): Promise<DockerCloudRepository> {
    const response = await this.caller.call({
      ...this.#repositoryRequest('PATCH', name, namespace),
      json: credentialsBody(credentials),
    });
    return this.#repositoryOrRead(response.body, response.status, name, namespace);
  }

  /** `DELETE …/repository/<name>/`: 202 or 204 (§2, I). Docker Cloud forgets it; the registry keeps the images. */
  async removeRepository(name: string, namespace: string | null = null): Promise<void> {
    await this.caller.call(this.#repositoryRequest('DELETE', name, namespace));
  }

  async listRegistries(
    page: PageRequest,
    filter: DockerCloudRegistryFilter = {},
    namespace: string | null = null,
  ): Promise<Page<DockerCloudRegistry>> {
    const { offset, query } = pageParams(page);
    if (filter.name) query.push(['name', filter.name]);
    if (filter.host) query.push(['host', filter.host]);
    if (filter.uuid) query.push(['uuid', filter.uuid]);
    if (filter.isDockerRegistry !== undefined && filter.isDockerRegistry !== null)
      query.push(['is_docker_registry', String(filter.isDockerRegistry)]);
    const response = await this.caller.call({ method: 'GET', route: dockerCloudRoute(namespace, 'registry/'), query });
    return pageFromList(response.body, response.status, offset, page.first, (wire: WireRegistry) =>
      decodeRegistry(wire, namespace),
    );
  }

  /** `GET …/registry/<host>/`, the docs' example form (§2: the request line drops `repo/`, C). */
  async getRegistry(host: string, namespace: string | null = null): Promise<DockerCloudRegistry | null> {
    const response = await this.caller.callOrNull({
      method: 'GET',
      route: dockerCloudRoute(namespace, 'registry/{host}/', { host }),
    });
    return response
      ? decodeItem(
          'dockercloud',
          response.status,
          this.#object<WireRegistry>(response.body, response.status),
          (wire: WireRegistry) => decodeRegistry(wire, namespace),
        )
      : null;
  }

  #repositoryRequest(method: 'GET' | 'PATCH' | 'DELETE', name: string, namespace: string | null): UpstreamRequest {
    return { method, route: dockerCloudRoute(namespace, 'repository/{name+}/', { name }) };
  }

  /** The statuses of POST/PATCH are inferred (§2, I): a body-less success is followed by a read. */
  async #repositoryOrRead(
    body: unknown,
    status: number,
    name: string,
    namespace: string | null,
  ): Promise<DockerCloudRepository> {
    if (isObjectWith(body, 'name')) return decodeRepository(body as unknown as WireRepository, namespace);
    const read = await this.getRepository(name, namespace);
    if (!read) throw upstreamMalformed('dockercloud', status, 'the repository was accepted but cannot be read back');
    return read;
  }

  #object<T>(body: unknown, status: number): T {
    if (!isObjectWith(body, 'resource_uri'))
      throw upstreamMalformed('dockercloud', status, 'expected a resource object');
    return body as T;
  }
}

function isObjectWith(body: unknown, key: string): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && key in body;
}
