/**
 * Typed client for Cloud Foundry v3 Packages, Apps, Droplets (per package) and Jobs (cf-v3-packages.md §2). Per
 * request: it carries that request's credentials and trace through its UpstreamCaller. Returns domain models and
 * Page<T> only.
 */
import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import { isUpstreamError, upstreamMalformed, UpstreamError } from '../../errors.js';
import type { QueryParams, UpstreamCaller, UpstreamRequest } from '../shared/httpClient.js';
import type { Page, PageRequest } from '../shared/page.js';
import { decodeItem } from '../shared/listItems.js';
import { route, type Route } from '../shared/route.js';
import { decodeApp, decodeDroplet, decodeJob, decodePackage, guidFromHref } from './decode.js';
import {
  appListParams,
  dropletListParams,
  legacyPackageCreateBody,
  orderParams,
  packageCreateBody,
  packageListParams,
  packageUpdateBody,
  resourcesField,
  type CfAppFilter,
  type CfDropletFilter,
  type CfOrder,
  type CfPackageFilter,
} from './encode.js';
import { asList, pageFromLists, planCfWindow } from './paging.js';
import type {
  CfApp,
  CfBitsUpload,
  CfDroplet,
  CfJob,
  CfJobRef,
  CfPackage,
  CfPackageArchive,
  CfPackageCreate,
  CfPackageUpdate,
} from './types.js';
import type { WireJob, WirePackage } from './wire.js';

/**
 * Where packages are created. `packages` is `POST /v3/packages` (the current route); `app-packages` is the
 * early-v3 `POST /v3/apps/:guid/packages`, removed from Cloud Controller in 2017 (§ ⚠), for old controllers.
 */
export type CfCreateRoute = 'packages' | 'app-packages';

export class CfClient {
  constructor(private readonly caller: UpstreamCaller) {}

  listPackages(
    page: PageRequest,
    filter: CfPackageFilter = {},
    order: CfOrder | null = null,
  ): Promise<Page<CfPackage>> {
    return this.#list(
      route('/v3/packages'),
      page,
      [...packageListParams(filter, false), ...orderParams(order)],
      decodePackage,
    );
  }

  /** `GET /v3/apps/:guid/packages`: the package filters except app, space and organization guids (§4). */
  listAppPackages(
    appGuid: string,
    page: PageRequest,
    filter: CfPackageFilter = {},
    order: CfOrder | null = null,
  ): Promise<Page<CfPackage>> {
    return this.#list(
      route('/v3/apps/{guid}/packages', { guid: appGuid }),
      page,
      [...packageListParams(filter, true), ...orderParams(order)],
      decodePackage,
    );
  }

  /** Packages by guid in one request (`guids=`, §4); the caller keeps the list short (CF_GUIDS_PER_REQUEST). */
  async packagesByGuids(guids: readonly string[]): Promise<CfPackage[]> {
    return (await this.listPackages({ first: guids.length }, { guids })).items;
  }

  async getPackage(guid: string): Promise<CfPackage | null> {
    const response = await this.caller.callOrNull({ method: 'GET', route: route('/v3/packages/{guid}', { guid }) });
    return response
      ? decodeItem('cf', response.status, this.#object<WirePackage>(response.body, response.status), decodePackage)
      : null;
  }

  /** Bits packages start AWAITING_UPLOAD, docker packages READY (§4 "Create"). */
  createPackage(input: CfPackageCreate, createRoute: CfCreateRoute = 'packages'): Promise<CfPackage> {
    const request: UpstreamRequest =
      createRoute === 'app-packages'
        ? {
            method: 'POST',
            route: route('/v3/apps/{guid}/packages', { guid: input.appGuid }),
            json: legacyPackageCreateBody(input),
          }
        : { method: 'POST', route: route('/v3/packages'), json: packageCreateBody(input) };
    return this.#write(request, decodePackage);
  }

  /** `POST /v3/packages?source_guid=` (§4 "Copy"): bits copies start COPYING; CF returns no job, so poll the package. */
  copyPackage(sourceGuid: string, appGuid: string): Promise<CfPackage> {
    return this.#write(
      {
        method: 'POST',
        route: route('/v3/packages?source_guid={sourceGuid}', { sourceGuid }),
        json: { relationships: { app: { data: { guid: appGuid } } } },
      },
      decodePackage,
    );
  }

  updatePackage(guid: string, input: CfPackageUpdate): Promise<CfPackage> {
    return this.#write(
      { method: 'PATCH', route: route('/v3/packages/{guid}', { guid }), json: packageUpdateBody(input) },
      decodePackage,
    );
  }

  /** 202 with an empty body and `Location: …/v3/jobs/<guid>` (§2); the job is `package.delete` (§7). */
  async deletePackage(guid: string): Promise<CfJobRef> {
    const response = await this.caller.call({ method: 'DELETE', route: route('/v3/packages/{guid}', { guid }) });
    const location = response.headers.location;
    const jobGuid = guidFromHref({ href: Array.isArray(location) ? (location[0] ?? '') : (location ?? '') });
    if (!jobGuid) throw upstreamMalformed('cf', response.status, 'the delete answer has no job Location');
    return { jobGuid, operation: 'package.delete' };
  }

  /** `multipart/form-data` with `bits` (a zip) and/or `resources` (§4 "Upload"); answers the package PROCESSING_UPLOAD. */
  uploadBits(guid: string, upload: CfBitsUpload): Promise<CfPackage> {
    const form = new FormData();
    if (upload.resources) form.append('resources', resourcesField(upload.resources));
    if (upload.zip)
      form.append('bits', new Blob([upload.zip.content], { type: 'application/zip' }), upload.zip.filename);
    return this.#write({ method: 'POST', route: route('/v3/packages/{guid}/upload', { guid }), form }, decodePackage);
  }

  /**
   * The package's zip (§4 "Download"): 200 with the file when the blobstore is local. A remote blobstore answers 302
   * to a signed URL, which the gateway does not follow (the URL itself is a credential).
   */
  async downloadBits(guid: string): Promise<CfPackageArchive | null> {
    try {
      const response = await this.caller.callOrNull({
        method: 'GET',
        route: route('/v3/packages/{guid}/download', { guid }),
      });
      if (!response) return null;
      if (!Buffer.isBuffer(response.body))
        throw upstreamMalformed('cf', response.status, 'expected the package archive');
      return { guid, content: response.body };
    } catch (error) {
      if (isUpstreamError(error) && error.extensions.status === 302) {
        throw new UpstreamError(
          'Cloud Foundry redirected the download to its blobstore; the gateway serves only archives Cloud Controller sends itself',
          {
            code: 'UPSTREAM_ERROR',
            upstream: 'cf',
            status: 302,
          },
        );
      }
      throw error;
    }
  }

  listDroplets(
    packageGuid: string,
    page: PageRequest,
    filter: CfDropletFilter = {},
    order: CfOrder | null = null,
  ): Promise<Page<CfDroplet>> {
    return this.#list(
      route('/v3/packages/{guid}/droplets', { guid: packageGuid }),
      page,
      [...dropletListParams(filter), ...orderParams(order)],
      decodeDroplet,
    );
  }

  listApps(page: PageRequest, filter: CfAppFilter = {}, order: CfOrder | null = null): Promise<Page<CfApp>> {
    return this.#list(route('/v3/apps'), page, [...appListParams(filter), ...orderParams(order)], decodeApp);
  }

  async appsByGuids(guids: readonly string[]): Promise<CfApp[]> {
    return (await this.listApps({ first: guids.length }, { guids })).items;
  }

  /** A job by guid (§7); null when CF does not know it. */
  async getJob(guid: string): Promise<CfJob | null> {
    const response = await this.caller.callOrNull({ method: 'GET', route: route('/v3/jobs/{guid}', { guid }) });
    return response
      ? decodeItem('cf', response.status, this.#object<WireJob>(response.body, response.status), decodeJob)
      : null;
  }

  async #list<W, T>(listRoute: Route, page: PageRequest, query: QueryParams, decode: (wire: W) => T): Promise<Page<T>> {
    const window = planCfWindow(page);
    const responses = await Promise.all(
      window.plan.calls.map((call) =>
        this.caller.call({
          method: 'GET',
          route: listRoute,
          query: [...query, ['page', String(call.number)], ['per_page', String(call.size)]],
        }),
      ),
    );
    const lists = responses.map((r) => asList<W>(r.body, r.status));
    return pageFromLists(window, page.first, lists, decode, responses[0]!.status);
  }

  async #write<W, T>(request: UpstreamRequest, decode: (wire: W) => T): Promise<T> {
    const response = await this.caller.call(request);
    return decodeItem('cf', response.status, this.#object<W>(response.body, response.status), decode);
  }

  #object<T>(body: unknown, status: number): T {
    if (typeof body !== 'object' || body === null || Buffer.isBuffer(body) || !('guid' in body))
      throw upstreamMalformed('cf', status, 'expected a resource object');
    return body as T;
  }
}
