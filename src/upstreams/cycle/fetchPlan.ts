/**
 * Which Cycle `include` and `meta` values (cycle.md §3) a read needs, from the names of the fields a client selected
 * on the resource (the graph's names: `source`, `creator`, `containersCount`). Cycle's parameter names are spelled
 * here only: resolvers pass field names, and one request then brings everything the selection needs.
 */
import type { CycleFetch } from './client.js';
import type { CycleImageInclude, CycleSourceInclude } from './types.js';

/**
 * Names of the fields selected on a resource. `identityOnly` names those among them whose every selection asks for
 * nothing but `id` and `__typename`: a relationship selected so can be answered from the reference the resource
 * holds, without its include.
 */
export type SelectedFieldNames = ReadonlySet<string> & { readonly identityOnly: ReadonlySet<string> };

/** Field names selected each with sub-fields beyond identity (or leaves): what a resolver asks for one field. */
export function fieldNames(...names: string[]): SelectedFieldNames {
  return Object.assign(new Set(names), { identityOnly: new Set<string>() });
}

const IMAGE_INCLUDES: Readonly<Record<string, CycleImageInclude>> = {
  source: 'sources',
  creator: 'creators',
  stack: 'stacks',
  stackBuild: 'stack_builds',
  integration: 'integrations',
};
const IMAGE_META: Readonly<Record<string, string>> = { containersCount: 'containers_count' };
const SOURCE_INCLUDES: Readonly<Record<string, CycleSourceInclude>> = {
  creator: 'creators',
  integration: 'integrations',
};
const SOURCE_META: Readonly<Record<string, string>> = { imagesCount: 'images_count' };
const JOB_INCLUDES: Readonly<Record<string, 'creators'>> = { creator: 'creators' };
const NO_META: Readonly<Record<string, string>> = {};

/**
 * Includes the graph can do without when the client selects only the related resource's `id` and `__typename`: a
 * creator's kind and id are in the resource's own `creator` reference.
 */
const ANSWERED_BY_REFERENCE: ReadonlySet<string> = new Set(['creators']);

/** What to ask Cycle for, given the fields selected on images. */
export function imageFetchPlan(fields: SelectedFieldNames): CycleFetch<CycleImageInclude> {
  return planFor(fields, IMAGE_INCLUDES, IMAGE_META);
}

/** What to ask Cycle for, given the fields selected on image sources. */
export function sourceFetchPlan(fields: SelectedFieldNames): CycleFetch<CycleSourceInclude> {
  return planFor(fields, SOURCE_INCLUDES, SOURCE_META);
}

/** What to ask Cycle for, given the fields selected on jobs (creators only: jobs have no meta). */
export function jobFetchPlan(fields: SelectedFieldNames): CycleFetch<'creators'> {
  return planFor(fields, JOB_INCLUDES, NO_META);
}

function planFor<I extends string>(
  fields: SelectedFieldNames,
  includes: Readonly<Record<string, I>>,
  meta: Readonly<Record<string, string>>,
): CycleFetch<I> {
  const plan: CycleFetch<I> = {};
  const include = [...fields].flatMap((field) => {
    const value = includes[field];
    return value && !(fields.identityOnly.has(field) && ANSWERED_BY_REFERENCE.has(value)) ? [value] : [];
  });
  const metaValues = [...fields].flatMap((field) => (meta[field] ? [meta[field]] : []));
  if (include.length > 0) plan.include = include;
  if (metaValues.length > 0) plan.meta = metaValues;
  return plan;
}
