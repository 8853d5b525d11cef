/**
 * One tenant's hub: its images, sources, build logs, jobs and the resources `include` can embed, seeded from the
 * tenant's seed variant. Lookups throw the upstream's 404s; time-driven jobs live here too.
 */
import type { SandboxTenant } from '../shared/credentials.js';
import { CycleError } from './errors.js';
import { isObjectId, newObjectId } from './ids.js';
import { planJob, imagesQueue, type JobKind } from './jobPlans.js';
import { advanceJobs, type JobEffect, type JobRecord } from './jobs.js';
import { generateCycleSeed } from './seed/index.js';
import type { StackLink } from './seed/sources.js';
import type {
  BuildLog,
  CreatorDirectory,
  CreatorScope,
  Image,
  ImageSource,
  Integration,
  Stack,
  StackBuild,
  StateCountSummary,
} from './wire.js';

export class CycleStore {
  readonly hubId: string;
  readonly apiKey: string;
  /** The API key requests act as: the creator of what they make. */
  readonly self: CreatorScope;
  readonly images = new Map<string, Image>();
  readonly sources = new Map<string, ImageSource>();
  /** Build logs by image id. */
  readonly buildLogs = new Map<string, BuildLog>();
  /** `meta=containers_count` by image id (images with no entry have no containers). */
  readonly containersCount = new Map<string, StateCountSummary>();
  readonly stackBuildOfImage: Map<string, string>;
  readonly stackLinks: Map<string, StackLink>;
  readonly creators: CreatorDirectory;
  readonly stacks = new Map<string, Stack>();
  readonly stackBuilds = new Map<string, StackBuild>();
  readonly integrations = new Map<string, Integration>();
  readonly jobs = new Map<string, JobRecord>();
  /** Jobs whose effect has not been applied yet. */
  readonly activeJobs = new Set<JobRecord>();
  /** Images with an import job in flight, and the sources/images a delete job is removing. */
  readonly busy = new Set<string>();
  readonly #jobDurationMs: number;

  constructor(tenant: SandboxTenant, jobDurationMs: number) {
    const seed = generateCycleSeed(tenant.seedVariant, tenant.cycle.hubId);
    this.hubId = tenant.cycle.hubId;
    this.apiKey = tenant.cycle.apiKey;
    this.self = seed.selfApiKey;
    this.#jobDurationMs = jobDurationMs;
    for (const image of seed.images) this.images.set(image.id, image);
    for (const source of seed.sources) this.sources.set(source.id, source);
    for (const log of seed.buildLogs) this.buildLogs.set(log.image_id, log);
    for (const [id, count] of seed.containersCount) this.containersCount.set(id, count);
    this.stackBuildOfImage = seed.stackBuildOfImage;
    this.stackLinks = seed.stackLinks;
    this.creators = seed.creators;
    for (const { stack, builds } of seed.stacks) {
      this.stacks.set(stack.id, stack);
      for (const build of builds) this.stackBuilds.set(build.id, build);
    }
    for (const integration of seed.integrations) this.integrations.set(integration.id, integration);
    for (const job of seed.jobs) this.jobs.set(job.id, job);
  }

  image(id: string): Image {
    const image = isObjectId(id) ? this.images.get(id) : undefined;
    if (image === undefined) throw new CycleError('404.image', `No image with id "${id}" exists in this hub.`);
    return image;
  }

  source(id: string, pointer?: string): ImageSource {
    const source = isObjectId(id) ? this.sources.get(id) : undefined;
    if (source === undefined)
      throw new CycleError('404.image.source', `No image source with id "${id}" exists in this hub.`, pointer);
    return source;
  }

  job(id: string): JobRecord {
    const job = isObjectId(id) ? this.jobs.get(id) : undefined;
    if (job === undefined) throw new CycleError('404.job', `No job with id "${id}" exists in this hub.`);
    return job;
  }

  /** An integration by ID or identifier (`HybridIdentifier`). */
  integration(hybrid: string): Integration | undefined {
    const byId = this.integrations.get(hybrid);
    if (byId !== undefined) return byId;
    for (const integration of this.integrations.values()) if (integration.identifier === hybrid) return integration;
    return undefined;
  }

  removeImage(id: string): void {
    this.images.delete(id);
    this.buildLogs.delete(id);
    this.containersCount.delete(id);
    this.stackBuildOfImage.delete(id);
    this.busy.delete(id);
  }

  /** Accepts a job now; its effect runs as requests observe it progress. */
  startJob(kind: JobKind, input: Record<string, unknown>, effect: JobEffect): JobRecord {
    const now = Date.now();
    const job: JobRecord = {
      id: newObjectId(now),
      hubId: this.hubId,
      ...planJob(kind, input, newObjectId(now)),
      queue: imagesQueue(this.hubId),
      creator: this.self,
      acceptedAt: now,
      durationMs: this.#jobDurationMs,
      limitDuplicates: kind === 'image-import',
      effect,
      lastStep: -1,
      settled: false,
    };
    this.jobs.set(job.id, job);
    this.activeJobs.add(job);
    return job;
  }

  advance(now: number): void {
    if (this.activeJobs.size > 0) advanceJobs(this.activeJobs, now);
  }
}
