/**
 * Typed client for Docker Cloud's external repositories and registries (docker-cloud-repository.md §2), under
 * `/api/repo/v1/[namespace/]`. Per request: it carries that request's credentials and trace through its
 * UpstreamCaller. Returns domain models and Page<T> only.
 *
 * Repository names and registry hosts go into the path verbatim, slashes unencoded, with the trailing slash every
 * Docker Cloud URL has (§1, §2). Callers validate them first (resolvers/validate.ts): a name must not be able to
 * leave its resource path.
 */
import { upstreamMalformed } from '../../errors.js';
import type { UpstreamCaller, UpstreamRequest } from '../shared/httpClient.js';
import type { Page, PageRequest } from '../shared/page.js';
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

/** `/api/repo/v1/` plus the namespace segment when one is given (§1 "Namespaced endpoints"). */
function root(namespace: string | null): string {
  return namespace ? `/api/repo/v1/${namespace}/` : '/api/repo/v1/';
}

function route(namespace: string | null, rest: string): string {
  return `/api/repo/v1/${namespace ? '{namespace}/' : ''}${rest}`;
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
    if (filter.registryHost) query.push(['registry', `${root(namespace)}registry/${filter.registryHost}/`]);
    const response = await this.caller.call({
      method: 'GET',
      path: `${root(namespace)}repository/`,
      route: route(namespace, 'repository/'),
      query,
    });
    return pageFromList(response.body, response.status, offset, page.first, (wire: WireRepository) =>
      decodeRepository(wire, namespace),
    );
  }

  async getRepository(name: string, namespace: string | null = null): Promise<DockerCloudRepository | null> {
    const response = await this.caller.callOrNull(this.#repositoryRequest('GET', name, namespace));
    return response ? decodeRepository(this.#object<WireRepository>(response.body, response.status), namespace) : null;
  }

  /** `POST …/repository/` `{name, username, password}` (§2); a repository added already answers 409 (§5). */
  async registerRepository(
    name: string,
    credentials: DockerCloudCredentials,
    namespace: string | null = null,
  ): Promise<DockerCloudRepository> {
    const response = await this.caller.call({
      method: 'POST',
      path: `${root(namespace)}repository/`,
      route: route(namespace, 'repository/'),
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
    const response = await this.caller.call({
      method: 'GET',
      path: `${root(namespace)}registry/`,
      route: route(namespace, 'registry/'),
      query,
    });
    return pageFromList(response.body, response.status, offset, page.first, (wire: WireRegistry) =>
      decodeRegistry(wire, namespace),
    );
  }

  /** `GET …/registry/<host>/`, the docs' example form (§2: the request line drops `repo/`, C). */
  async getRegistry(host: string, namespace: string | null = null): Promise<DockerCloudRegistry | null> {
    const response = await this.caller.callOrNull({
      method: 'GET',
      path: `${root(namespace)}registry/${host}/`,
      route: route(namespace, 'registry/{host}/'),
    });
    return response ? decodeRegistry(this.#object<WireRegistry>(response.body, response.status), namespace) : null;
  }

  #repositoryRequest(method: 'GET' | 'PATCH' | 'DELETE', name: string, namespace: string | null): UpstreamRequest {
    return { method, path: `${root(namespace)}repository/${name}/`, route: route(namespace, 'repository/{name}/') };
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
