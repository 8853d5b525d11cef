/**
 * Typed client for Cycle's Images, Image Sources and Jobs endpoints (cycle.md §4). Per request: it carries that
 * request's credentials and trace through its UpstreamCaller. Returns domain models and Page<T> only.
 */
import type { QueryParams, UpstreamCaller, UpstreamRequest } from '../shared/httpClient.js';
import { encodeOffsetCursor, offsetAfterCursor, type Page, type PageRequest } from '../shared/page.js';
import { decodeItem, decodeItems, windowItems } from '../shared/listItems.js';
import { route, type Route } from '../shared/route.js';
import { upstreamMalformed } from '../../errors.js';
import { decodeBuildLog, decodeImage, decodeIncludes, decodeJob, decodeJobRef, decodeSource } from './decode.js';
import { encodeAcl, encodeSource, encodeSourceUpdate } from './encode.js';
import { cycleHasNextPage, planCycleWindow } from './paging.js';
import { uploadImageTar, type CycleFactoryOptions, type ImageTar, type SecretSink } from './upload.js';
import type {
  CycleAclInput,
  CycleBuildLog,
  CycleImage,
  CycleImageInclude,
  CycleImageSource,
  CycleIncludes,
  CycleJob,
  CycleJobRef,
  CycleSourceInclude,
  CycleSourceInput,
  CycleSourceUpdate,
} from './types.js';
import type { WireBuildLog, WireEnvelope, WireJob, WireJobDescriptor } from './wire.js';

export interface CycleSort {
  /** A Cycle field name, e.g. `name`, `id`, `size`. */
  field: string;
  descending: boolean;
}

export interface CycleImageFilter {
  identifier?: string | null;
  search?: string | null;
  states?: readonly string[] | null;
  sourceType?: string | null;
  sourceId?: string | null;
}

export interface CycleSourceFilter {
  identifier?: string | null;
  search?: string | null;
  states?: readonly string[] | null;
}

export interface CycleJobFilter {
  search?: string | null;
  states?: readonly string[] | null;
  rangeStart?: string | null;
  rangeEnd?: string | null;
}

export interface CycleFetch<I extends string> {
  include?: readonly I[];
  meta?: readonly string[];
}

export interface CycleList<T> {
  page: Page<T>;
  includes: CycleIncludes;
}

export interface CycleOne<T> {
  item: T;
  includes: CycleIncludes;
}

/** Body of `POST /v1/images` (cycle.md §4 CreateImage). */
export interface CycleCreateImage {
  sourceId: string;
  name?: string | null;
  build?: { args?: Record<string, string>; useDisk?: boolean } | null;
  override?: { target?: string | null; targzUrl?: string | null } | null;
}

export class CycleClient {
  constructor(
    private readonly caller: UpstreamCaller,
    /** Where `uploadImage` sends tars; absent where no upload can happen (subscription polls, client tests). */
    private readonly factory?: CycleFactoryOptions,
  ) {}

  /**
   * Streams an OCI image tar to Cycle's factory for an image of a `cycle-upload` source, with that source's upload
   * token, which is registered in `secrets` and goes nowhere else (upload.ts).
   */
  uploadImage(id: string, tar: ImageTar, secrets: SecretSink): Promise<void> {
    if (!this.factory) throw new Error('CycleClient.uploadImage: this client was built without factory options');
    return uploadImageTar(this.caller, this.factory, id, tar, secrets);
  }

  listImages(
    page: PageRequest,
    filter: CycleImageFilter = {},
    sort: readonly CycleSort[] = [],
    fetch: CycleFetch<CycleImageInclude> = {},
  ): Promise<CycleList<CycleImage>> {
    const query: [string, string][] = [
      ...filterParams({
        identifier: filter.identifier,
        search: filter.search,
        state: filter.states?.join(','),
        source_type: filter.sourceType,
        source_id: filter.sourceId,
      }),
      ...sortParams(sort),
      ...fetchParams(fetch),
    ];
    return this.#list(route('/v1/images'), page, query, decodeImage);
  }

  async getImage(id: string, fetch: CycleFetch<CycleImageInclude> = {}): Promise<CycleOne<CycleImage> | null> {
    return this.#getOne(
      { method: 'GET', route: route('/v1/images/{imageId}', { imageId: id }), query: fetchParams(fetch) },
      decodeImage,
    );
  }

  async createImage(input: CycleCreateImage): Promise<CycleImage> {
    const body: Record<string, unknown> = { source_id: input.sourceId };
    if (input.name) body.name = input.name;
    if (input.build) body.build = { args: input.build.args ?? {}, use_disk: input.build.useDisk ?? false };
    if (input.override)
      body.override = { target: input.override.target ?? undefined, targz_url: input.override.targzUrl ?? undefined };
    return this.#write({ method: 'POST', route: route('/v1/images'), json: body }, decodeImage);
  }

  updateImage(id: string, changes: { name?: string | null }): Promise<CycleImage> {
    return this.#write(
      {
        method: 'PATCH',
        route: route('/v1/images/{imageId}', { imageId: id }),
        json: { name: changes.name ?? undefined },
      },
      decodeImage,
    );
  }

  deleteImage(id: string): Promise<CycleJobRef> {
    return this.#job({ method: 'DELETE', route: route('/v1/images/{imageId}', { imageId: id }) });
  }

  importImage(id: string): Promise<CycleJobRef> {
    return this.#job({
      method: 'POST',
      route: route('/v1/images/{imageId}/tasks', { imageId: id }),
      json: { action: 'import' },
    });
  }

  pruneImages(sourceIds: readonly string[]): Promise<CycleJobRef> {
    return this.#job({
      method: 'POST',
      route: route('/v1/images/tasks'),
      json: { action: 'prune', contents: { source_ids: sourceIds } },
    });
  }

  async getBuildLog(imageId: string): Promise<CycleBuildLog | null> {
    const response = await this.caller.callOrNull({
      method: 'GET',
      route: route('/v1/images/{imageId}/build-log', { imageId }),
    });
    return response
      ? decodeItem('cycle', response.status, this.#data<WireBuildLog>(response.body, response.status), decodeBuildLog)
      : null;
  }

  listSources(
    page: PageRequest,
    filter: CycleSourceFilter = {},
    sort: readonly CycleSort[] = [],
    fetch: CycleFetch<CycleSourceInclude> = {},
  ): Promise<CycleList<CycleImageSource>> {
    const query: [string, string][] = [
      ...filterParams({ identifier: filter.identifier, search: filter.search, state: filter.states?.join(',') }),
      ...sortParams(sort),
      ...fetchParams(fetch),
    ];
    return this.#list(route('/v1/images/sources'), page, query, decodeSource);
  }

  getSource(id: string, fetch: CycleFetch<CycleSourceInclude> = {}): Promise<CycleOne<CycleImageSource> | null> {
    return this.#getOne(
      { method: 'GET', route: route('/v1/images/sources/{sourceId}', { sourceId: id }), query: fetchParams(fetch) },
      decodeSource,
    );
  }

  createSource(input: CycleSourceInput): Promise<CycleImageSource> {
    return this.#write({ method: 'POST', route: route('/v1/images/sources'), json: encodeSource(input) }, decodeSource);
  }

  updateSource(id: string, changes: CycleSourceUpdate): Promise<CycleImageSource> {
    return this.#write(
      {
        method: 'PATCH',
        route: route('/v1/images/sources/{sourceId}', { sourceId: id }),
        json: encodeSourceUpdate(changes),
      },
      decodeSource,
    );
  }

  deleteSource(id: string): Promise<CycleJobRef> {
    return this.#job({ method: 'DELETE', route: route('/v1/images/sources/{sourceId}', { sourceId: id }) });
  }

  /** Replaces the ACL; null restores the hub default. */
  updateSourceAccess(id: string, acl: readonly CycleAclInput[] | null): Promise<CycleImageSource> {
    return this.#write(
      {
        method: 'PATCH',
        route: route('/v1/images/sources/{sourceId}/access', { sourceId: id }),
        json: { acl: encodeAcl(acl) },
      },
      decodeSource,
    );
  }

  /** A job by id; null when Cycle does not know it (yet: a fresh job may 404 briefly, cycle.md §6). */
  async getJob(id: string): Promise<CycleJob | null> {
    const response = await this.caller.callOrNull({ method: 'GET', route: route('/v1/jobs/{jobId}', { jobId: id }) });
    return response
      ? decodeItem('cycle', response.status, this.#data<WireJob>(response.body, response.status), decodeJob)
      : null;
  }

  listJobs(
    page: PageRequest,
    filter: CycleJobFilter = {},
    sort: readonly CycleSort[] = [],
    fetch: CycleFetch<'creators'> = {},
  ): Promise<CycleList<CycleJob>> {
    const query: [string, string][] = [
      ...filterParams({
        search: filter.search,
        state: filter.states?.join(','),
        'range-start': filter.rangeStart,
        'range-end': filter.rangeEnd,
      }),
      ...sortParams(sort),
      ...fetchParams(fetch),
    ];
    return this.#list(route('/v1/jobs'), page, query, decodeJob);
  }

  async latestJobs(): Promise<CycleJob[]> {
    const response = await this.caller.call({ method: 'GET', route: route('/v1/jobs/latest') });
    return this.#data<WireJob[]>(response.body, response.status).map(decodeJob);
  }

  async #list<W, T>(
    listRoute: Route,
    page: PageRequest,
    query: QueryParams,
    decode: (wire: W) => T,
  ): Promise<CycleList<T>> {
    const offset = offsetAfterCursor(page.after);
    const plan = planCycleWindow(offset, page.first);
    const responses = await Promise.all(
      plan.calls.map((call) =>
        this.caller.call({
          method: 'GET',
          route: listRoute,
          query: [...query, ['page[number]', String(call.number)], ['page[size]', String(call.size)]],
        }),
      ),
    );
    const envelopes = responses.map((r) => this.#envelope<W[]>(r.body, r.status));
    const pages = envelopes.map((e) => listData(e, responses[0]!.status));
    const fetched = pages.reduce((count, items) => count + items.length, 0);
    const items = decodeItems('cycle', responses[0]!.status, windowItems(pages, plan.skip, page.first), decode);
    const includes = decodeIncludes(Object.assign({}, ...envelopes.map((e) => e.includes ?? {})));
    return {
      page: {
        items,
        totalCount: null,
        cursors: items.map((_, i) => encodeOffsetCursor(offset + i)),
        hasNextPage: cycleHasNextPage(plan, fetched, pages[pages.length - 1]!.length, page.first),
        hasPreviousPage: offset > 0,
      },
      includes,
    };
  }

  async #getOne<W, T>(request: UpstreamRequest, decode: (wire: W) => T): Promise<CycleOne<T> | null> {
    const response = await this.caller.callOrNull(request);
    if (!response) return null;
    const envelope = this.#envelope<W>(response.body, response.status);
    return {
      item: decodeItem('cycle', response.status, envelope.data, decode),
      includes: decodeIncludes(envelope.includes),
    };
  }

  async #write<W, T>(request: UpstreamRequest, decode: (wire: W) => T): Promise<T> {
    const response = await this.caller.call(request);
    return decodeItem('cycle', response.status, this.#data<W>(response.body, response.status), decode);
  }

  async #job(request: UpstreamRequest): Promise<CycleJobRef> {
    const response = await this.caller.call(request);
    const descriptor = this.#data<WireJobDescriptor | null>(response.body, response.status);
    const ref = descriptor ? decodeJobRef(descriptor) : null;
    if (ref) return ref;
    // JobDescriptor requires only `action` (cycle.md §6): Cycle accepted the work and gave no job to follow.
    if (typeof descriptor?.action === 'string') return { action: descriptor.action, jobId: null };
    throw upstreamMalformed('cycle', response.status, 'the job descriptor has no action');
  }

  #envelope<T>(body: unknown, status: number): WireEnvelope<T> {
    if (typeof body !== 'object' || body === null || !('data' in body))
      throw upstreamMalformed('cycle', status, 'expected a {data} envelope');
    return body as WireEnvelope<T>;
  }

  #data<T>(body: unknown, status: number): T {
    return this.#envelope<T>(body, status).data;
  }
}

/** A list envelope's `data`, which must be an array. */
function listData<T>(envelope: WireEnvelope<T[]>, status: number): T[] {
  if (!Array.isArray(envelope.data)) throw upstreamMalformed('cycle', status, 'expected a list in {data}');
  return envelope.data;
}

/** `filter[key]=value` in deepObject style (cycle.md §3); empty values are left out. */
function filterParams(filter: Record<string, string | null | undefined>): [string, string][] {
  return Object.entries(filter)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .map(([key, value]) => [`filter[${key}]`, value]);
}

/** `sort` is an array in form style, exploded: repeated keys (cycle.md §3, SortParam). */
function sortParams(sort: readonly CycleSort[]): [string, string][] {
  return sort.map((s) => ['sort', s.descending ? `-${s.field}` : s.field]);
}

/** `include` and `meta` as repeated keys: the spec's form and what Cycle's own client sends (DESIGN.md). */
function fetchParams(fetch: CycleFetch<string>): [string, string][] {
  return [
    ...(fetch.include ?? []).map((v): [string, string] => ['include', v]),
    ...(fetch.meta ?? []).map((v): [string, string] => ['meta', v]),
  ];
}
