/**
 * What each job does to the hub (issue "jobs ... take effect when they complete"):
 *   import: the image walks downloading → building → verifying → saving with the job's steps, `live` at completion;
 *   image delete: `deleting` at once, gone at completion;
 *   prune: at completion removes the images of the given sources that no container uses (those that existed, unused,
 *   when the job was accepted). The spec documents only the body `{action: "prune", contents: {source_ids}}`
 *   (cycle.md §4 row 7), not whether images in use are spared; (I) a prune keeps what containers run on, as
 *   `docker image prune` does, so the emulator spares any image whose `containers_count.total` is above 0;
 *   source delete: `deleting` at once, gone at completion (I: its images stay, pointing at a source that is gone).
 */
import { CycleError } from '../errors.js';
import { cycleTime, newObjectId } from '../ids.js';
import { IMPORT_STEPS, UPLOAD_STEPS } from '../jobPlans.js';
import type { JobRecord } from '../jobs.js';
import { buildLogText, configProfile, zeroContainersCount } from '../imageContent.js';
import type { CycleStore } from '../store.js';
import type { Image, ImageSource } from '../wire.js';
import { ZERO_TIME } from '../wire.js';

export function setImageState(image: Image, state: Image['state']['current'], now = Date.now()): void {
  image.state = { current: state, changed: cycleTime(now) };
  image.events.updated = cycleTime(now);
}

/** (I) Importing twice at once, or importing an image being deleted, is refused as Cycle refuses invalid states. */
export function startImageImport(store: CycleStore, image: Image): JobRecord {
  if (image.state.current === 'deleting' || store.busy.has(image.id)) {
    throw new CycleError(
      '403.invalid-state',
      `Image "${image.id}" is ${store.busy.has(image.id) ? 'already being imported' : image.state.current}.`,
    );
  }
  store.busy.add(image.id);
  const stillImporting = () => store.images.get(image.id) === image && image.state.current !== 'deleting';
  return store.startJob(
    'image-import',
    { id: image.id },
    {
      onStep(step) {
        const planned = IMPORT_STEPS[step];
        if (planned && stillImporting()) setImageState(image, planned.imageState);
      },
      onComplete() {
        store.busy.delete(image.id);
        if (stillImporting()) makeLive(store, image, 40 * 1_048_576 + (parseInt(image.id.slice(-4), 16) % 4096) * 1024);
      },
    },
  );
}

/**
 * (I) After the factory took an uploaded tar (routes/factory.ts): `uploading` is over, the image walks the upload
 * job's steps (verifying, saving) and is `live` at completion, its size the tar's.
 */
export function startUploadedImageProcessing(store: CycleStore, image: Image, sizeBytes: number): JobRecord {
  store.busy.add(image.id);
  const stillProcessing = () => store.images.get(image.id) === image && image.state.current !== 'deleting';
  return store.startJob(
    'image-upload',
    { id: image.id },
    {
      onStep(step) {
        const planned = UPLOAD_STEPS[step];
        if (planned && stillProcessing()) setImageState(image, planned.imageState);
      },
      onComplete() {
        store.busy.delete(image.id);
        if (stillProcessing()) makeLive(store, image, sizeBytes);
      },
    },
  );
}

/** The image as an import or an upload leaves it: stored on Cycle's backend, configured, `live`, with a build log. */
function makeLive(store: CycleStore, image: Image, size: number): void {
  const now = Date.now();
  image.size = size;
  image.backend = { provider: 'cycle', size, file_name: `${image.id}.tar`, file_id: newObjectId(now) };
  image.config = configProfile(parseInt(image.id.slice(-2), 16));
  image.factory = { node_id: newObjectId(now), cached: cycleTime(now), acknowledged: cycleTime(now) };
  setImageState(image, 'live', now);
  if (!store.containersCount.has(image.id)) store.containersCount.set(image.id, zeroContainersCount());
  const previous = store.buildLogs.get(image.id);
  store.buildLogs.set(image.id, {
    id: previous?.id ?? newObjectId(now),
    hub_id: store.hubId,
    image_id: image.id,
    log: buildLogText(image.name, image.source?.details.origin ?? { type: 'none' }, size),
    events: { created: previous?.events.created ?? cycleTime(now), updated: cycleTime(now), deleted: ZERO_TIME },
  });
}

export function startImageDelete(store: CycleStore, image: Image): JobRecord {
  if (image.state.current === 'deleting')
    throw new CycleError('403.invalid-state', `Image "${image.id}" is already being deleted.`);
  setImageState(image, 'deleting');
  return store.startJob(
    'image-delete',
    { id: image.id },
    {
      onComplete: () => {
        if (store.images.get(image.id) === image) store.removeImage(image.id);
      },
    },
  );
}

export function startPrune(store: CycleStore, sourceIds: readonly string[]): JobRecord {
  const wanted = new Set(sourceIds);
  const doomed = [...store.images.values()].filter(
    (image) =>
      image.source !== undefined &&
      wanted.has(image.source.details.id) &&
      (store.containersCount.get(image.id)?.total ?? 0) === 0,
  );
  return store.startJob(
    'images-prune',
    { source_ids: [...sourceIds] },
    {
      onComplete: () => {
        for (const image of doomed) if (store.images.get(image.id) === image) store.removeImage(image.id);
      },
    },
  );
}

export function startSourceDelete(store: CycleStore, source: ImageSource): JobRecord {
  if (source.state.current === 'deleting')
    throw new CycleError('403.invalid-state', `Image source "${source.id}" is already being deleted.`);
  const now = Date.now();
  source.state = { current: 'deleting', changed: cycleTime(now) };
  source.events.updated = cycleTime(now);
  return store.startJob(
    'source-delete',
    { id: source.id },
    {
      onComplete: () => {
        if (store.sources.get(source.id) === source) store.sources.delete(source.id);
      },
    },
  );
}
