/**
 * The hub's job history: finished import jobs for recently imported images, a couple that failed, and delete/prune
 * jobs, so `GET /v1/jobs` has something to filter and page before any write happens.
 */
import { planJob, imagesQueue, type JobKind } from '../jobPlans.js';
import type { JobRecord } from '../jobs.js';
import type { CreatorScope, Image } from '../wire.js';
import type { SeedContext } from './context.js';

function seedJob(
  ctx: SeedContext,
  kind: JobKind,
  input: Record<string, unknown>,
  acceptedAt: number,
  creator: CreatorScope,
  failure?: string,
): JobRecord {
  const plan = planJob(kind, input, ctx.idAt(acceptedAt));
  return {
    id: ctx.idAt(acceptedAt),
    hubId: ctx.hubId,
    ...plan,
    queue: imagesQueue(ctx.hubId),
    creator,
    acceptedAt,
    durationMs: ctx.rng.int(20, 240) * 1000,
    ...(failure === undefined ? {} : { failure }),
    limitDuplicates: kind === 'image-import',
    lastStep: Number.MAX_SAFE_INTEGER,
    settled: true,
  };
}

export function seedJobHistory(
  ctx: SeedContext,
  images: readonly Image[],
  sourceIds: readonly string[],
  creator: CreatorScope,
  importCount: number,
): JobRecord[] {
  const byCreation = [...images].sort((a, b) => (a.events.created < b.events.created ? -1 : 1));
  const recent = byCreation.filter((i) => i.state.current === 'live').slice(-importCount);
  const jobs = recent.map((image) =>
    seedJob(ctx, 'image-import', { id: image.id }, Date.parse(image.events.created), image.creator ?? creator),
  );

  const unimported = byCreation.filter((i) => i.state.current === 'new').slice(0, 2);
  for (const image of unimported) {
    jobs.push(
      seedJob(
        ctx,
        'image-import',
        { id: image.id },
        Date.parse(image.events.created) + 60_000,
        creator,
        'unable to pull image: manifest unknown',
      ),
    );
  }

  // Images and sources that were deleted before the seed's "now": their jobs outlive them, as on Cycle.
  for (let i = 0; i < 3; i++) {
    jobs.push(
      seedJob(
        ctx,
        'image-delete',
        { id: ctx.idAt(ctx.timeEarly(0.5)) },
        ctx.timeAfter(ctx.endMs - 30 * 86_400_000, 29 * 86_400_000),
        creator,
      ),
    );
  }
  jobs.push(
    seedJob(
      ctx,
      'images-prune',
      { source_ids: sourceIds.slice(0, 2) },
      ctx.timeAfter(ctx.endMs - 10 * 86_400_000, 9 * 86_400_000),
      creator,
    ),
  );
  jobs.push(
    seedJob(
      ctx,
      'source-delete',
      { id: ctx.idAt(ctx.timeEarly(0.2)) },
      ctx.timeAfter(ctx.endMs - 60 * 86_400_000, 50 * 86_400_000),
      creator,
    ),
  );
  return jobs.sort((a, b) => a.acceptedAt - b.acceptedAt);
}
