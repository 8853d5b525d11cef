/** Relay connection fields, the same for every list: a connection is a Page<T>, an edge pairs a cursor and a node. */
import type { EdgeModel, Page } from '../models.js';

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
