import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SecretSet, secretsInDocument, secretsInHeaders, secretsInVariables } from '../../src/secrets.js';

describe('secrets', () => {
  it('finds credential header values and their parts, Basic decoded', () => {
    const basic = Buffer.from('sandbox:the-api-key').toString('base64');
    const found = secretsInHeaders({
      'x-cycle-authorization': 'Bearer cycle-key-1',
      'x-dockercloud-authorization': `Basic ${basic}`,
      accept: 'application/json',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'Bearer cycle-key-1',
        'cycle-key-1',
        `Basic ${basic}`,
        basic,
        'sandbox:the-api-key',
        'the-api-key',
      ]),
    );
    expect(found).not.toContain('application/json');
  });

  it('finds secret-named values at any depth of the variables, and nothing else', () => {
    const found = secretsInVariables({
      input: {
        name: 'api',
        origin: { dockerHub: { target: 'a:b', token: 'tok-1' } },
        credentials: [{ url: 'u', token: 'tok-2' }],
        password: 'pw-1',
      },
    });
    expect(found.sort()).toEqual(['pw-1', 'tok-1', 'tok-2', 'u'].sort());
  });

  it('finds secret literals in the document', () => {
    const document = parse(
      `mutation { registerRepository(name: "quay.io/a/b", username: "u", password: "pw-literal") { name } x: createImageSource(input: { name: "n", origin: { dockerHub: { target: "t", token: "tok-literal" } } }) { id } }`,
    );
    expect([...secretsInDocument(document)].sort()).toEqual(['pw-literal', 'tok-literal']);
  });

  it('scrubs every known secret, longest first, and leaves short values alone', () => {
    const set = new SecretSet();
    set.addAll(['abc', 'secret-value', 'secret-value-longer']);
    expect(set.scrub('got secret-value-longer and secret-value; abc')).toBe('got [REDACTED] and [REDACTED]; abc');
  });

  it('scrubs request paths, as sent or percent-decoded', () => {
    const set = new SecretSet();
    set.addAll(['plain-secret-id', 'key with space']);
    expect(set.scrubPath('/v1/images/plain-secret-id')).toBe('/v1/images/[REDACTED]');
    expect(set.scrubPath('/v1/images/key%20with%20space')).toBe('/v1/images/[REDACTED]');
    expect(set.scrubPath('/v1/images/65f1c3d9b7e5d40001a3ca10')).toBe('/v1/images/65f1c3d9b7e5d40001a3ca10');
    expect(set.scrubPath('/v1/images/%E0%A4%A')).toBe('/v1/images/%E0%A4%A');
  });
});
