/**
 * The jobs the images and sources endpoints start (cycle.md §4 rows 5, 7, 8, 13): their descriptor `action`, caption,
 * tasks and steps. Shared by the seed's job history and by live writes, so both read the same.
 */
import type { ImageStateName } from './wire.js';
import type { JobTaskPlan } from './jobs.js';

export type JobKind = 'image-import' | 'image-upload' | 'image-delete' | 'images-prune' | 'source-delete';

/** The import steps, each with the image state it shows while it runs (cycle.md §5 `ImageState`). */
export const IMPORT_STEPS: readonly { caption: string; description: string; imageState: ImageStateName }[] = [
  { caption: 'Downloading', description: 'Fetching the image from its origin.', imageState: 'downloading' },
  { caption: 'Building', description: 'Building the image on the factory.', imageState: 'building' },
  { caption: 'Verifying', description: 'Verifying the image layers.', imageState: 'verifying' },
  { caption: 'Saving', description: 'Saving the image to hub storage.', imageState: 'saving' },
];

/**
 * (I) What the factory does with an uploaded OCI tar (cycle.md §5 "Upload flow"): the image was `uploading` while the
 * tar arrived, then verifies and saves it like an import's last steps, and is `live` at completion.
 */
export const UPLOAD_STEPS: readonly { caption: string; description: string; imageState: ImageStateName }[] = [
  { caption: 'Verifying', description: 'Verifying the uploaded image layers.', imageState: 'verifying' },
  { caption: 'Saving', description: 'Saving the image to hub storage.', imageState: 'saving' },
];

interface Plan {
  action: string;
  caption: string;
  tasks: JobTaskPlan[];
}

export function planJob(kind: JobKind, input: Record<string, unknown>, taskId: string): Plan {
  switch (kind) {
    case 'image-import':
      return {
        action: 'import',
        caption: 'Import Image',
        tasks: [{ id: taskId, caption: 'Importing image', header: 'image.import', input, steps: IMPORT_STEPS }],
      };
    case 'image-upload':
      return {
        action: 'upload',
        caption: 'Process Uploaded Image',
        tasks: [
          { id: taskId, caption: 'Processing uploaded image', header: 'image.upload', input, steps: UPLOAD_STEPS },
        ],
      };
    case 'image-delete':
      return {
        action: 'delete',
        caption: 'Delete Image',
        tasks: [
          {
            id: taskId,
            caption: 'Deleting image',
            header: 'image.delete',
            input,
            steps: [
              { caption: 'Unlinking', description: 'Removing the image from servers.' },
              { caption: 'Deleting', description: 'Deleting the image files.' },
            ],
          },
        ],
      };
    case 'images-prune':
      return {
        action: 'prune',
        caption: 'Prune Images',
        tasks: [
          {
            id: taskId,
            caption: 'Pruning images',
            header: 'images.prune',
            input,
            steps: [
              { caption: 'Selecting', description: 'Finding the images of the given sources.' },
              { caption: 'Deleting', description: 'Deleting the selected images.' },
            ],
          },
        ],
      };
    case 'source-delete':
      return {
        action: 'delete',
        caption: 'Delete Image Source',
        tasks: [
          {
            id: taskId,
            caption: 'Deleting image source',
            header: 'image.source.delete',
            input,
            steps: [{ caption: 'Deleting', description: 'Deleting the image source.' }],
          },
        ],
      };
  }
}

export function imagesQueue(hubId: string): string {
  return `hub-${hubId}-images`;
}
