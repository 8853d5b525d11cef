/** Relay connection fields, the same for every list: a connection is a Page<T>, an edge pairs a cursor and a node. */
import type { GraphQLResolveInfo } from 'graphql';
import { asClientError } from '../errors.js';
import type { EdgeModel, Page } from '../models.js';
import type { PageRequest } from '../upstreams/shared/page.js';
import { selectedFields } from './lookahead.js';
import { pageRequest } from './validate.js';

export const connectionResolvers = {
  edges: <T>(page: Page<T>): EdgeModel<T>[] => page.items.map((node, i) => ({ cursor: page.cursors[i]!, node })),
  nodes: <T>(page: Page<T>): T[] => page.items,
  pageInfo: <T>(page: Page<T>) => ({
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: page.cursors[0] ?? null,
    endCursor: page.cursors[page.cursors.length - 1] ?? null,
  }),
};

/** The page `first: 0` asks for: answered without an upstream call. */
export function emptyPage<T>(hasPreviousPage: boolean, totalCount: number | null = null): Page<T> {
  return { items: [], cursors: [], totalCount, hasNextPage: false, hasPreviousPage };
}

/**
 * Whether a connection can be answered with `emptyPage` and no upstream call: `first: 0` without `totalCount`
 * selected. (Upstreams that count, CF and Docker Cloud, need one small call for `totalCount`.)
 */
export function answersWithoutCall(page: PageRequest, info: GraphQLResolveInfo, connectionType: string): boolean {
  return page.first === 0 && !selectedFields(info, connectionType).has('totalCount');
}

/**
 * A connection field: `first`/`after` checked (`first` from 0 to `maxPageSize`), answered without an upstream call
 * when nothing needs one, else the page `load` reads. Build filters before calling this, so that a bad filter is
 * refused even with `first: 0`. A cursor the list did not issue is BAD_USER_INPUT (errors.ts), before any request.
 */
export async function resolveConnection<T>(
  args: { first?: number | null; after?: string | null },
  maxPageSize: number,
  info: GraphQLResolveInfo,
  connectionType: string,
  load: (page: PageRequest) => Promise<Page<T>>,
): Promise<Page<T>> {
  const page = pageRequest(args.first, args.after, maxPageSize);
  if (answersWithoutCall(page, info, connectionType)) return emptyPage(Boolean(args.after));
  try {
    return await load(page);
  } catch (error) {
    throw asClientError(error);
  }
}
