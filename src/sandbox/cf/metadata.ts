/**
 * `metadata` in request bodies (cf-v3-packages.md §1; v3 docs "Metadata"): `labels` and `annotations` are string
 * maps; on PATCH they are deep-merged and a `null` value deletes the key. Validation messages follow CC's
 * `MetadataValidator` (attribute "Metadata" + the helper's message).
 */
import { labelKeyError, labelValueError } from './labelSelector.js';
import type { Metadata } from './models.js';

const ANNOTATION_VALUE_LIMIT = 5000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the validation messages for a request's `metadata` (empty when valid). */
export function validateMetadata(metadata: unknown): string[] {
  if (metadata === undefined) return [];
  if (!isPlainObject(metadata)) return ["Metadata 'metadata' is not an object"];
  const errors: string[] = [];
  const extra = Object.keys(metadata).filter((k) => k !== 'labels' && k !== 'annotations');
  if (extra.length > 0) errors.push(`Metadata has unexpected field(s): '${extra.join("', '")}'`);
  for (const kind of ['labels', 'annotations'] as const) {
    const map = metadata[kind];
    if (map === undefined) continue;
    if (!isPlainObject(map)) {
      errors.push(`Metadata '${kind}' is not an object`);
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      if (value !== null && typeof value !== 'string') {
        errors.push(
          `Metadata ${kind === 'labels' ? 'label' : 'annotation'} value for '${key}' must be a string or null`,
        );
        continue;
      }
      const keyProblem = labelKeyError(key);
      if (keyProblem)
        errors.push(`Metadata ${kind === 'labels' ? keyProblem : keyProblem.replace(/^label/, 'annotation')}`);
      if (typeof value !== 'string') continue;
      if (kind === 'labels') {
        const valueProblem = labelValueError(value);
        if (valueProblem) errors.push(`Metadata ${valueProblem}`);
      } else if ([...value].length > ANNOTATION_VALUE_LIMIT) {
        errors.push(
          `Metadata annotation value error: value for '${key}' is greater than ${ANNOTATION_VALUE_LIMIT} characters`,
        );
      }
    }
  }
  return errors;
}

/** Applies a validated patch: keys with a value are set, keys with `null` are deleted, others are kept. */
export function mergeMetadata(current: Metadata, patch: unknown): Metadata {
  const merged: Metadata = { labels: { ...current.labels }, annotations: { ...current.annotations } };
  if (!isPlainObject(patch)) return merged;
  for (const kind of ['labels', 'annotations'] as const) {
    const changes = patch[kind];
    if (!isPlainObject(changes)) continue;
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete merged[kind][key];
      else merged[kind][key] = value as string;
    }
  }
  return merged;
}
