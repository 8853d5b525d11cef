import { describe, expect, it } from 'vitest';
import { withoutCredentials } from '../../src/upstreams/cycle/decode.js';

describe('withoutCredentials', () => {
  it('leaves URLs without userinfo, query or fragment as they are', () => {
    expect(withoutCredentials('https://github.com/acme/api.git')).toBe('https://github.com/acme/api.git');
  });

  it('drops userinfo, query string and fragment', () => {
    expect(withoutCredentials('https://user:pw@github.com/acme/api.git?token=abc#x')).toBe(
      'https://github.com/acme/api.git',
    );
    expect(withoutCredentials('https://s3.example/builds/a.tar.gz?X-Amz-Signature=abc')).toBe(
      'https://s3.example/builds/a.tar.gz',
    );
  });

  it('keeps the host and path of scp-like git addresses, without the user', () => {
    expect(withoutCredentials('git@github.com:acme/api.git')).toBe('github.com:acme/api.git');
  });

  it('shows nothing of what cannot be parsed but could hide a credential', () => {
    expect(withoutCredentials('not a url @ with?secret=1')).toBeNull();
    expect(withoutCredentials(null)).toBeNull();
  });
});
