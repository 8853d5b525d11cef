/** Resolver maps per schema module, paired with their SDL files in schema.ts. */
import { commonResolvers } from './common.js';
import { cycleEnumResolvers } from './cycle/enums.js';
import { imageResolvers } from './cycle/images.js';
import { cycleJobResolvers } from './cycle/jobs.js';
import { cycleMutationResolvers } from './cycle/mutations.js';
import { sourceResolvers } from './cycle/sources.js';
import { jobResolvers } from './jobs.js';

export const resolverModules = {
  common: [commonResolvers, jobResolvers],
  cycle: [cycleEnumResolvers, imageResolvers, sourceResolvers, cycleJobResolvers],
  cycleMutations: [cycleMutationResolvers],
};
