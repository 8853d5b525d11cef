import { describe, expect, it } from 'vitest';
import { encodeOffsetCursor, InvalidCursorError, offsetAfterCursor } from '../../src/upstreams/shared/page.js';

describe('offset cursors', () => {
  it('are base64url of `offset:<n>` and read back as the next offset', () => {
    for (const offset of [0, 1, 19, 9_999, 10_000, 123_456]) {
      const cursor = encodeOffsetCursor(offset);
      expect(Buffer.from(cursor, 'base64url').toString('utf8')).toBe(`offset:${offset}`);
      expect(cursor).not.toMatch(/[+/=]/);
      expect(offsetAfterCursor(cursor)).toBe(offset + 1);
    }
    expect(offsetAfterCursor(null)).toBe(0);
    for (const foreign of [Buffer.from('page:3').toString('base64url'), 'not base64 at all', ''])
      expect(() => offsetAfterCursor(foreign)).toThrow(InvalidCursorError);
  });
});
