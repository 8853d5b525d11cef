import { describe, expect, it } from 'vitest';
import {
  fieldNames,
  imageFetchPlan,
  jobFetchPlan,
  sourceFetchPlan,
  type SelectedFieldNames,
} from '../../src/upstreams/cycle/index.js';

/** Fields as look-ahead reports them: `identityOnly` names those selected with nothing but `id`/`__typename`. */
function selected(names: string[], identityOnly: string[] = []): SelectedFieldNames {
  return Object.assign(new Set(names), { identityOnly: new Set(identityOnly) });
}

describe('Cycle fetch plans', () => {
  it('ask images for exactly the includes and meta the selected fields need', () => {
    expect(imageFetchPlan(selected(['id', 'name', 'source', 'creator', 'containersCount']))).toEqual({
      include: ['sources', 'creators'],
      meta: ['containers_count'],
    });
    expect(imageFetchPlan(selected(['stack', 'stackBuild', 'integration']))).toEqual({
      include: ['stacks', 'stack_builds', 'integrations'],
    });
    expect(imageFetchPlan(selected(['id', 'name', 'buildLog']))).toEqual({});
  });

  it('drop include=creators when only the creator’s identity is selected (the reference answers it)', () => {
    expect(imageFetchPlan(selected(['creator', 'source'], ['creator', 'source']))).toEqual({ include: ['sources'] });
    expect(sourceFetchPlan(selected(['creator'], ['creator']))).toEqual({});
    expect(jobFetchPlan(selected(['creator'], ['creator']))).toEqual({});
  });

  it('plan sources and jobs with their own tables', () => {
    expect(sourceFetchPlan(selected(['creator', 'imagesCount', 'images']))).toEqual({
      include: ['creators'],
      meta: ['images_count'],
    });
    expect(jobFetchPlan(selected(['creator', 'state']))).toEqual({ include: ['creators'] });
  });

  it('take single field names from resolvers that need one more field', () => {
    expect(imageFetchPlan(fieldNames('containersCount'))).toEqual({ meta: ['containers_count'] });
    expect(imageFetchPlan(fieldNames('creator'))).toEqual({ include: ['creators'] });
    expect(sourceFetchPlan(fieldNames())).toEqual({});
  });
});
