/**
 * Image sources (cycle.md §4 rows 9-14): list, create (201), get, update, delete (a job, 202), access (ACL).
 */
import { CycleError } from '../errors.js';
import { cycleTime, newObjectId, slugify } from '../ids.js';
import { SOURCE_INCLUDES, sourceIncludes, sourcesWithMeta, withIncludes } from '../includes.js';
import { describeJob } from '../jobs.js';
import { pageOf, sortItems } from '../listing.js';
import { filterList, parseExpansions, parseListQuery } from '../query.js';
import type { CycleStore } from '../store.js';
import {
  invalid,
  isObject,
  missing,
  optionalString,
  validateAbout,
  validateAcl,
  validateOrigin,
  type JsonObject,
} from '../validation.js';
import type { ImageOrigin, ImageSource, ImageSourceType } from '../wire.js';
import { ZERO_TIME } from '../wire.js';
import { param, readJsonObject, type CycleHandler } from './common.js';
import { startSourceDelete } from './imageJobs.js';

const SOURCE_VOCABULARY = {
  includes: SOURCE_INCLUDES,
  metas: ['images_count'],
  sortFields: [
    'id',
    'identifier',
    'type',
    'hub_id',
    'name',
    'about',
    'origin',
    'builder',
    'creator',
    'acl',
    'state',
    'events',
  ],
} as const;

const DEFAULT_ORDER = [{ path: ['events', 'created'], descending: true }];
const SOURCE_TYPES: readonly ImageSourceType[] = ['direct', 'stack-build', 'bucket'];

const listSources: CycleHandler = ({ store, query }) => {
  const q = parseListQuery(query, SOURCE_VOCABULARY);
  const states = filterList(q.filter, 'state');
  const identifier = q.filter.get('identifier');
  const search = q.filter.get('search')?.toLowerCase();
  const matching = [...store.sources.values()].filter(
    (s) =>
      (!states || states.has(s.state.current)) &&
      (!identifier || s.identifier === identifier) &&
      (!search ||
        s.name.toLowerCase().includes(search) ||
        s.identifier.toLowerCase().includes(search) ||
        s.id === search),
  );
  const page = pageOf(sortItems(matching, q.sort, DEFAULT_ORDER), q.page);
  return {
    status: 200,
    body: withIncludes(sourcesWithMeta(store, page, q.meta), q.include, () => sourceIncludes(store, page, q.include)),
  };
};

const getSource: CycleHandler = (context) => {
  const { store, query } = context;
  const q = parseExpansions(query, SOURCE_VOCABULARY);
  const source = store.source(param(context, 'sourceId'));
  return {
    status: 200,
    body: withIncludes(sourcesWithMeta(store, [source], q.meta)[0], q.include, () =>
      sourceIncludes(store, [source], q.include),
    ),
  };
};

/** `builder: {integration_id: HybridIdentifier | null} | null`; a name that matches no integration is a 404. */
function readBuilder(store: CycleStore, value: unknown, required: boolean): ImageSource['builder'] {
  if (value === null) return null;
  if (!isObject(value)) throw invalid('/builder', 'must be an object or null');
  const id = optionalString(value, 'integration_id', '/builder', !required);
  if (id === undefined && required) throw missing('/builder/integration_id');
  if (id === undefined || id === null) return { integration_id: null };
  if (store.integration(id) === undefined)
    throw new CycleError(
      '404.hub.integration',
      `No integration "${id}" exists in this hub.`,
      '/builder/integration_id',
    );
  return { integration_id: id };
}

function defaultName(origin: ImageOrigin): string {
  if ('details' in origin && 'target' in origin.details) return origin.details.target;
  return origin.type === 'none' ? 'Image source' : `${origin.type} source`;
}

const createSource: CycleHandler = async ({ req, store }) => {
  const body = await readJsonObject(req);
  if (body.type === undefined || body.type === null) throw missing('/type');
  if (typeof body.type !== 'string' || !SOURCE_TYPES.includes(body.type as ImageSourceType))
    throw invalid('/type', `must be one of ${SOURCE_TYPES.join(', ')}`);
  // (I) `stack-build` sources are made by stack builds (they carry a stack and its containers); not by hand.
  if (body.type === 'stack-build') throw invalid('/type', 'cannot be "stack-build": stack builds create those sources');
  const origin = validateOrigin(body.origin, '/origin');
  const name = optionalString(body, 'name', '') || defaultName(origin);
  const identifier = optionalString(body, 'identifier', '') || slugify(name);
  const acl = body.acl === undefined ? null : validateAcl(body.acl, '/acl');
  const builder = body.builder === undefined ? null : readBuilder(store, body.builder, true);
  const about = body.about === undefined ? { description: null } : validateAbout(body.about, '/about');
  const now = cycleTime(Date.now());
  const source: ImageSource = {
    id: newObjectId(),
    identifier,
    type: body.type as ImageSourceType,
    hub_id: store.hubId,
    name,
    about,
    origin,
    builder,
    creator: store.self,
    acl,
    state: { current: 'live', changed: now },
    events: { created: now, updated: now, deleted: ZERO_TIME },
  };
  store.sources.set(source.id, source);
  return { status: 201, body: { data: source } };
};

function liveSource(store: CycleStore, id: string): ImageSource {
  const source = store.source(id);
  if (source.state.current !== 'live')
    throw new CycleError('403.invalid-state', `Image source "${source.id}" is ${source.state.current}.`);
  return source;
}

function applyUpdate(store: CycleStore, source: ImageSource, body: JsonObject): void {
  const name = optionalString(body, 'name', '');
  if (name !== undefined && name !== null && name.trim() === '') throw invalid('/name', 'must not be empty');
  const identifier = optionalString(body, 'identifier', '', true);
  const origin = body.origin === undefined ? undefined : validateOrigin(body.origin, '/origin');
  const builder = body.builder === undefined ? undefined : readBuilder(store, body.builder, false);
  const about = body.about === undefined ? undefined : validateAbout(body.about, '/about');
  // Validate everything first, then apply: a refused update changes nothing.
  if (name) source.name = name;
  if (identifier !== undefined)
    source.identifier = identifier === null || identifier === '' ? slugify(source.name) : identifier;
  if (origin !== undefined) source.origin = origin;
  if (builder !== undefined) source.builder = builder;
  if (about !== undefined) source.about = about;
}

const updateSource: CycleHandler = async (context) => {
  const body = await readJsonObject(context.req);
  const source = liveSource(context.store, param(context, 'sourceId'));
  applyUpdate(context.store, source, body);
  source.events.updated = cycleTime(Date.now());
  return { status: 200, body: { data: source } };
};

const updateSourceAccess: CycleHandler = async (context) => {
  const body = await readJsonObject(context.req);
  const source = liveSource(context.store, param(context, 'sourceId'));
  if (!('acl' in body)) throw missing('/acl');
  source.acl = validateAcl(body.acl, '/acl');
  source.events.updated = cycleTime(Date.now());
  return { status: 200, body: { data: source } };
};

/** 202 JobDescriptor (cycle.md §4 row 13); the source is `deleting` until the job completes (§8). */
const deleteSource: CycleHandler = (context) => {
  const job = startSourceDelete(context.store, context.store.source(param(context, 'sourceId')));
  return { status: 202, body: { data: describeJob(job) } };
};

export const sourceHandlers = { listSources, createSource, getSource, updateSource, updateSourceAccess, deleteSource };
