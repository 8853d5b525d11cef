import { int, setting } from './setting.js';

/** Multipart uploads: how much, and how many at once. */

export const UPLOAD_MAX_BYTES = setting({
  name: 'UPLOAD_MAX_BYTES',
  type: int({ min: 1, max: 64 * 1024 * 1024 * 1024 }),
  default: 64 * 1024 * 1024,
  example: '268435456',
  description:
    'all the files of one multipart request together (`PAYLOAD_TOO_LARGE`, 413: at once when the declared length is beyond, else as the bytes pass it)',
});
export const UPLOAD_MAX_FILE_BYTES = setting({
  name: 'UPLOAD_MAX_FILE_BYTES',
  type: int({ min: 1, max: 64 * 1024 * 1024 * 1024 }),
  default: 64 * 1024 * 1024,
  example: '1073741824',
  description:
    'one uploaded file, enforced while it streams to its resolver (`PAYLOAD_TOO_LARGE`, 413, `extensions.setting` names the limit)',
});
export const UPLOAD_MAX_CONCURRENT = setting({
  name: 'UPLOAD_MAX_CONCURRENT',
  type: int({ min: 1, max: 1000 }),
  default: 2,
  example: '4',
  description:
    'multipart requests streaming files at once; more answer 503 `TOO_MANY_UPLOADS` with `Retry-After`. A file a resolver reads whole (`uploadPackageBits`) is held in memory: budget `UPLOAD_MAX_CONCURRENT × UPLOAD_MAX_FILE_BYTES` above the working set',
});

export const uploadSettings = [UPLOAD_MAX_BYTES, UPLOAD_MAX_FILE_BYTES, UPLOAD_MAX_CONCURRENT];
