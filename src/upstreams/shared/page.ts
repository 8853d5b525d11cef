/**
 * What list methods of every upstream client return, whatever the upstream's envelope. Cursors are opaque strings,
 * made and read only by the client that issued them.
 */
import type { MaybeInvalid } from './invalidValue.js';

export interface Page<T> {
  items: T[];
  /**
   * Total across all pages, when the upstream knows it (CF, Docker Cloud); null for Cycle. The marker when the
   * upstream's total is not a count GraphQL's `Int` holds: only `totalCount` fails.
   */
  totalCount: MaybeInvalid<number> | null;
  /** Cursor of each item, in order (Relay edges). */
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export interface PageRequest {
  first: number;
  /** Cursor of the item after which the page starts. */
  after?: string | null;
}

/** Cursors of the offset-addressed upstreams: base64url of `offset:<n>` (the item's 0-based position). */
export function encodeOffsetCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

/** A cursor this gateway could not have issued for the list it was given to (mapped to BAD_USER_INPUT in errors.ts). */
export class InvalidCursorError extends Error {
  /** The connection argument that held the cursor. */
  readonly argument = 'after';

  constructor() {
    super('The `after` cursor is not a cursor of this list');
    this.name = 'InvalidCursorError';
  }
}

/** The 0-based offset where a page after `cursor` starts. @throws InvalidCursorError when it is not one of ours */
export function offsetAfterCursor(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError();
  return Number(match[1]) + 1;
}
