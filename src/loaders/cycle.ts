/**
 * Per-request loaders for Cycle: every Cycle read of a GraphQL request goes through here. Cycle has no `ids` filter
 * (DESIGN.md), so by-id reads cannot be batched: they are deduplicated (one GET per distinct id and fetch profile per
 * request) and run with bounded concurrency. Lists, and by-id reads that asked for `include`, prime these loaders,
 * so relationships then resolve with no further call.
 *
 * Relationships are read through one method each (`sourceOfImage`, `creatorOfImage`, ...); what Cycle included is
 * kept privately here. The Cycle folder decides which `include` a field needs (fetchPlan.ts); this loader decides
 * whether what was read already answers it.
 *
 * Callers name the fields they need (look-ahead's selection, or `fieldNames('containersCount')`); the Cycle folder's
 * fetch plan turns them into `include`/`meta` (upstreams/cycle/fetchPlan.ts). A fetch profile is the `include`/`meta`
 * set a resource was read with; a resource read without a relationship the client selected is read again with it
 * (rare: look-ahead normally asks for it the first time).
 */
import DataLoader from 'dataloader';
import {
  creatorKey,
  fieldNames,
  type CreatorRef,
  imageFetchPlan,
  jobFetchPlan,
  sourceFetchPlan,
  type CycleBuildLog,
  type CycleClient,
  type CycleCreator,
  type CycleFetch,
  type CycleImage,
  type CycleImageFilter,
  type CycleImageInclude,
  type CycleImageSource,
  type CycleIncludes,
  type CycleJob,
  type CycleJobFilter,
  type CycleOne,
  type CycleRelated,
  type CycleSort,
  type CycleSourceFilter,
  type CycleSourceInclude,
  type SelectedFieldNames,
} from '../upstreams/cycle/index.js';
import type { Page, PageRequest } from '../upstreams/shared/page.js';
import { NO_BATCH_OBSERVER, observed, type BatchObserver } from './observe.js';
import { settlePerKey } from './orderByKeys.js';
import { ReadOnce } from './readOnce.js';

/** Concurrent by-id GETs one GraphQL request may have in flight to Cycle. */
const PER_REQUEST_CONCURRENCY = 8;

/** No field beyond the resource's own: the basic profile (no include, no meta). */
const NO_FIELDS = fieldNames();
/** Fields a relationship method asks Cycle for by itself, when the resource was read without them. */
const CONTAINERS_COUNT = fieldNames('containersCount');
const IMAGES_COUNT = fieldNames('imagesCount');
const STACK_BUILD = fieldNames('stackBuild');

export type MaybePromise<T> = T | Promise<T>;

function orNull<T>(value: MaybePromise<T | undefined>): MaybePromise<T | null> {
  return value instanceof Promise ? value.then((resolved) => resolved ?? null) : (value ?? null);
}

export class CycleLoaders {
  readonly buildLog: DataLoader<string, CycleBuildLog | null>;
  readonly job: DataLoader<string, CycleJob | null>;

  readonly #client: CycleClient;
  readonly #observe: BatchObserver;
  readonly #images = new Map<string, DataLoader<string, CycleImage | null>>();
  readonly #sources = new Map<string, DataLoader<string, CycleImageSource | null>>();
  readonly #fetchedWith = new WeakMap<object, CycleFetch<string>>();
  readonly #basicSources = new Map<string, CycleImageSource>();
  // What Cycle included with the resources read (`include`), by id: read through the relationship methods below.
  readonly #creators = new Map<string, CycleCreator>();
  readonly #stacks = new Map<string, CycleRelated>();
  readonly #integrations = new Map<string, CycleRelated>();
  readonly #integrationIdentifiers = new Map<string, string>();
  /**
   * Image id → its stack build. Images name no build on the wire (cycle.md §5 has no such field): a build included
   * with an image belongs to it when it is the only included build of the image's stack.
   */
  readonly #stackBuildOfImage = new Map<string, CycleRelated>();
  readonly #reads: ReadOnce;

  constructor(client: CycleClient, observe: BatchObserver = NO_BATCH_OBSERVER, reads = new ReadOnce()) {
    this.#client = client;
    this.#observe = observe;
    this.#reads = reads;
    this.buildLog = new DataLoader(
      observed('cycle.buildLog', observe, (ids) =>
        settlePerKey(ids, (id) => client.getBuildLog(id), PER_REQUEST_CONCURRENCY),
      ),
    );
    this.job = new DataLoader(
      observed('cycle.job', observe, (ids) => settlePerKey(ids, (id) => client.getJob(id), PER_REQUEST_CONCURRENCY)),
    );
  }

  /** The image loader for the profile that answers `fields`, the fields selected on the images it reads. */
  image(fields: SelectedFieldNames = NO_FIELDS): DataLoader<string, CycleImage | null> {
    return this.#imageLoader(imageFetchPlan(fields));
  }

  /** The image source loader for the profile that answers `fields`. */
  source(fields: SelectedFieldNames = NO_FIELDS): DataLoader<string, CycleImageSource | null> {
    return this.#sourceLoader(sourceFetchPlan(fields));
  }

  /** A page of images read with what `fields` (selected on each image) need; the images are primed. */
  listImages(
    page: PageRequest,
    filter: CycleImageFilter,
    sort: readonly CycleSort[],
    fields: SelectedFieldNames,
  ): Promise<Page<CycleImage>> {
    const fetch = imageFetchPlan(fields);
    return this.#reads.read('cycle.listImages', [page, filter, sort, fetch], async () => {
      const list = await this.#client.listImages(page, filter, sort, fetch);
      this.#acceptImages(list.page.items, fetch, list.includes);
      return list.page;
    });
  }

  /** A page of image sources read with what `fields` need; the sources are primed. */
  listSources(
    page: PageRequest,
    filter: CycleSourceFilter,
    sort: readonly CycleSort[],
    fields: SelectedFieldNames,
  ): Promise<Page<CycleImageSource>> {
    const fetch = sourceFetchPlan(fields);
    return this.#reads.read('cycle.listSources', [page, filter, sort, fetch], async () => {
      const list = await this.#client.listSources(page, filter, sort, fetch);
      this.#acceptSources(list.page.items, fetch, list.includes);
      return list.page;
    });
  }

  /** A page of jobs read with what `fields` need; the jobs and included creators are primed. */
  listJobs(
    page: PageRequest,
    filter: CycleJobFilter,
    sort: readonly CycleSort[],
    fields: SelectedFieldNames,
  ): Promise<Page<CycleJob>> {
    const fetch = jobFetchPlan(fields);
    return this.#reads.read('cycle.listJobs', [page, filter, sort, fetch], async () => {
      const list = await this.#client.listJobs(page, filter, sort, fetch);
      this.#acceptJobs(list.page.items, list.includes);
      return list.page;
    });
  }

  /** The hub's latest jobs; primed like a list. */
  async latestJobs(): Promise<CycleJob[]> {
    const jobs = await this.#client.latestJobs();
    for (const job of jobs) this.job.prime(job.id, job);
    return jobs;
  }

  /** A job read now, not from this request's memo: for polling a job a write started. */
  freshJob(id: string): Promise<CycleJob | null> {
    return this.job.clear(id).load(id);
  }

  #imageLoader(fetch: CycleFetch<CycleImageInclude>): DataLoader<string, CycleImage | null> {
    return this.#byIdLoader(
      this.#images,
      'cycle.image',
      fetch,
      (id) => this.#client.getImage(id, fetch),
      (found) => this.#acceptImages([found.item], fetch, found.includes),
    );
  }

  #sourceLoader(fetch: CycleFetch<CycleSourceInclude>): DataLoader<string, CycleImageSource | null> {
    return this.#byIdLoader(
      this.#sources,
      'cycle.source',
      fetch,
      (id) => this.#client.getSource(id, fetch),
      (found) => this.#acceptSources([found.item], fetch, found.includes),
    );
  }

  /** One GET per distinct id (Cycle reads by id only), memoised per fetch profile; what it reads is accepted. */
  #byIdLoader<T>(
    cache: Map<string, DataLoader<string, T | null>>,
    name: string,
    fetch: CycleFetch<string>,
    read: (id: string) => Promise<CycleOne<T> | null>,
    accept: (found: CycleOne<T>) => void,
  ): DataLoader<string, T | null> {
    return memoized(
      cache,
      fetch,
      () =>
        new DataLoader(
          observed(name, this.#observe, (ids) =>
            settlePerKey(
              ids,
              async (id) => {
                const found = await read(id);
                if (found) accept(found);
                return found?.item ?? null;
              },
              PER_REQUEST_CONCURRENCY,
            ),
          ),
        ),
    );
  }

  /** Records images read with `fetch`: primes that profile's loader and absorbs what was included. */
  #acceptImages(images: readonly CycleImage[], fetch: CycleFetch<CycleImageInclude>, includes: CycleIncludes): void {
    this.#absorb(includes);
    if (includes.stackBuilds.size > 0) this.#matchStackBuilds(images, includes);
    const loader = this.#imageLoader(fetch);
    for (const image of images) {
      this.#fetchedWith.set(image, fetch);
      loader.prime(image.id, image);
    }
  }

  /** Records image sources read with `fetch`. */
  #acceptSources(
    sources: readonly CycleImageSource[],
    fetch: CycleFetch<CycleSourceInclude>,
    includes: CycleIncludes,
  ): void {
    this.#absorb(includes);
    const loader = this.#sourceLoader(fetch);
    for (const source of sources) {
      this.#fetchedWith.set(source, fetch);
      loader.prime(source.id, source);
      // Every profile carries the basic fields too.
      this.#basicSources.set(source.id, source);
    }
  }

  /** Records jobs read from a list: primes the job loader and absorbs included creators. */
  #acceptJobs(jobs: readonly CycleJob[], includes: CycleIncludes): void {
    this.#absorb(includes);
    for (const job of jobs) this.job.prime(job.id, job);
  }

  // ---- Relationships: one method each, answered from what Cycle included when it can, else by one more read of the
  // resource with the `include` the field needs (fetchPlan.ts), through the by-id loaders (so at most once per id).
  // Synchronous when the answer is at hand: these run once per item of a list.

  /** Image.source, read with what `fields` (selected on the source) need. */
  sourceOfImage(image: CycleImage, fields: SelectedFieldNames): MaybePromise<CycleImageSource | null> {
    const sourceId = image.sourceRef?.sourceId;
    if (!sourceId) return null;
    const fetch = sourceFetchPlan(fields);
    const known = !fetch.include?.length && !fetch.meta?.length ? this.#basicSources.get(sourceId) : undefined;
    return known ?? this.#sourceLoader(fetch).load(sourceId);
  }

  /** Image.creator; `identityOnly` when only its kind and id are selected, which the image's reference holds. */
  creatorOfImage(image: CycleImage, identityOnly: boolean): MaybePromise<CycleCreator | null> {
    return this.#creatorOf(image.creatorRef, identityOnly, (read) => this.#includedWithImage(image, 'creator', read));
  }

  /** Image.containersCount (`meta=containers_count`). */
  containersCountOfImage(image: CycleImage): MaybePromise<NonNullable<CycleImage['containersCount']> | null> {
    if (image.containersCount) return image.containersCount;
    return this.image(CONTAINERS_COUNT)
      .load(image.id)
      .then((withMeta) => withMeta?.containersCount ?? null);
  }

  /** Image.stack. */
  stackOfImage(image: CycleImage): MaybePromise<CycleRelated | null> {
    const stackId = image.sourceRef?.stackId;
    if (!stackId) return null;
    return orNull(this.#includedWithImage(image, 'stack', () => this.#stacks.get(stackId)));
  }

  /** Image.stackBuild: a list page with several builds of one stack cannot tell which is the image's, so then the
   * image is read alone with its stack builds. */
  stackBuildOfImage(image: CycleImage): MaybePromise<CycleRelated | null> {
    if (!image.sourceRef?.stackId) return null;
    const known = this.#stackBuildOfImage.get(image.id);
    if (known) return known;
    return this.image(STACK_BUILD)
      .load(image.id)
      .then(() => this.#stackBuildOfImage.get(image.id) ?? null);
  }

  /** Image.integration (its builder's). */
  integrationOfImage(image: CycleImage): MaybePromise<CycleRelated | null> {
    const ref = image.builderIntegrationId;
    if (!ref) return null;
    return orNull(this.#includedWithImage(image, 'integration', () => this.#integration(ref)));
  }

  /** ImageSource.creator; `identityOnly` as for creatorOfImage. */
  creatorOfSource(source: CycleImageSource, identityOnly: boolean): MaybePromise<CycleCreator | null> {
    return this.#creatorOf(source.creatorRef, identityOnly, (read) =>
      this.#includedWithSource(source, 'creator', read),
    );
  }

  /** ImageSource.integration (its builder's). */
  integrationOfSource(source: CycleImageSource): MaybePromise<CycleRelated | null> {
    const ref = source.builderIntegrationId;
    if (!ref) return null;
    return orNull(this.#includedWithSource(source, 'integration', () => this.#integration(ref)));
  }

  /** ImageSource.imagesCount (`meta=images_count`). */
  imagesCountOfSource(source: CycleImageSource): MaybePromise<NonNullable<CycleImageSource['imagesCount']> | null> {
    if (source.imagesCount) return source.imagesCount;
    return this.source(IMAGES_COUNT)
      .load(source.id)
      .then((withMeta) => withMeta?.imagesCount ?? null);
  }

  /** Job.creator: the included creator, or its kind and id (Cycle includes no details for platform creators). */
  creatorOfJob(job: CycleJob): CycleCreator | null {
    return job.creatorRef ? this.#creatorOrBare(job.creatorRef) : null;
  }

  /**
   * A related resource of an image (its `field`, e.g. `creator`) that Cycle delivers through `include`: from what the
   * request holds, or, when the image was read without it, from one more read of the image with it.
   */
  #includedWithImage<T>(image: CycleImage, field: string, read: () => T | undefined): MaybePromise<T | undefined> {
    const known = read();
    if (known !== undefined || this.#wasReadWith(image, imageFetchPlan(fieldNames(field)))) return known;
    return this.image(fieldNames(field)).load(image.id).then(read);
  }

  /** The same for an image source. */
  #includedWithSource<T>(
    source: CycleImageSource,
    field: string,
    read: () => T | undefined,
  ): MaybePromise<T | undefined> {
    const known = read();
    if (known !== undefined || this.#wasReadWith(source, sourceFetchPlan(fieldNames(field)))) return known;
    return this.source(fieldNames(field)).load(source.id).then(read);
  }

  /**
   * A creator: from the reference alone when only its kind and id are selected (whether or not Cycle included it),
   * else the included one through `readIncluded`, or the bare reference when Cycle included none.
   */
  #creatorOf(
    ref: CreatorRef | null,
    identityOnly: boolean,
    readIncluded: (read: () => CycleCreator | undefined) => MaybePromise<CycleCreator | undefined>,
  ): MaybePromise<CycleCreator | null> {
    if (!ref) return null;
    if (identityOnly) return this.#creatorOrBare(ref);
    const included = readIncluded(() => this.#creators.get(creatorKey(ref.kind, ref.id)));
    return included instanceof Promise ? included.then(() => this.#creatorOrBare(ref)) : this.#creatorOrBare(ref);
  }

  #creatorOrBare(ref: CreatorRef): CycleCreator {
    return (
      this.#creators.get(creatorKey(ref.kind, ref.id)) ?? {
        kind: ref.kind,
        id: ref.id,
        name: null,
        email: null,
        identifier: null,
      }
    );
  }

  /** A builder's integration: `builder.integration_id` may be an id or an identifier (cycle.md §5). */
  #integration(ref: string): CycleRelated | undefined {
    return this.#integrations.get(ref) ?? this.#integrations.get(this.#integrationIdentifiers.get(ref) ?? '');
  }

  #wasReadWith(entity: object, needed: CycleFetch<string>): boolean {
    const read = this.#fetchedWith.get(entity);
    if (!read) return false;
    return (
      (needed.include ?? []).every((value) => read.include?.includes(value)) &&
      (needed.meta ?? []).every((value) => read.meta?.includes(value))
    );
  }

  #matchStackBuilds(images: readonly CycleImage[], includes: CycleIncludes): void {
    const builds = [...includes.stackBuilds.values()];
    for (const image of images) {
      const stackId = image.sourceRef?.stackId;
      const candidates = images.length === 1 ? builds : builds.filter((build) => build.stackId === stackId);
      if (stackId && candidates.length === 1) this.#stackBuildOfImage.set(image.id, candidates[0]!);
    }
  }

  #absorb(includes: CycleIncludes): void {
    for (const [key, creator] of includes.creators) this.#creators.set(key, creator);
    for (const [id, stack] of includes.stacks) this.#stacks.set(id, stack);
    for (const [id, integration] of includes.integrations) this.#integrations.set(id, integration);
    for (const [identifier, id] of includes.integrationIdentifiers) this.#integrationIdentifiers.set(identifier, id);
    if (includes.sources.size > 0) {
      // Included sources are full resources, without meta and without their own includes.
      const loader = this.#sourceLoader({});
      for (const [id, source] of includes.sources) {
        this.#fetchedWith.set(source, {});
        loader.prime(id, source);
        this.#basicSources.set(id, source);
      }
    }
  }
}

function profileKey(fetch: CycleFetch<string>): string {
  return `include=${[...(fetch.include ?? [])].sort().join(',')};meta=${[...(fetch.meta ?? [])].sort().join(',')}`;
}

function memoized<V>(cache: Map<string, V>, fetch: CycleFetch<string>, create: () => V): V {
  const key = profileKey(fetch);
  let value = cache.get(key);
  if (value === undefined) {
    value = create();
    cache.set(key, value);
  }
  return value;
}
