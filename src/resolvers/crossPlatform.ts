/**
 * Links no upstream has: a CF docker package's image and a Cycle registry-backed origin's target, parsed into an
 * ImageReference (crossPlatform/imageReference.ts), resolved to the Docker Cloud repository of that name. An
 * unparseable reference is a null `image`, not an error; a repository Docker Cloud does not know is a null
 * `repository`.
 */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { parseImageReference, parseRegistryImage } from '../crossPlatform/imageReference.js';
import { namespace, repositoryName } from './validate.js';

export const crossPlatformResolvers = {
  Package: {
    image: (pkg) => (pkg.type === 'docker' ? parseImageReference(pkg.docker.image) : null),
  },
  DockerHubOrigin: {
    image: (origin) => parseImageReference(origin.target),
  },
  DockerRegistryOrigin: {
    image: (origin) => (typeof origin.url === 'string' ? parseRegistryImage(origin.url, origin.target) : null),
  },
  OciRegistryOrigin: {
    image: (origin) => (typeof origin.url === 'string' ? parseRegistryImage(origin.url, origin.target) : null),
  },
  ImageReference: {
    repository: (reference, args, ctx) =>
      ctx.loaders.dockercloud
        .repository(namespace(args.namespace))
        .load(repositoryName(reference.dockerCloudName, 'dockerCloudName')),
  },
} satisfies Resolvers;
