import {
  getNamedType,
  isInputObjectType,
  isObjectType,
  parse,
  type GraphQLArgument,
  type GraphQLInputField,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema.js';
import { isSecretInput, SecretInputs } from '../../src/secretInputs.js';
import { parseConfig, SETTINGS } from '../../src/config.js';
import {
  configSecrets,
  MAX_REQUEST_SECRETS,
  REDACTED,
  SecretSet,
  secretsInHeaders,
  ServiceSecrets,
} from '../../src/secrets.js';

const schema = buildSchema();
const inputs = new SecretInputs(schema);

function collected(query: string, variables?: Record<string, unknown>): string[] {
  const set = new SecretSet();
  inputs.collect(parse(query), variables, set);
  return ['pw-1', 'pw-2', 'tok-1', 'tok-2', 'tok-literal', 'pw-literal', 'u-1', 'target-1', 'a-name'].filter(
    (value) => set.scrub(`<${value}>`) !== `<${value}>`,
  );
}

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

  it('finds values of @secret inputs in the variables by type, whatever the variables are called', () => {
    const found = collected(
      `mutation($i: CreateImageSourceInput!, $x: String, $n: String!) {
        createImageSource(input: $i) { id }
        registerRepository(name: $n, username: "u-1", password: $x) { name }
      }`,
      {
        i: {
          name: 'a-name',
          origin: { dockerHub: { target: 'target-1', token: 'tok-1' } },
        },
        x: 'pw-1',
        n: 'a-name',
      },
    );
    expect(found.sort()).toEqual(['pw-1', 'tok-1']);
  });

  it('finds secrets in lists of inputs and in variables nested in literals', () => {
    const found = collected(
      `mutation($t: String, $p: String!) {
        createImageSource(input: { name: "a-name", origin: { dockerFile: {
          credentials: [{ url: "u-1", token: $t }],
          repo: { url: "u-1", auth: { http: { username: "u-1", password: $p } } } } } }) { id }
      }`,
      { t: 'tok-2', p: 'pw-2' },
    );
    expect(found.sort()).toEqual(['pw-2', 'tok-2']);
  });

  it('finds secret literals in the document', () => {
    const found = collected(
      `mutation { registerRepository(name: "quay.io/a/b", username: "u-1", password: "pw-literal") { name } x: createImageSource(input: { name: "n", origin: { dockerHub: { target: "t", token: "tok-literal" } } }) { id } }`,
    );
    expect(found.sort()).toEqual(['pw-literal', 'tok-literal']);
  });

  it('refuses to hold more secrets than a request may carry', () => {
    const set = new SecretSet();
    const many = Array.from({ length: MAX_REQUEST_SECRETS + 1 }, (_, i) => ({ url: 'u', token: `token-${i}` }));
    const ok = inputs.collect(
      parse(
        `mutation($c: [RegistryCredentialInput!]) { createImageSource(input: { name: "n", origin: { dockerFile: { credentials: $c } } }) { id } }`,
      ),
      { c: many },
      set,
    );
    expect(ok).toBe(false);
    expect(set.overflowed).toBe(true);
  });

  it('marks every write-only input of the schema @secret, and only those', () => {
    const marked: string[] = [];
    const writeOnly: string[] = [];
    for (const [name, input] of schemaInputs()) {
      if (isSecretInput(input)) marked.push(name);
      if (/Write-only/.test(input.description ?? '')) writeOnly.push(name);
    }
    expect(marked.sort()).toEqual(writeOnly.sort());
    expect(marked).toContain('Mutation.registerRepository(password)');
    expect(marked).toContain('DockerPackageInput.password');
  });

  it('marks every scalar input named like a secret @secret, so that a new one cannot be forgotten', () => {
    const looksSecret = /passw(or)?d|passphrase|token|secret|private_?key|api_?key|credential/i;
    const unmarked: string[] = [];
    for (const [name, input] of schemaInputs())
      if (looksSecret.test(input.name) && !isInputObjectType(getNamedType(input.type)) && !isSecretInput(input))
        unmarked.push(name);
    expect(unmarked).toEqual([]);
  });

  it('scrubs every known secret, longest first, and leaves short values alone', () => {
    const set = new SecretSet();
    set.addAll(['abc', 'secret-value', 'secret-value-longer']);
    expect(set.scrub('got secret-value-longer and secret-value; abc')).toBe(`got ${REDACTED} and ${REDACTED}; abc`);
  });
});

describe('configSecrets', () => {
  it('knows every service credential in the forms it travels in, and nothing that is not secret', () => {
    const config = parseConfig({
      CYCLE_API_URL: 'https://api.cycle.io',
      CYCLE_API_KEY: 'cycle-service-key',
      CYCLE_HUB_ID: '651586fca6078e98982dbd90',
      CF_API_URL: 'https://api.sys.example.org',
      CF_CLIENT_ID: 'imagegraph',
      CF_CLIENT_SECRET: 'uaa-client-secret',
      DOCKER_CLOUD_API_URL: 'https://cloud.docker.com',
      DOCKER_CLOUD_USERNAME: 'ci-bot',
      DOCKER_CLOUD_API_KEY: 'dc-api-key',
      GATEWAY_TOKENS: 'gateway-token-0123456789',
      REDIS_URL: 'redis://:redis-pass@redis.internal:6379/0',
    });
    const found = configSecrets(config);
    const basic = Buffer.from('ci-bot:dc-api-key').toString('base64');
    expect(found).toEqual(
      expect.arrayContaining([
        'cycle-service-key',
        'Bearer cycle-service-key',
        'uaa-client-secret',
        `Basic ${Buffer.from('imagegraph:uaa-client-secret').toString('base64')}`,
        'dc-api-key',
        basic,
        `Basic ${basic}`,
        'gateway-token-0123456789',
        'redis-pass',
      ]),
    );
    expect(found).not.toContain('ci-bot');
    expect(found).not.toContain('651586fca6078e98982dbd90');
    expect(configSecrets(parseConfig({ REDIS_URL: 'redis://redis.internal:6379' }))).toEqual([]);
  });

  it('collects the value of every setting declared secret', () => {
    // Per secret setting: an environment that sets it (with what it needs), and the value that must be collected.
    const samples: Record<string, { env: Record<string, string>; secret: string }> = {
      CYCLE_API_KEY: {
        env: { CYCLE_API_KEY: 'cycle-key-sample', CYCLE_HUB_ID: '651586fca6078e98982dbd90' },
        secret: 'cycle-key-sample',
      },
      CF_TOKEN: { env: { CF_TOKEN: 'cf-token-sample' }, secret: 'cf-token-sample' },
      CF_CLIENT_SECRET: {
        env: { CF_CLIENT_ID: 'imagegraph', CF_CLIENT_SECRET: 'cf-client-secret-sample' },
        secret: 'cf-client-secret-sample',
      },
      DOCKER_CLOUD_API_KEY: {
        env: { DOCKER_CLOUD_USERNAME: 'ci-bot', DOCKER_CLOUD_API_KEY: 'dc-key-sample' },
        secret: 'dc-key-sample',
      },
      GATEWAY_TOKENS: { env: { GATEWAY_TOKENS: 'gateway-token-sample-0123' }, secret: 'gateway-token-sample-0123' },
      REDIS_URL: {
        env: { REDIS_URL: 'redis://:url-pass-sample@redis.internal:6379' },
        secret: 'redis://:url-pass-sample@redis.internal:6379',
      },
      REDIS_PASSWORD: {
        env: { REDIS_URL: 'redis://redis.internal:6379', REDIS_PASSWORD: 'redis-password-sample' },
        secret: 'redis-password-sample',
      },
      OTEL_EXPORTER_OTLP_HEADERS: {
        env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=otlp-header-sample' },
        secret: 'otlp-header-sample',
      },
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: {
        env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-api-key=otlp-traces-sample' },
        secret: 'otlp-traces-sample',
      },
    };
    const declaredSecret = SETTINGS.filter((setting) => setting.secret).map((setting) => setting.name);
    expect(declaredSecret.sort()).toEqual(Object.keys(samples).sort());
    for (const [name, { env, secret }] of Object.entries(samples))
      expect(configSecrets(parseConfig(env)), name).toContain(secret);
  });

  it('adds the tokens a renewing credential hands out, keeping the previous one', () => {
    const service = new ServiceSecrets([]);
    service.sawHeaders({ authorization: 'Bearer first-token' });
    service.sawHeaders({ authorization: 'Bearer second-token' });
    service.sawHeaders({ authorization: 'Bearer third-token' });
    const set = new SecretSet(service);
    expect(set.scrub('first-token second-token third-token')).toBe(`first-token ${REDACTED} ${REDACTED}`);
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

/** Every input field and argument of the schema, named `Type.field` or `Type.field(argument)`. */
function schemaInputs(): (readonly [string, GraphQLInputField | GraphQLArgument])[] {
  return Object.values(schema.getTypeMap()).flatMap((type) =>
    isInputObjectType(type)
      ? Object.values(type.getFields()).map((field) => [`${type.name}.${field.name}`, field] as const)
      : isObjectType(type)
        ? Object.values(type.getFields()).flatMap((field) =>
            field.args.map((arg) => [`${type.name}.${field.name}(${arg.name})`, arg] as const),
          )
        : [],
  );
}
