/**
 * The route table (§2). Every resource exists twice: without and with the optional namespace segment
 * (`/api/repo/v1/[ns/]repository/`). Names with slashes are captured by find-my-way wildcards (`*`).
 *
 * Namespace vs. resource: find-my-way prefers a static segment over a parameter, so `/api/repo/v1/repository/…`
 * and `/api/repo/v1/registry/…` are always the un-namespaced resources, never a namespace called `repository` or
 * `registry` (those two names are in effect reserved; Django would resolve the same way with the un-namespaced
 * patterns listed first). E.g. `/api/repo/v1/repository/repository/` asks for a repository named `repository`,
 * which is not a valid name, hence 404.
 *
 * Every method is registered on every resource path, so a method the resource does not implement gets Docker
 * Cloud's 405 (registries are read-only) rather than find-my-way's default 404.
 */
import type { EmulatorRouter } from '../shared/emulator.js';
import type { Accounts } from './auth.js';
import {
  apiRoute,
  appendSlash,
  methodNotAllowed,
  requireTrailingSlash,
  type ApiOperation,
  type RouteHandler,
} from './pipeline.js';
import { getRegistry, listRegistries } from './registryRoutes.js';
import {
  createRepository,
  deleteRepository,
  getRepository,
  listRepositories,
  updateRepository,
} from './repositoryRoutes.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

const PREFIXES = ['/api/repo/v1/', '/api/repo/v1/:namespace/'] as const;

export function registerRoutes(router: EmulatorRouter, accounts: Accounts): void {
  const resource = (
    path: string,
    operations: Partial<Record<Method, ApiOperation>>,
    wrap = (h: RouteHandler) => h,
  ): void => {
    // Django answers HEAD with the GET view (node:http drops the body of a HEAD response).
    const withHead = operations.GET ? { ...operations, HEAD: operations.GET } : operations;
    const notAllowed = methodNotAllowed(Object.keys(withHead));
    for (const method of METHODS) {
      const operation = withHead[method];
      router.on(method, path, wrap(operation ? apiRoute(accounts, operation) : notAllowed));
    }
  };
  for (const prefix of PREFIXES) {
    resource(`${prefix}repository/`, { GET: listRepositories, POST: createRepository });
    resource(
      `${prefix}repository/*`,
      { GET: getRepository, PATCH: updateRepository, DELETE: deleteRepository },
      requireTrailingSlash,
    );
    resource(`${prefix}registry/`, { GET: listRegistries });
    resource(`${prefix}registry/*`, { GET: getRegistry }, requireTrailingSlash);
    // The list URLs without their trailing slash (detail URLs are handled by requireTrailingSlash).
    for (const bare of [`${prefix}repository`, `${prefix}registry`]) {
      for (const method of METHODS) router.on(method, bare, appendSlash);
    }
  }
}
