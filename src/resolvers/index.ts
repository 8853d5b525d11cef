/** Resolver maps per schema module, paired with their SDL files in schema.ts. */
import { appResolvers } from './cf/apps.js';
import { cfEnumResolvers } from './cf/enums.js';
import { cfJobResolvers } from './cf/jobs.js';
import { cfMutationResolvers } from './cf/mutations.js';
import { packageResolvers } from './cf/packages.js';
import { commonResolvers } from './common.js';
import { crossPlatformResolvers } from './crossPlatform.js';
import { cycleEnumResolvers } from './cycle/enums.js';
import { imageResolvers } from './cycle/images.js';
import { cycleJobResolvers } from './cycle/jobs.js';
import { cycleMutationResolvers } from './cycle/mutations.js';
import { sourceResolvers } from './cycle/sources.js';
import { dockerCloudMutationResolvers } from './dockercloud/mutations.js';
import { dockerCloudResolvers } from './dockercloud/repositories.js';
import { jobResolvers } from './jobs.js';
import { nodeResolvers } from './node.js';
import { subscriptionResolvers } from './subscriptions.js';
import { uploadResolvers } from './upload.js';

export const resolverModules = {
  common: [commonResolvers, jobResolvers, uploadResolvers],
  cycle: [cycleEnumResolvers, imageResolvers, sourceResolvers, cycleJobResolvers],
  cycleMutations: [cycleMutationResolvers],
  cf: [cfEnumResolvers, packageResolvers, appResolvers, cfJobResolvers],
  cfMutations: [cfMutationResolvers],
  dockercloud: [dockerCloudResolvers],
  dockercloudMutations: [dockerCloudMutationResolvers],
  crossPlatform: [crossPlatformResolvers],
  subscriptions: [subscriptionResolvers],
  // Last: it extends the entity types of the modules above with `implements Node`.
  node: [nodeResolvers],
};
