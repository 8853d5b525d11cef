/**
 * The parent values resolvers receive: domain models of the upstream clients, re-exported for codegen's `mappers`
 * (codegen.yml). Connections are Page<T>; edges pair a cursor with a node.
 */
import type {
  CycleBuildLog,
  CycleCreator,
  CycleImage,
  CycleImageSource,
  CycleJob,
  CycleJobTask,
  CycleOrigin,
  CycleRelated,
  ImageSourceRef,
  OciRegistryAuth,
  StateInfo,
} from './upstreams/cycle/index.js';
import type {
  CfApp,
  CfChecksum,
  CfDroplet,
  CfJob,
  CfMetadata,
  CfPackage,
  CfPackageArchive,
} from './upstreams/cf/index.js';
import type { DockerCloudRegistry, DockerCloudRepository } from './upstreams/dockercloud/index.js';
import type { Page } from './upstreams/shared/page.js';
import type { ImageReference } from './crossPlatform/imageReference.js';
import type { UploadedFile } from './http/uploadedFile.js';

export type { Page } from './upstreams/shared/page.js';

export interface EdgeModel<T> {
  cursor: string;
  node: T;
}

export type ImageModel = CycleImage;
export type ImageSourceModel = CycleImageSource;
export type ImageConnectionModel = Page<CycleImage>;
export type ImageEdgeModel = EdgeModel<CycleImage>;
export type ImageSourceConnectionModel = Page<CycleImageSource>;
export type ImageSourceEdgeModel = EdgeModel<CycleImageSource>;
export type ImageStatusModel = StateInfo<CycleImage['state']['current']>;
export type ImageSourceStatusModel = StateInfo<CycleImageSource['state']['current']>;
export type ImageOriginRefModel = ImageSourceRef;
export type ImageOriginModel = CycleOrigin;
export type DockerHubOriginModel = Extract<CycleOrigin, { type: 'docker-hub' }>;
export type DockerRegistryOriginModel = Extract<CycleOrigin, { type: 'docker-registry' }>;
export type OciRegistryOriginModel = Extract<CycleOrigin, { type: 'oci-registry' }>;
export type DockerFileOriginModel = Extract<CycleOrigin, { type: 'docker-file' }>;
export type CycleUploadOriginModel = Extract<CycleOrigin, { type: 'cycle-upload' }>;
export type CycleSourceOriginModel = Extract<CycleOrigin, { type: 'cycle-source' }>;
export type NoOriginModel = Extract<CycleOrigin, { type: 'none' }>;
export type OciRegistryAuthModel = OciRegistryAuth;
export type OciUserAuthModel = Extract<OciRegistryAuth, { type: 'user' }>;
export type OciProviderAuthModel = Extract<OciRegistryAuth, { type: 'provider' }>;
export type OciWebhookAuthModel = Extract<OciRegistryAuth, { type: 'webhook' }>;
/** Counts as Cycle sent them: a total may be the marker of a value the graph cannot express (upstreamValues.ts). */
export type ContainersCountModel = NonNullable<CycleImage['containersCount']>;
export type ImagesCountModel = NonNullable<CycleImageSource['imagesCount']>;
export type CreatorModel = CycleCreator;
export type RelatedModel = CycleRelated;
export type BuildLogModel = CycleBuildLog;
export type CycleJobModel = CycleJob;
export type CycleJobTaskModel = CycleJobTask;
export type CycleJobConnectionModel = Page<CycleJob>;
export type CycleJobEdgeModel = EdgeModel<CycleJob>;
/** Every job the `Job` interface covers: Cycle jobs have an `id`, Cloud Foundry jobs a `guid`. */
export type JobModel = CycleJob | CfJob;

export type CfJobModel = CfJob;
export type PackageModel = CfPackage;
export type BitsPackageDataModel = Extract<CfPackage, { type: 'bits' }>['bits'];
export type DockerPackageDataModel = Extract<CfPackage, { type: 'docker' }>['docker'];
export type CfMetadataModel = CfMetadata;
export type ChecksumModel = CfChecksum;
export type AppModel = CfApp;
export type DropletModel = CfDroplet;
export type PackageConnectionModel = Page<CfPackage>;
export type PackageEdgeModel = EdgeModel<CfPackage>;
export type AppConnectionModel = Page<CfApp>;
export type AppEdgeModel = EdgeModel<CfApp>;
export type DropletConnectionModel = Page<CfDroplet>;
export type DropletEdgeModel = EdgeModel<CfDroplet>;
export type PackageArchiveModel = CfPackageArchive;

export type RepositoryModel = DockerCloudRepository;
export type RegistryModel = DockerCloudRegistry;
export type RepositoryConnectionModel = Page<DockerCloudRepository>;
export type RepositoryEdgeModel = EdgeModel<DockerCloudRepository>;
export type RegistryConnectionModel = Page<DockerCloudRegistry>;
export type RegistryEdgeModel = EdgeModel<DockerCloudRegistry>;

export type ImageReferenceModel = ImageReference;
/** An `Upload` scalar value: a file of a multipart request, streamed when a resolver reads it (http/uploadedFile.ts). */
export type UploadModel = UploadedFile;
