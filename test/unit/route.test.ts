import { describe, expect, it } from 'vitest';
import { encodePathSegment, route } from '../../src/upstreams/shared/route.js';

describe('route', () => {
  it('returns the encoded path and the declaration as its template', () => {
    expect(route('/v1/images/{imageId}', { imageId: '5f0c1a2b3c4d5e6f7a8b9c0d' })).toEqual({
      path: '/v1/images/5f0c1a2b3c4d5e6f7a8b9c0d',
      template: '/v1/images/{imageId}',
    });
    expect(route('/v1/images')).toEqual({ path: '/v1/images', template: '/v1/images' });
  });

  it('percent-encodes every character that could leave the segment or that undici refuses', () => {
    const { path, refused } = route('/v1/images/{imageId}/build-log', { imageId: 'a b/c?d#e%f\\g\r\n\u00e9' });
    expect(refused).toBeUndefined();
    expect(path).toBe('/v1/images/a%20b%2Fc%3Fd%23e%25f%5Cg%0D%0A%C3%A9/build-log');
  });

  it('keeps the characters RFC 3986 allows in a segment, so a host with a port stays readable', () => {
    expect(encodePathSegment("quay.io:5000@x!$&'()*+,;=~-_")).toBe("quay.io:5000@x!$&'()*+,;=~-_");
  });

  it('keeps the slashes of a multi-segment parameter and encodes each segment', () => {
    expect(route('/api/repo/v1/repository/{name+}/', { name: 'quay.io/acme team/api?x' })).toEqual({
      path: '/api/repo/v1/repository/quay.io/acme%20team/api%3Fx/',
      template: '/api/repo/v1/repository/{name+}/',
    });
  });

  it('refuses values that are no segment at all, without throwing', () => {
    for (const imageId of ['', '.', '..'])
      expect(route('/v1/images/{imageId}', { imageId }).refused).toMatch(/`imageId` is empty, `.` or `..`/);
    for (const name of ['a//b', '../etc', 'a/./b', 'a/'])
      expect(route('/x/{name+}/', { name }).refused).toMatch(/`name` has an empty, `.` or `..` segment/);
    expect(route('/v1/jobs/{jobId}', { jobId: 'a\ud800' }).refused).toMatch(/not well-formed Unicode/);
  });

  it('turns a query declaration into query parameters, the template keeping it', () => {
    expect(route('/v3/packages?source_guid={sourceGuid}', { sourceGuid: 'a&b=c' })).toEqual({
      path: '/v3/packages',
      template: '/v3/packages?source_guid={sourceGuid}',
      query: [['source_guid', 'a&b=c']],
    });
  });

  it('throws for a parameter the caller did not pass (a bug in the client)', () => {
    expect(() => route('/v1/images/{imageId}', {})).toThrow(TypeError);
  });
});
