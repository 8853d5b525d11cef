/** Image sources: the `imageSources`/`imageSource` queries, the ImageSource type, and the origin and creator unions. */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import {
  CYCLE_MAX_PAGE_SIZE,
  type CycleCreatorKind,
  type CycleOrigin,
  type OciRegistryAuth,
} from '../../upstreams/cycle/index.js';
import { connectionResolvers, resolveConnection } from '../connection.js';
import { selectedFields, selectedNodeFields, selectsOnlyIdentity } from '../lookahead.js';
import { cycleId } from '../validate.js';
import { listImagesFor } from './images.js';
import { cycleSort } from './sorting.js';
import { entityOrNotFound } from '../entityReference.js';

const ORIGIN_TYPES: Record<
  CycleOrigin['type'],
  | 'DockerHubOrigin'
  | 'DockerRegistryOrigin'
  | 'OciRegistryOrigin'
  | 'DockerFileOrigin'
  | 'CycleUploadOrigin'
  | 'CycleSourceOrigin'
  | 'NoOrigin'
> = {
  'docker-hub': 'DockerHubOrigin',
  'docker-registry': 'DockerRegistryOrigin',
  'oci-registry': 'OciRegistryOrigin',
  'docker-file': 'DockerFileOrigin',
  'cycle-upload': 'CycleUploadOrigin',
  'cycle-source': 'CycleSourceOrigin',
  none: 'NoOrigin',
};

const OCI_AUTH_TYPES: Record<OciRegistryAuth['type'], 'OciUserAuth' | 'OciProviderAuth' | 'OciWebhookAuth'> = {
  user: 'OciUserAuth',
  provider: 'OciProviderAuth',
  webhook: 'OciWebhookAuth',
};

const CREATOR_TYPES: Record<
  CycleCreatorKind,
  | 'AccountCreator'
  | 'EmployeeCreator'
  | 'VisitorCreator'
  | 'EnvironmentCreator'
  | 'ApiKeyCreator'
  | 'PlatformCreator'
  | 'PlatformPipelineCreator'
> = {
  account: 'AccountCreator',
  employee: 'EmployeeCreator',
  visitor: 'VisitorCreator',
  environment: 'EnvironmentCreator',
  'api-key': 'ApiKeyCreator',
  platform: 'PlatformCreator',
  'platform-pipeline': 'PlatformPipelineCreator',
};

export const sourceResolvers = {
  Query: {
    imageSources: (_parent, args, ctx, info) => {
      const f = args.filter ?? {};
      return resolveConnection(args, CYCLE_MAX_PAGE_SIZE, info, 'ImageSourceConnection', async (page) => {
        return ctx.loaders.cycle.listSources(
          page,
          { identifier: f.identifier, search: f.search, states: f.states },
          cycleSort(args.sort),
          selectedNodeFields(info, 'ImageSourceConnection', 'ImageSourceEdge', 'ImageSource'),
        );
      });
    },
    imageSource: (_parent, args, ctx, info) =>
      ctx.loaders.cycle.source(selectedFields(info, 'ImageSource')).load(cycleId(args.id)),
  },
  ImageSource: {
    // async: a bad representation rejects its own entry; a synchronous throw would fail the whole `_entities` list.
    __resolveReference: async (reference, ctx, info) => {
      const id = cycleId(String(reference.id));
      const source = ctx.loaders.cycle.source(selectedFields(info, 'ImageSource')).load(id);
      return entityOrNotFound('ImageSource', { id }, source);
    },
    creator: (source, _args, ctx, info) => ctx.loaders.cycle.creatorOfSource(source, selectsOnlyIdentity(info)),
    integration: (source, _args, ctx) => ctx.loaders.cycle.integrationOfSource(source),
    imagesCount: (source, _args, ctx) => ctx.loaders.cycle.imagesCountOfSource(source),
    // One list call per source: Cycle cannot list the images of several sources in one request (no list filter on
    // several source ids), so N sources cost N calls; see the note on issue 3.
    images: (source, args, ctx, info) => {
      const f = args.filter ?? {};
      const filter = { sourceId: source.id, search: f.search, states: f.states };
      return resolveConnection(args, CYCLE_MAX_PAGE_SIZE, info, 'ImageConnection', (page) =>
        listImagesFor(ctx, info, page, filter, cycleSort(args.sort)),
      );
    },
  },
  ImageSourceConnection: connectionResolvers,
  ImageOrigin: { __resolveType: (origin) => ORIGIN_TYPES[origin.type] },
  OciRegistryAuth: { __resolveType: (auth) => OCI_AUTH_TYPES[auth.type] },
  Creator: { __resolveType: (creator) => CREATOR_TYPES[creator.kind] },
  AnyCreator: { __resolveType: (creator) => CREATOR_TYPES[creator.kind] },
} satisfies Resolvers;
