/**
 * Cycle's image factory, as far as the upload flow of a `cycle-upload` source goes (cycle.md §5 "Upload flow"): an
 * OCI image tar as multipart form-data under the key `file.tar`, posted to
 * `/v1/images/<IMAGE ID>/upload?hub-id=<HUB ID>&token=<TOKEN>` before the token's `details.expires`. The real factory
 * listens on its own host (`factory.cycle.io:9414`); the sandbox serves it on the Cycle emulator's port, which is
 * where sandbox mode points CYCLE_FACTORY_URL.
 *
 * (I) What the contract leaves open, chosen here: the factory authenticates by the query's hub and token only (no
 * API key); a wrong or missing token, or an expired one, is 401 `401.auth-invalid` in Cycle's ErrorEnvelope, each
 * with its own detail; an image whose source is not `cycle-upload` is 403 `403.invalid-state`, as is an image that
 * is not `new` (already uploaded, being processed or deleted). The image is `uploading` while the tar arrives; a body
 * that is no OCI image layout tar is 422 `422.invalid-input` and leaves the image `new`; an accepted tar starts the
 * upload job (verifying, saving, then `live`: routes/imageJobs.ts), answered as a JobDescriptor.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestUrl } from '../../shared/emulator.js';
import { sendJson } from '../../shared/http.js';
import { readMultipartForm } from '../../shared/multipart.js';
import { CycleError, sendCycleError } from '../errors.js';
import { describeJob } from '../jobs.js';
import { isOciImageLayout, tarEntryNames } from '../ociTar.js';
import type { CycleStore } from '../store.js';
import type { Image } from '../wire.js';
import { setImageState, startUploadedImageProcessing } from './imageJobs.js';

/** The form field the factory reads the tar from. */
export const FACTORY_FILE_FIELD = 'file.tar';
/** What one upload may hold before the factory stops reading it: the sandbox's bound, not Cycle's. */
const MAX_TAR_BYTES = 64 * 1024 * 1024;

type FactoryHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string | undefined>,
) => Promise<void>;

export function factoryUpload(storesByKey: ReadonlyMap<string, CycleStore>): FactoryHandler {
  const storesByHub = new Map([...storesByKey.values()].map((store) => [store.hubId, store] as const));
  return async (req, res, params) => {
    try {
      const { store, image } = authorize(req, storesByHub, params['imageId'] ?? '');
      const reply = await receive(req, store, image);
      sendJson(res, 200, reply);
    } catch (error) {
      if (!(error instanceof CycleError)) throw error;
      // Refused before the tar was read: take the rest of the body (bounded), so the client sees the answer
      // instead of a connection closed under its upload.
      await drain(req, MAX_TAR_BYTES);
      sendCycleError(res, error);
    }
  };
}

function authorize(
  req: IncomingMessage,
  storesByHub: ReadonlyMap<string, CycleStore>,
  imageId: string,
): { store: CycleStore; image: Image } {
  const query = requestUrl(req).searchParams;
  const hubId = query.get('hub-id');
  const token = query.get('token');
  if (!hubId || !token)
    throw new CycleError('401.auth-invalid', 'An upload needs the `hub-id` and `token` query parameters.');
  const store = storesByHub.get(hubId);
  if (store === undefined) throw new CycleError('401.auth-invalid', 'The upload token is not valid for this image.');
  const image = store.image(imageId);
  const source = image.source ? store.sources.get(image.source.details.id) : undefined;
  if (source?.origin.type !== 'cycle-upload')
    throw new CycleError('403.invalid-state', `Image "${image.id}" does not belong to a cycle-upload source.`);
  if (source.origin.details.token !== token)
    throw new CycleError('401.auth-invalid', 'The upload token is not valid for this image.');
  if (Date.parse(source.origin.details.expires) <= Date.now())
    throw new CycleError('401.auth-invalid', `The upload token expired at ${source.origin.details.expires}.`);
  if (image.state.current !== 'new' || store.busy.has(image.id))
    throw new CycleError('403.invalid-state', `Image "${image.id}" is ${image.state.current}: it takes no upload.`);
  return { store, image };
}

async function receive(req: IncomingMessage, store: CycleStore, image: Image): Promise<unknown> {
  setImageState(image, 'uploading');
  const form = await readMultipartForm(req, MAX_TAR_BYTES);
  const tar = form.files.get(FACTORY_FILE_FIELD);
  const refusal =
    tar === undefined
      ? new CycleError(
          '422.missing-argument',
          `The upload needs the OCI image tar under the form key "${FACTORY_FILE_FIELD}".`,
        )
      : form.truncated.has(FACTORY_FILE_FIELD)
        ? new CycleError('422.invalid-input', `The image tar is larger than ${MAX_TAR_BYTES} bytes.`)
        : !isOciImageLayout(tarEntryNames(tar) ?? [])
          ? new CycleError(
              '422.invalid-input',
              'The upload is not an OCI image layout tar (oci-layout and index.json).',
            )
          : null;
  if (refusal) {
    if (store.images.get(image.id) === image) setImageState(image, 'new');
    throw refusal;
  }
  return { data: describeJob(startUploadedImageProcessing(store, image, tar!.length)) };
}

async function drain(req: IncomingMessage, limitBytes: number): Promise<void> {
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) return;
  }
}
