/**
 * Images (cycle.md §4 rows 1-8): list, create, get, update, delete (a job, 200), build log, import task (a job, 200)
 * and prune (a job, 202).
 */
import { CycleError } from '../errors.js';
import { cycleTime, newObjectId } from '../ids.js';
import { IMAGE_INCLUDES, imageIncludes, imageWithMeta, withIncludes } from '../includes.js';
import { describeJob } from '../jobs.js';
import { pageOf, sortItems } from '../listing.js';
import { filterList, parseExpansions, parseListQuery } from '../query.js';
import { EMPTY_CONFIG } from '../imageContent.js';
import type { CycleStore } from '../store.js';
import { invalid, isObject, missing, optionalString, requireString, type JsonObject } from '../validation.js';
import type { Image, ImageSourceRef } from '../wire.js';
import { ZERO_TIME } from '../wire.js';
import { param, readJsonObject, type CycleHandler, type RequestContext } from './common.js';
import { startImageDelete, startImageImport, startPrune } from './imageJobs.js';

const IMAGE_VOCABULARY = {
  includes: IMAGE_INCLUDES,
  metas: ['containers_count'],
  sortFields: [
    'id',
    'hub_id',
    'name',
    'size',
    'about',
    'backend',
    'requires',
    'build',
    'builder',
    'config',
    'source',
    'creator',
    'factory',
    'state',
    'events',
  ],
} as const;

/** (I) Newest first: the spec names no default order. */
const DEFAULT_ORDER = [{ path: ['events', 'created'], descending: true }];

function matchesFilters(
  store: CycleStore,
  image: Image,
  filter: ReadonlyMap<string, string>,
  states: Set<string> | undefined,
): boolean {
  if (states && !states.has(image.state.current)) return false;
  const sourceType = filter.get('source_type');
  if (sourceType && image.source?.type !== sourceType) return false;
  const sourceId = filter.get('source_id');
  if (sourceId && image.source?.details.id !== sourceId) return false;
  // (I) Images have no identifier of their own; `filter[identifier]` and `filter[search]` look at the source's.
  const sourceIdentifier = image.source ? store.sources.get(image.source.details.id)?.identifier : undefined;
  const identifier = filter.get('identifier');
  if (identifier && sourceIdentifier !== identifier) return false;
  const search = filter.get('search')?.toLowerCase();
  if (
    search &&
    !image.name.toLowerCase().includes(search) &&
    !(sourceIdentifier ?? '').includes(search) &&
    image.id !== search
  )
    return false;
  return true;
}

const listImages: CycleHandler = ({ store, query }) => {
  const q = parseListQuery(query, IMAGE_VOCABULARY);
  const states = filterList(q.filter, 'state');
  const matching = [...store.images.values()].filter((image) => matchesFilters(store, image, q.filter, states));
  const page = pageOf(sortItems(matching, q.sort, DEFAULT_ORDER), q.page);
  const data = page.map((image) => imageWithMeta(store, image, q.meta));
  return { status: 200, body: withIncludes(data, q.include, () => imageIncludes(store, page, q.include)) };
};

const getImage: CycleHandler = (context) => {
  const { store, query } = context;
  const q = parseExpansions(query, IMAGE_VOCABULARY);
  const image = store.image(param(context, 'imageId'));
  return {
    status: 200,
    body: withIncludes(imageWithMeta(store, image, q.meta), q.include, () => imageIncludes(store, [image], q.include)),
  };
};

function readBuild(body: JsonObject): Image['build'] {
  const build = body.build;
  if (build === undefined || build === null) return { args: {}, use_disk: false };
  if (!isObject(build)) throw invalid('/build', 'must be an object');
  const args = build.args ?? {};
  if (!isObject(args) || Object.values(args).some((v) => typeof v !== 'string'))
    throw invalid('/build/args', 'must be an object of strings');
  if (build.use_disk !== undefined && typeof build.use_disk !== 'boolean')
    throw invalid('/build/use_disk', 'must be a boolean');
  return { args: args as Record<string, string>, use_disk: build.use_disk === true };
}

function readOverride(body: JsonObject): ImageSourceRef['override'] | undefined {
  const override = body.override;
  if (override === undefined || override === null) return undefined;
  if (!isObject(override)) throw invalid('/override', 'must be an object');
  const target = optionalString(override, 'target', '/override');
  const targz = optionalString(override, 'targz_url', '/override');
  return { ...(target ? { target } : {}), ...(targz ? { targz_url: targz } : {}) };
}

/**
 * Creates an image from a source; it is NOT imported (cycle.md §4 CreateImage). A `source_id` naming no source
 * answers 404 `404.image.source` with `source: "/source_id"`: the spec's error catalogue has that code for exactly
 * this, and Cycle answers a dangling reference with the referenced resource's 404 (as `404.hub.integration`).
 */
const createImage: CycleHandler = async ({ req, store }) => {
  const body = await readJsonObject(req);
  const sourceId = requireString(body, 'source_id', '');
  const name = optionalString(body, 'name', '');
  const build = readBuild(body);
  const override = readOverride(body);
  const source = store.source(sourceId, '/source_id');
  if (source.state.current !== 'live')
    throw new CycleError('403.invalid-state', `Image source "${source.id}" is ${source.state.current}.`);
  const now = Date.now();
  const id = newObjectId(now);
  const link = store.stackLinks.get(source.id);
  const builderIntegration = source.builder?.integration_id
    ? store.integration(source.builder.integration_id)
    : undefined;
  const image: Image = {
    id,
    hub_id: store.hubId,
    name: name || source.name,
    size: 0,
    about: { description: null },
    backend: { provider: '', size: 0, file_name: '', file_id: '' },
    requires: { nvidia_gpu: false },
    build,
    builder: builderIntegration ? { integration_id: builderIntegration.id } : null,
    config: EMPTY_CONFIG,
    source: {
      type: source.type,
      details: {
        id: source.id,
        origin: source.origin,
        ...(link ? { stack_id: link.stackId, containers: link.containers } : {}),
      },
      ...(override && Object.keys(override).length > 0 ? { override } : {}),
    },
    creator: store.self,
    factory: null,
    state: { current: 'new', changed: cycleTime(now) },
    events: { created: cycleTime(now), updated: cycleTime(now), deleted: ZERO_TIME },
  };
  store.images.set(id, image);
  if (link) store.stackBuildOfImage.set(id, link.buildId);
  return { status: 201, body: { data: image } };
};

const updateImage: CycleHandler = async (context) => {
  const { req, store } = context;
  const body = await readJsonObject(req);
  const image = store.image(param(context, 'imageId'));
  const name = optionalString(body, 'name', '');
  if (name !== undefined && name !== null) {
    if (name.trim() === '') throw invalid('/name', 'must not be empty');
    image.name = name;
    image.events.updated = cycleTime(Date.now());
  }
  return { status: 200, body: { data: image } };
};

const deleteImage: CycleHandler = (context) => {
  const job = startImageDelete(context.store, context.store.image(param(context, 'imageId')));
  return { status: 200, body: { data: describeJob(job) } };
};

const getBuildLog: CycleHandler = (context) => {
  const image = context.store.image(param(context, 'imageId'));
  const log = context.store.buildLogs.get(image.id);
  if (log === undefined) throw new CycleError('404.image.build-log', `Image "${image.id}" has no build log.`);
  return { status: 200, body: { data: log } };
};

/** `{action: "import"}` → 200 JobDescriptor (cycle.md §4 row 8: 200, not 202). */
const createImageJob: CycleHandler = async (context) => {
  const body = await readJsonObject(context.req);
  const image = context.store.image(param(context, 'imageId'));
  const action = requireString(body, 'action', '');
  if (action !== 'import') throw invalid('/action', 'must be "import"');
  return { status: 200, body: { data: describeJob(startImageImport(context.store, image)) } };
};

/** `{action: "prune", contents: {source_ids}}` → 202 JobDescriptor (cycle.md §4 row 7); both fields required. */
const createImagesJob: CycleHandler = async ({ req, store }: RequestContext) => {
  const body = await readJsonObject(req);
  const action = requireString(body, 'action', '');
  if (action !== 'prune') throw invalid('/action', 'must be "prune"');
  if (body.contents === undefined || body.contents === null) throw missing('/contents');
  if (!isObject(body.contents)) throw invalid('/contents', 'must be an object');
  const sourceIds = body.contents.source_ids;
  if (sourceIds === undefined || sourceIds === null) throw missing('/contents/source_ids');
  if (!Array.isArray(sourceIds) || sourceIds.some((id) => typeof id !== 'string'))
    throw invalid('/contents/source_ids', 'must be an array of image source ids');
  const ids = sourceIds as string[];
  ids.forEach((id, i) => store.source(id, `/contents/source_ids/${i}`));
  return { status: 202, body: { data: describeJob(startPrune(store, ids)) } };
};

export const imageHandlers = {
  listImages,
  createImage,
  getImage,
  updateImage,
  deleteImage,
  getBuildLog,
  createImageJob,
  createImagesJob,
};
